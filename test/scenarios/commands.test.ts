import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { eventually } from '../support/eventually.ts';
import { registerInvited, startFakeEmsp, type FakeEmsp } from '../support/fake-emsp.ts';
import { connectStation } from '../support/stations.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
// Command deadlines and reservation expiry are moved past by the test, not waited for.
const clock = new ManualClock();
let emsp: FakeEmsp;
let token: string;
const connector = { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, tariff_ids: ['T-CMD'] };
const capabilities = ['REMOTE_START_STOP_CAPABLE', 'RESERVABLE', 'UNLOCK_CAPABLE'];
const appUser = (uid: string) => ({ country_code: 'DE', party_id: 'EMS', uid, type: 'APP_USER', contract_id: `C-${uid}`, issuer: 'Fake eMSP', valid: true, whitelist: 'NEVER', last_updated: '2026-01-01T00:00:00Z' });
const command = (name: string, body: unknown) => server.ocpi('POST', `/ocpi/cpo/2.2.1/commands/${name}`, token, body);
const resultOf = (id: string) => eventually(() => {
  const result = emsp.store.commandResults.get(id);
  expect(result).toBeDefined();
  return result;
});

beforeAll(async () => {
  server = startTestServer({ clock, env: { COMMAND_TIMEOUT_S: '1', DELIVERY_BASE_DELAY_MS: '50' } });
  emsp = startFakeEmsp();
  await server.api('PUT', '/api/v1/tariffs/T-CMD', { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.5, vat: 20, step_size: 1 }] }] });
  await server.api('PUT', '/api/v1/locations/LOC-CMD', {
    publish: true, address: 'Commandolaan 3', city: 'Breda', country: 'NLD', time_zone: 'Europe/Amsterdam', coordinates: { latitude: '51.58900', longitude: '4.77600' },
    evses: [
      { uid: 'CMD-1', status: 'AVAILABLE', capabilities, connectors: [connector], ocpp: { charge_point_id: 'CP-CMD', evse_id: 1 } },
      { uid: 'CMD-2', status: 'AVAILABLE', capabilities, connectors: [connector], ocpp: { charge_point_id: 'CP-CMD', evse_id: 2 } },
      { uid: 'CMD-201', status: 'AVAILABLE', capabilities, connectors: [connector], ocpp: { charge_point_id: 'CP-CMD-201', evse_id: 1 } },
      { uid: 'CMD-OFF', status: 'AVAILABLE', capabilities, connectors: [connector], ocpp: { charge_point_id: 'CP-CMD-OFF', evse_id: 1 } },
      { uid: 'CMD-NOREMOTE', status: 'AVAILABLE', capabilities: ['RFID_READER'], connectors: [connector], ocpp: { charge_point_id: 'CP-CMD', evse_id: 3 } },
    ],
  });
  await server.api('PUT', '/api/v1/charge-points/CP-CMD-OFF', { password: 'station-password-0123456789' });
  token = (await registerInvited(server, emsp)).cpo.token;
});
afterAll(async () => {
  await server.stop();
  emsp.stop();
  removeDir(server.dir);
});

describe('START_SESSION and STOP_SESSION on an OCPP 1.6 station', () => {
  test('the eMSP starts and stops charging remotely; the Session and CDR carry its token and authorization_reference', async () => {
    const { client, strictFailures } = await connectStation(server, 'CP-CMD');
    await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
    const longUid = 'APP-USER-0123456789-ABCDEFGHIJ'; // 30 characters: longer than a 1.6 idTag
    let started: { transactionId: number } | undefined;
    let sentIdTag = '';
    const t0 = Date.now() - 60 * 60_000;
    client.handle('RemoteStartTransaction', async ({ params }: { params?: any }) => {
      const { idTag, connectorId } = params as { idTag: string; connectorId: number };
      sentIdTag = idTag;
      // The station starts the transaction a moment later, as real ones do.
      setTimeout(async () => {
        await client.call('Authorize', { idTag });
        started = (await client.call('StartTransaction', { connectorId, idTag, meterStart: 0, timestamp: new Date(t0).toISOString() })) as { transactionId: number };
      }, 20);
      return { status: 'Accepted' };
    });
    const response = await command('START_SESSION', { response_url: emsp.responseUrl('start-1'), token: appUser(longUid), location_id: 'LOC-CMD', evse_uid: 'CMD-1', authorization_reference: 'AUTH-REF-1' });
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ result: 'ACCEPTED', timeout: 1 });
    expect(await resultOf('start-1')).toEqual({ result: 'ACCEPTED' });
    await eventually(() => expect(started).toBeDefined());
    // The 30-character uid does not fit a 1.6 idTag: the station got a stable stand-in of at most 20.
    expect(sentIdTag.length).toBeLessThanOrEqual(20);
    expect(sentIdTag).not.toBe(longUid.slice(0, 20));
    // Pre-authorized: the station's Authorize for the command's token is not sent to the eMSP.
    expect(emsp.received.some((r) => r.path.includes('/authorize'))).toBe(false);

    const session = await eventually(() => {
      const pushed = [...emsp.store.sessions.values()].find((s) => s.cdr_token.uid === longUid);
      expect(pushed).toBeDefined();
      return pushed;
    });
    expect(session).toMatchObject({ auth_method: 'COMMAND', authorization_reference: 'AUTH-REF-1', evse_uid: 'CMD-1', cdr_token: { type: 'APP_USER', contract_id: `C-${longUid}` } });

    client.handle('RemoteStopTransaction', async ({ params }: { params?: any }) => {
      const { transactionId } = params as { transactionId: number };
      setTimeout(() => void client.call('StopTransaction', { transactionId, meterStop: 8000, timestamp: new Date(t0 + 40 * 60_000).toISOString(), reason: 'Remote' }), 20);
      return { status: 'Accepted' };
    });
    const stop = await command('STOP_SESSION', { response_url: emsp.responseUrl('stop-1'), session_id: session.id });
    expect(stop.body.data.result).toBe('ACCEPTED');
    expect(await resultOf('stop-1')).toEqual({ result: 'ACCEPTED' });
    const cdr = await eventually(() => {
      const found = emsp.store.cdrs.find((c) => c.session_id === session.id);
      expect(found).toBeDefined();
      return found;
    });
    // 8 kWh × 0.50 = 4.00 excl.; × 1.20 = 4.80 incl.
    expect(cdr).toMatchObject({ total_energy: 8, total_cost: { excl_vat: 4, incl_vat: 4.8 }, authorization_reference: 'AUTH-REF-1', auth_method: 'COMMAND' });
    expect(strictFailures).toEqual([]);
    await client.close();
  });

  test('refusals: unknown location (404 + 2003), another party’s token, no remote start capability, unknown session', async () => {
    const unknown = await command('START_SESSION', { response_url: emsp.responseUrl('x1'), token: appUser('U1'), location_id: 'NOWHERE' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ status_code: 2003, data: { result: 'REJECTED' } });
    const foreign = await command('START_SESSION', { response_url: emsp.responseUrl('x2'), token: { ...appUser('U2'), party_id: 'OTH' }, location_id: 'LOC-CMD' });
    expect(foreign.body.data.result).toBe('REJECTED');
    const noRemote = await command('START_SESSION', { response_url: emsp.responseUrl('x3'), token: appUser('U3'), location_id: 'LOC-CMD', evse_uid: 'CMD-NOREMOTE' });
    expect(noRemote.body.data.result).toBe('NOT_SUPPORTED');
    const noSession = await command('STOP_SESSION', { response_url: emsp.responseUrl('x4'), session_id: 'no-such-session' });
    expect(noSession.body.data.result).toBe('UNKNOWN_SESSION');
    const bad = await command('START_SESSION', { response_url: emsp.responseUrl('x5'), location_id: 'LOC-CMD' });
    expect(bad.status).toBe(400);
    expect(bad.body.status_code).toBe(2001);
    // A marker command whose result (FAILED: the station is offline) is queued after anything the refusals queued.
    await command('START_SESSION', { response_url: emsp.responseUrl('x-marker'), token: appUser('U3'), location_id: 'LOC-CMD', evse_uid: 'CMD-OFF' });
    expect(await resultOf('x-marker')).toEqual({ result: 'FAILED' });
    for (const id of ['x1', 'x2', 'x3', 'x4', 'x5']) expect(emsp.store.commandResults.has(id)).toBe(false);
  });

  test('an offline station gives FAILED, a silent one TIMEOUT — never a hanging command', async () => {
    const offline = await command('START_SESSION', { response_url: emsp.responseUrl('off-1'), token: appUser('U4'), location_id: 'LOC-CMD', evse_uid: 'CMD-OFF' });
    expect(offline.body.data.result).toBe('ACCEPTED');
    expect(await resultOf('off-1')).toEqual({ result: 'FAILED' });

    const { client } = await connectStation(server, 'CP-CMD', { register: false });
    let asked = false;
    client.handle('RemoteStartTransaction', () => {
      asked = true;
      return new Promise(() => {});
    });
    await command('START_SESSION', { response_url: emsp.responseUrl('silent-1'), token: appUser('U5'), location_id: 'LOC-CMD', evse_uid: 'CMD-2' });
    await eventually(() => expect(asked).toBe(true));
    // COMMAND_TIMEOUT_S is 1: nothing is due a millisecond before the deadline, TIMEOUT at it.
    clock.advance(999);
    expect(emsp.store.commandResults.has('silent-1')).toBe(false);
    clock.advance(1);
    expect(await resultOf('silent-1')).toEqual({ result: 'TIMEOUT' });
    await client.close({ force: true });
    // No session was started, so none lingers: neither the eMSP nor the Sessions list has one for these tokens.
    const listed = (await server.ocpi('GET', '/ocpi/cpo/2.2.1/sessions?date_from=2020-01-01T00:00:00Z', token)).body.data as any[];
    expect(listed.filter((s) => ['U4', 'U5'].includes(s.cdr_token.uid))).toEqual([]);
    expect([...emsp.store.sessions.values()].filter((s) => ['U4', 'U5'].includes(s.cdr_token.uid))).toEqual([]);
  });
});

describe('reservations and unlocking', () => {
  test('RESERVE_NOW reserves (EVSE shows RESERVED), CANCEL_RESERVATION cancels, unknown ones are UNKNOWN_RESERVATION, expiry cancels on the station', async () => {
    const { client, strictFailures } = await connectStation(server, 'CP-CMD', { register: false });
    const calls: { action: string; params: any }[] = [];
    client.handle('ReserveNow', async ({ params }) => {
      calls.push({ action: 'ReserveNow', params });
      void client.call('StatusNotification', { connectorId: (params as any).connectorId, status: 'Reserved', errorCode: 'NoError' });
      return { status: 'Accepted' };
    });
    client.handle('CancelReservation', async ({ params }) => {
      calls.push({ action: 'CancelReservation', params });
      return { status: 'Accepted' };
    });
    const expiry = new Date(clock.now().getTime() + 60 * 60_000).toISOString();
    const reserve = await command('RESERVE_NOW', { response_url: emsp.responseUrl('res-1'), token: appUser('R1'), expiry_date: expiry, reservation_id: 'EMSP-RES-1', location_id: 'LOC-CMD', evse_uid: 'CMD-2' });
    expect(reserve.body.data.result).toBe('ACCEPTED');
    expect(await resultOf('res-1')).toEqual({ result: 'ACCEPTED' });
    const ocppReservationId = calls[0]!.params.reservationId;
    expect(typeof ocppReservationId).toBe('number');
    await eventually(async () => expect((await server.ocpi('GET', '/ocpi/cpo/2.2.1/locations/LOC-CMD/CMD-2', token)).body.data.status).toBe('RESERVED'));

    // The reservation is a Session in status RESERVATION for the eMSP (OCPI 2.2.1 sessions).
    const reservedSession = await eventually(() => {
      const found = [...emsp.store.sessions.values()].find((x) => x.cdr_token.uid === 'R1');
      expect(found).toMatchObject({ status: 'RESERVATION', evse_uid: 'CMD-2', auth_method: 'COMMAND', kwh: 0 });
      return found;
    });

    const cancel = await command('CANCEL_RESERVATION', { response_url: emsp.responseUrl('cancel-1'), reservation_id: 'EMSP-RES-1' });
    expect(cancel.body.data.result).toBe('ACCEPTED');
    expect(await resultOf('cancel-1')).toEqual({ result: 'ACCEPTED' });
    await eventually(() => expect(emsp.store.sessions.get(`NL/DYN/${reservedSession.id}`)).toMatchObject({ status: 'COMPLETED' }));
    expect(emsp.store.cdrs.some((c) => c.session_id === reservedSession.id)).toBe(false);
    expect(calls[1]).toEqual({ action: 'CancelReservation', params: { reservationId: ocppReservationId } });
    await command('CANCEL_RESERVATION', { response_url: emsp.responseUrl('cancel-2'), reservation_id: 'NEVER-MADE' });
    expect(await resultOf('cancel-2')).toEqual({ result: 'UNKNOWN_RESERVATION' });

    // The reserved driver arrives: the transaction continues the reservation's session, now ACTIVE.
    await command('RESERVE_NOW', { response_url: emsp.responseUrl('res-3'), token: appUser('R3'), expiry_date: expiry, reservation_id: 'EMSP-RES-3', location_id: 'LOC-CMD', evse_uid: 'CMD-2', authorization_reference: 'RES-REF-3' });
    await resultOf('res-3');
    const reservationId = calls.filter((c) => c.action === 'ReserveNow').at(-1)!.params.reservationId;
    const waiting = await eventually(() => {
      const found = [...emsp.store.sessions.values()].find((x) => x.cdr_token.uid === 'R3');
      expect(found?.status).toBe('RESERVATION');
      return found;
    });
    const started = (await client.call('StartTransaction', { connectorId: 2, idTag: 'R3', meterStart: 0, reservationId, timestamp: new Date().toISOString() })) as { transactionId: number; idTagInfo: { status: string } };
    expect(started.idTagInfo.status).toBe('Accepted');
    await eventually(() => expect(emsp.store.sessions.get(`NL/DYN/${waiting.id}`)).toMatchObject({ status: 'ACTIVE', authorization_reference: 'RES-REF-3' }));
    await client.call('StopTransaction', { transactionId: started.transactionId, meterStop: 1000, timestamp: new Date(Date.now() + 60_000).toISOString() });
    await eventually(() => expect(emsp.store.cdrs.find((c) => c.session_id === waiting.id)).toMatchObject({ total_energy: 1 }));

    // A reservation that expires unused is cancelled on the station.
    await command('RESERVE_NOW', { response_url: emsp.responseUrl('res-2'), token: appUser('R2'), expiry_date: new Date(clock.now().getTime() + 700).toISOString(), reservation_id: 'EMSP-RES-2', location_id: 'LOC-CMD', evse_uid: 'CMD-2' });
    await resultOf('res-2');
    expect(calls.filter((c) => c.action === 'CancelReservation')).toHaveLength(1);
    clock.advance(700);
    await eventually(() => expect(calls.filter((c) => c.action === 'CancelReservation')).toHaveLength(2));
    await eventually(() => expect([...emsp.store.sessions.values()].find((x) => x.cdr_token.uid === 'R2')?.status).toBe('COMPLETED'));
    expect(strictFailures).toEqual([]);
    await client.close();
  });

  test('UNLOCK_CONNECTOR reaches the station and reports its answer', async () => {
    const { client } = await connectStation(server, 'CP-CMD', { register: false });
    client.handle('UnlockConnector', async () => ({ status: 'UnlockFailed' }));
    const unlock = await command('UNLOCK_CONNECTOR', { response_url: emsp.responseUrl('unlock-1'), location_id: 'LOC-CMD', evse_uid: 'CMD-1', connector_id: '1' });
    expect(unlock.body.data.result).toBe('ACCEPTED');
    expect(await resultOf('unlock-1')).toEqual({ result: 'FAILED' });
    const unknownConnector = await command('UNLOCK_CONNECTOR', { response_url: emsp.responseUrl('unlock-2'), location_id: 'LOC-CMD', evse_uid: 'CMD-1', connector_id: '9' });
    expect(unknownConnector.status).toBe(404);
    await client.close();
  });
});

describe('START_SESSION on an OCPP 2.0.1 station', () => {
  test('RequestStartTransaction with a remoteStartId; the TransactionEvent that follows belongs to the command', async () => {
    const { client, strictFailures } = await connectStation(server, 'CP-CMD-201', { protocol: 'ocpp2.0.1' });
    await client.call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'DC' } });
    let request: any;
    client.handle('RequestStartTransaction', async ({ params }: { params?: any }) => {
      // A copy: bun's toMatchObject with expect.any() writes into the object it checks.
      request = structuredClone(params);
      const { remoteStartId, idToken } = params as { remoteStartId: number; idToken: unknown };
      setTimeout(() => void client.call('TransactionEvent', {
        eventType: 'Started', timestamp: new Date().toISOString(), triggerReason: 'RemoteStart', seqNo: 0,
        transactionInfo: { transactionId: 'TX-CMD-201', remoteStartId, chargingState: 'Charging' },
        idToken, evse: { id: 1, connectorId: 1 },
      }), 20);
      return { status: 'Accepted' };
    });
    const response = await command('START_SESSION', { response_url: emsp.responseUrl('start-201'), token: appUser('APP201'), location_id: 'LOC-CMD', evse_uid: 'CMD-201', authorization_reference: 'AUTH-201' });
    expect(response.body.data.result).toBe('ACCEPTED');
    expect(await resultOf('start-201')).toEqual({ result: 'ACCEPTED' });
    expect(request).toMatchObject({ idToken: { idToken: 'APP201', type: 'Central' }, evseId: 1, remoteStartId: expect.any(Number) });
    await eventually(() => {
      const pushed = [...emsp.store.sessions.values()].find((s) => s.cdr_token.uid === 'APP201');
      expect(pushed).toMatchObject({ auth_method: 'COMMAND', authorization_reference: 'AUTH-201', evse_uid: 'CMD-201', status: 'ACTIVE' });
    });
    expect(strictFailures).toEqual([]);
    await client.close();
  });
});
