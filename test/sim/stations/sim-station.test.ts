import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createRandom } from '../../../src/sim/random.ts';
import { createSimClock } from '../../../src/sim/sim-clock.ts';
import { createSimStation, type SimStation, type StationEvent } from '../../../src/sim/stations/sim-station.ts';
import { eventually } from '../../support/eventually.ts';
import { registerInvited, startFakeEmsp, type FakeEmsp } from '../../support/fake-emsp.ts';
import { removeDir, startTestServer, type TestServer } from '../../support/server.ts';

/**
 * Simulated stations against the real server, checked only through its public API: at ×1200 with a meter value
 * every simulated minute, a 10 kWh session takes about a second.
 */
const PASSWORD = 'sim-station-password-0123';
const FACTOR = 1200;
const connector = { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, tariff_ids: ['T-REG', 'T-ADHOC'] };
const STATIONS = ['SIM16', 'SIM201', 'SIM-OFF', 'SIM-FAULT', 'SIM-CMD', 'SIM-SC16', 'SIM-SC201'];
const CARDS = ['SIMCARD1', 'SIMCARD2', 'SIMCARD3', 'SIMCARD4', 'SIMCARD5', 'SIMCARD6'];
const rfid = (uid: string) => ({ country_code: 'DE', party_id: 'EMS', uid, type: 'RFID', contract_id: `DE-EMS-C${uid}`, issuer: 'Fake eMSP', valid: true, whitelist: 'ALWAYS', last_updated: '2026-01-01T00:00:00Z' });

let server: TestServer;
let emsp: FakeEmsp;
let partnerToken: string;
const stations: SimStation[] = [];
const events: StationEvent[] = [];

function station(id: string, protocol: 'ocpp1.6' | 'ocpp2.0.1', maxPowerKw = 150) {
  const s = createSimStation({
    ocppUrl: server.ocppUrl,
    id,
    password: PASSWORD,
    protocol,
    connectors: 2,
    maxPowerKw,
    meterIntervalS: 60,
    clock: createSimClock(FACTOR),
    random: createRandom(42),
    onEvent: (e) => events.push(e),
  });
  stations.push(s);
  return s;
}
const errorsOf = (id: string) => events.filter((e) => e.station === id && e.kind === 'error').map((e) => e.message);
const chargePoint = async (id: string) => (await server.api('GET', `/api/v1/charge-points/${id}`)).body;
const cdrsOf = async (uid: string) => ((await server.api('GET', '/api/v1/cdrs')).body as any[]).filter((c) => c.cdr_token.uid === uid);
const statusOf = (s: SimStation, connectorId: number) => s.state().connectors.find((c) => c.id === connectorId)!;

beforeAll(async () => {
  server = startTestServer({ env: { GUEST_STOP_WAIT_S: '5', COMMAND_TIMEOUT_S: '2', DELIVERY_BASE_DELAY_MS: '50' } });
  emsp = startFakeEmsp();
  // The eMSP's own list (pulled at registration) and a push of each card: either way the CSMS knows them.
  emsp.tokens.push(...CARDS.map(rfid));
  partnerToken = (await registerInvited(server, emsp)).cpo.token;
  await server.api('PUT', '/api/v1/tariffs/T-REG', { currency: 'EUR', type: 'REGULAR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, vat: 20, step_size: 1 }] }] });
  await server.api('PUT', '/api/v1/tariffs/T-ADHOC', { currency: 'EUR', type: 'AD_HOC_PAYMENT', elements: [{ price_components: [{ type: 'ENERGY', price: 0.5, vat: 20, step_size: 1 }] }] });
  const capabilities = ['REMOTE_START_STOP_CAPABLE', 'RESERVABLE', 'UNLOCK_CAPABLE', 'RFID_READER', 'CHARGING_PROFILE_CAPABLE'];
  const location = await server.api('PUT', '/api/v1/locations/LOC-SIM', {
    publish: true, address: 'Simulatieweg 1', city: 'Delft', country: 'NLD', time_zone: 'Europe/Amsterdam', coordinates: { latitude: '52.01160', longitude: '4.35710' },
    evses: STATIONS.flatMap((id) => [1, 2].map((n) => ({ uid: `${id}-${n}`, status: 'AVAILABLE', capabilities, connectors: [connector], ocpp: { charge_point_id: id, evse_id: n } }))),
  });
  expect(location.status).toBe(201);
  for (const id of STATIONS) expect((await server.api('PUT', `/api/v1/charge-points/${id}`, { password: PASSWORD })).status).toBe(201);
  for (const uid of CARDS) expect([200, 201]).toContain((await server.ocpi('PUT', `/ocpi/cpo/2.2.1/tokens/DE/EMS/${uid}`, partnerToken, rfid(uid))).status);
});

afterAll(async () => {
  await Promise.all(stations.map((s) => s.stop()));
  await server.stop();
  emsp.stop();
  removeDir(server.dir);
});

for (const [id, protocol, card] of [['SIM16', 'ocpp1.6', 'SIMCARD1'], ['SIM201', 'ocpp2.0.1', 'SIMCARD2']] as const) {
  describe(`an OCPP ${protocol.slice(4)} simulated station`, () => {
    let s: SimStation;

    test('connects and boots; the CSMS shows it booted with every connector Available', async () => {
      s = station(id, protocol, 22);
      await s.connect();
      expect(s.state()).toMatchObject({ id, protocol, connected: true });
      const cp = await eventually(async () => {
        const view = await chargePoint(id);
        expect(view.connectors).toHaveLength(2);
        return view;
      });
      expect(cp).toMatchObject({ connected: true, state: 'booted', protocol, boot: { vendor: 'Dynamo Sim', model: 'AC-22kW' } });
      expect(cp.connectors.map((c: any) => c.status)).toEqual(['Available', 'Available']);
    });

    test('an RFID driver charges 10 kWh: meter values on the way, a CDR with exactly the planned energy', async () => {
      const before = statusOf(s, 1).energyWh;
      expect(await s.arriveWithRfid(1, card, 10)).toBe(true);
      expect(statusOf(s, 1)).toMatchObject({ status: protocol === 'ocpp1.6' ? 'Charging' : 'Occupied', idTag: card });
      const transactionId = statusOf(s, 1).transactionId;
      expect(transactionId).toBeString();
      // Meter values reach the session while it runs.
      await eventually(async () => {
        const running = ((await server.api('GET', '/api/v1/sessions')).body as any[]).find((x) => x.transaction_id === transactionId && x.charge_point_id === id);
        expect(running.state).toBe('active');
        expect(running.ocpi.kwh).toBeGreaterThan(0);
      });
      const [cdr] = await eventually(async () => {
        const found = await cdrsOf(card);
        expect(found).toHaveLength(1);
        return found;
      }, 8000);
      expect(cdr).toMatchObject({ total_energy: 10, cdr_location: { evse_uid: `${id}-1` }, cdr_token: { uid: card, type: 'RFID' } });
      // 10 kWh × 0.30 × 1.20
      expect(cdr.total_cost).toEqual({ excl_vat: 3, incl_vat: 3.6 });
      expect(statusOf(s, 1).energyWh).toBe(before + 10_000);
      expect(statusOf(s, 1).transactionId).toBeUndefined();
      // Finishing (1.6), then Available once the driver unplugged.
      await eventually(async () => expect((await chargePoint(id)).connectors[0].status).toBe('Available'));
      expect(statusOf(s, 1).status).toBe('Available');
    }, 15_000);

    test('a guest plugs in, pays by card, the remote start charges; stopped through the API with the same energy as the meter', async () => {
      expect(await s.plugIn(2, 40)).toBe(true);
      expect(statusOf(s, 2).status).toBe(protocol === 'ocpp1.6' ? 'Preparing' : 'Occupied');
      const before = statusOf(s, 2).energyWh;
      const authorized = await server.api('POST', '/api/v1/sessions/guest/authorize', { charge_point_id: id, connector_id: 2, payment_method_id: 'pm_card_visa' });
      expect(authorized.status).toBe(201);
      const token = authorized.body.session_token;
      await eventually(async () => {
        const status = (await server.api('GET', `/api/v1/sessions/guest/${token}/status`)).body;
        expect(status.status).toBe('charging');
        expect(status.energy_kwh).toBeGreaterThan(0);
      });
      const stopped = (await server.api('POST', `/api/v1/sessions/guest/${token}/stop`)).body;
      expect(stopped.status).toBe('stopped');
      const delivered = statusOf(s, 2).energyWh - before;
      expect(delivered).toBeGreaterThan(0);
      expect(stopped.energy_kwh).toBeCloseTo(delivered / 1000, 3);
      const cdr = ((await server.api('GET', '/api/v1/cdrs')).body as any[]).find((c) => c.id === stopped.cdr_id);
      expect(cdr).toMatchObject({ cdr_token: { type: 'AD_HOC_USER' }, cdr_location: { evse_uid: `${id}-2` } });
      expect(cdr.total_energy).toBeCloseTo(delivered / 1000, 3);
      expect(statusOf(s, 2).transactionId).toBeUndefined();
      expect(errorsOf(id)).toEqual([]);
    }, 15_000);
  });
}

describe('network loss', () => {
  test('offline → the CSMS shows it disconnected; a session that ended offline reaches the CSMS after comeBack, without a new boot', async () => {
    const s = station('SIM-OFF', 'ocpp1.6');
    await s.connect();
    const bootedAt = (await chargePoint('SIM-OFF')).boot.at;
    expect(await s.arriveWithRfid(1, 'SIMCARD3', 3)).toBe(true);
    await s.goOffline();
    expect(s.state().connected).toBe(false);
    await eventually(async () => expect(await chargePoint('SIM-OFF')).toMatchObject({ connected: false, state: 'disconnected' }));
    // Charging goes on without the network; the stop waits in the station's queue.
    await eventually(() => expect(statusOf(s, 1).transactionId).toBeUndefined(), 8000);
    expect(await cdrsOf('SIMCARD3')).toEqual([]);
    // A driver with a card cannot be checked meanwhile.
    expect(await s.arriveWithRfid(2, 'SIMCARD3', 3)).toBe(false);

    await s.comeBack();
    expect(s.state().connected).toBe(true);
    const cp = await chargePoint('SIM-OFF');
    expect(cp).toMatchObject({ connected: true, state: 'booted' });
    expect(cp.boot.at).toBe(bootedAt);
    const [cdr] = await eventually(async () => {
      const found = await cdrsOf('SIMCARD3');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(cdr.total_energy).toBe(3);
    expect(errorsOf('SIM-OFF')).toEqual([]);
  }, 15_000);

  test('connect() keeps retrying with backoff until the CSMS lets the station in', async () => {
    const s = station('SIM-LATE', 'ocpp2.0.1');
    const connected = s.connect();
    await eventually(() => expect(events.some((e) => e.station === 'SIM-LATE' && e.kind === 'connect-failed')).toBe(true));
    expect(s.state().connected).toBe(false);
    expect((await server.api('PUT', '/api/v1/charge-points/SIM-LATE', { password: PASSWORD })).status).toBe(201);
    await connected;
    expect(s.state().connected).toBe(true);
    await eventually(async () => expect(await chargePoint('SIM-LATE')).toMatchObject({ connected: true, state: 'booted', protocol: 'ocpp2.0.1' }));
  }, 10_000);
});

describe('faults', () => {
  test('a fault ends the running transaction (its CDR follows) and shows Faulted; recover shows Available', async () => {
    const s = station('SIM-FAULT', 'ocpp2.0.1');
    await s.connect();
    expect(await s.arriveWithRfid(1, 'SIMCARD4', 40)).toBe(true);
    await eventually(() => expect(statusOf(s, 1).energyWh).toBeGreaterThan(0));
    await s.fault(1);
    expect(statusOf(s, 1)).toMatchObject({ status: 'Faulted' });
    expect(statusOf(s, 1).transactionId).toBeUndefined();
    await eventually(async () => expect((await chargePoint('SIM-FAULT')).connectors[0].status).toBe('Faulted'));
    const [cdr] = await eventually(async () => {
      const found = await cdrsOf('SIMCARD4');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(cdr.total_energy).toBeGreaterThan(0);
    expect(cdr.total_energy).toBeLessThan(40);
    // A faulted connector takes nobody.
    expect(await s.plugIn(1)).toBe(false);
    expect((await server.api('POST', '/api/v1/sessions/guest/authorize', { charge_point_id: 'SIM-FAULT', connector_id: 1, payment_method_id: 'pm_card_visa' })).body.reason).toBe('connector_faulted');
    await s.recover(1);
    await eventually(async () => expect((await chargePoint('SIM-FAULT')).connectors[0].status).toBe('Available'));
    expect(errorsOf('SIM-FAULT')).toEqual([]);
  }, 15_000);
});

describe('OCPI commands carried out by a simulated station', () => {
  const appUser = (uid: string) => ({ country_code: 'DE', party_id: 'EMS', uid, type: 'APP_USER', contract_id: `C-${uid}`, issuer: 'Fake eMSP', valid: true, whitelist: 'NEVER', last_updated: '2026-01-01T00:00:00Z' });
  const command = (name: string, body: unknown) => server.ocpi('POST', `/ocpi/cpo/2.2.1/commands/${name}`, partnerToken, body);
  const resultOf = (ref: string) =>
    eventually(() => {
      const result = emsp.store.commandResults.get(ref);
      expect(result).toBeDefined();
      return result;
    });

  test('reserve, cancel, unlock; an app start on a plugged-in car and an app stop (OCPP 1.6)', async () => {
    const s = station('SIM-CMD', 'ocpp1.6');
    await s.connect();
    const expiry = new Date(Date.now() + 60 * 60_000).toISOString();
    await command('RESERVE_NOW', { response_url: emsp.responseUrl('r1'), token: appUser('APP1'), expiry_date: expiry, reservation_id: 'RES-1', location_id: 'LOC-SIM', evse_uid: 'SIM-CMD-2' });
    expect(await resultOf('r1')).toEqual({ result: 'ACCEPTED' });
    await eventually(() => expect(statusOf(s, 2).status).toBe('Reserved'));
    await eventually(async () => expect((await server.ocpi('GET', '/ocpi/cpo/2.2.1/locations/LOC-SIM/SIM-CMD-2', partnerToken)).body.data.status).toBe('RESERVED'));
    // Nobody else takes the reserved connector: not with a card, not as a guest.
    expect(await s.arriveWithRfid(2, 'SIMCARD1', 5)).toBe(false);
    expect((await server.api('POST', '/api/v1/sessions/guest/authorize', { charge_point_id: 'SIM-CMD', connector_id: 2, payment_method_id: 'pm_card_visa' })).body.reason).toBe('connector_reserved');
    await command('CANCEL_RESERVATION', { response_url: emsp.responseUrl('c1'), reservation_id: 'RES-1' });
    expect(await resultOf('c1')).toEqual({ result: 'ACCEPTED' });
    await eventually(() => expect(statusOf(s, 2).status).toBe('Available'));

    await command('UNLOCK_CONNECTOR', { response_url: emsp.responseUrl('u1'), location_id: 'LOC-SIM', evse_uid: 'SIM-CMD-1', connector_id: '1' });
    expect(await resultOf('u1')).toEqual({ result: 'ACCEPTED' });

    expect(await s.plugIn(1, 40)).toBe(true);
    await command('START_SESSION', { response_url: emsp.responseUrl('s1'), token: appUser('APP2'), location_id: 'LOC-SIM', evse_uid: 'SIM-CMD-1', authorization_reference: 'REF-SIM' });
    expect(await resultOf('s1')).toEqual({ result: 'ACCEPTED' });
    const session = await eventually(() => {
      const pushed = [...emsp.store.sessions.values()].find((x) => x.cdr_token.uid === 'APP2');
      expect(pushed).toMatchObject({ status: 'ACTIVE', auth_method: 'COMMAND', evse_uid: 'SIM-CMD-1' });
      return pushed;
    });
    await command('STOP_SESSION', { response_url: emsp.responseUrl('st1'), session_id: session.id });
    expect(await resultOf('st1')).toEqual({ result: 'ACCEPTED' });
    const cdr = await eventually(() => {
      const found = emsp.store.cdrs.find((c) => c.session_id === session.id);
      expect(found).toBeDefined();
      return found;
    });
    expect(cdr.total_energy).toBeGreaterThan(0);
    expect(cdr.total_energy).toBeLessThan(40);
    expect(errorsOf('SIM-CMD')).toEqual([]);
  }, 15_000);
});

describe('smart charging by the eMSP on simulated stations', () => {
  const resultOf = (id: string) =>
    eventually(() => {
      const found = emsp.store.profileResults.find((r) => r.id === id);
      expect(found).toBeDefined();
      return found!.body;
    });

  for (const [id, protocol, card] of [['SIM-SC16', 'ocpp1.6', 'SIMCARD5'], ['SIM-SC201', 'ocpp2.0.1', 'SIMCARD6']] as const)
    test(`OCPP ${protocol.slice(4)}: a 7.4 kW profile reaches the station in A, its power stays within it, the schedule comes back in W; a clear lifts it`, async () => {
      const s = station(id, protocol, 22);
      await s.connect();
      expect(await s.arriveWithRfid(1, card, 60)).toBe(true);
      const sessionId = await eventually(() => {
        const pushed = [...emsp.store.sessions.values()].find((x) => x.cdr_token.uid === card && x.status === 'ACTIVE');
        expect(pushed).toBeDefined();
        return pushed.id as string;
      });
      const path = `/ocpi/cpo/2.2.1/chargingprofiles/${sessionId}`;
      const set = await server.ocpi('PUT', path, partnerToken, { charging_profile: { charging_rate_unit: 'W', charging_profile_period: [{ start_period: 0, limit: 7400 }] }, response_url: emsp.profileResponseUrl(`${id}-set`) });
      expect(set.body.data.result).toBe('ACCEPTED');
      expect(await resultOf(`${id}-set`)).toEqual({ result: 'ACCEPTED' });
      // An AC simulated station takes current: 7400 W on 3 × 230 V is 10.7 A, which it reports back as 7383 W.
      const update = await eventually(() => {
        const found = emsp.store.activeProfiles.find((a) => a.sessionId === sessionId);
        expect(found).toBeDefined();
        return found!.body;
      });
      expect(update.charging_profile).toMatchObject({ charging_rate_unit: 'W', charging_profile_period: [{ start_period: 0, limit: 7383 }] });
      const sampled = (await eventually(() => {
        const power = statusOf(s, 1).powerW;
        expect(power).toBeGreaterThan(0);
        expect(power).toBeLessThanOrEqual(7383);
        return power;
      }, 10_000))!;
      expect(sampled).toBeGreaterThan(7000);

      const cleared = await server.ocpi('DELETE', `${path}?response_url=${encodeURIComponent(emsp.profileResponseUrl(`${id}-clear`))}`, partnerToken);
      expect(cleared.body.data.result).toBe('ACCEPTED');
      expect(await resultOf(`${id}-clear`)).toEqual({ result: 'ACCEPTED' });
      await eventually(() => expect(statusOf(s, 1).powerW).toBeGreaterThan(7383), 10_000);
      expect(errorsOf(id)).toEqual([]);
    }, 20_000);
});
