/**
 * Smart charging by the eMSP (OCPI 2.2.1 ChargingProfiles, we are Receiver) on an OCPP 1.6 station played by
 * ocpp-rpc in strict mode: the profile reaches the station as the TxProfile of the session's transaction, in the
 * unit the station takes; the result goes to the response_url exactly once; the station's schedule comes back to
 * the eMSP in its own unit. Refusals, an offline and a silent station (on the test's clock) included.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { eventually } from '../support/eventually.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { aDriverToken, partnerPool, pushToken, type Partner } from '../support/mothers/partners.ts';
import { aConnector, aLocation, anEvse } from '../support/mothers/network.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';
import { connectStation, type Station } from '../support/stations.ts';

const clock = new ManualClock();
const partners = partnerPool();
let server: TestServer;
let home: Partner;
let other: Partner;
let station: Station;
const calls: { action: string; params: any }[] = [];
/** The station's answers, changed by the tests; the TxProfile it holds feeds its composite schedule. */
const station16 = { rateUnits: 'Current', setStatus: 'Accepted' as string, clearStatus: 'Accepted', installed: undefined as any, hold: undefined as Promise<unknown> | undefined };

const capable = ['RFID_READER', 'CHARGING_PROFILE_CAPABLE'];
const ac = aConnector('1', { power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, tariff_ids: ['T-SC'] });
const path = (sessionId: string) => `/ocpi/cpo/2.2.1/chargingprofiles/${encodeURIComponent(sessionId)}`;
const watts = (limit: number) => ({ charging_rate_unit: 'W', charging_profile_period: [{ start_period: 0, limit }] });
const put = (partner: Partner, sessionId: string, profile: unknown, id: string) =>
  server.ocpi('PUT', path(sessionId), partner.token, { charging_profile: profile, response_url: partner.emsp.profileResponseUrl(id) });
const resultsOf = (id: string) => home.emsp.store.profileResults.filter((r) => r.id === id).map((r) => r.body);
const resultOf = (id: string) =>
  eventually(() => {
    expect(resultsOf(id)).toHaveLength(1);
    return resultsOf(id)[0];
  });
const callsOf = (action: string) => calls.filter((c) => c.action === action).map((c) => c.params);

/** A transaction of the home eMSP's driver on `connectorId`; resolves with its OCPI session once pushed. */
async function charging(client: Station['client'], connectorId: number, uid: string) {
  const started = (await client.call('StartTransaction', { connectorId, idTag: uid, meterStart: 1000, timestamp: new Date().toISOString() })) as { transactionId: number };
  const session = await eventually(() => {
    const pushed = [...home.emsp.store.sessions.values()].find((s) => s.cdr_token.uid === uid && s.status === 'ACTIVE');
    expect(pushed).toBeDefined();
    return pushed;
  });
  return { transactionId: started.transactionId, sessionId: session.id as string };
}

beforeAll(async () => {
  server = startTestServer({ clock, env: { COMMAND_TIMEOUT_S: '5', DELIVERY_BASE_DELAY_MS: '50' } });
  home = await partners.registered(server, { countryCode: 'DE', partyId: 'EMS' });
  other = await partners.registered(server, { countryCode: 'DE', partyId: 'OTH' });
  await server.api('PUT', '/api/v1/tariffs/T-SC', { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.4, vat: 21, step_size: 1 }] }] });
  const location = await server.api(
    'PUT',
    '/api/v1/locations/LOC-SC',
    aLocation({
      evses: [
        anEvse('SC-1', { capabilities: capable, connectors: [ac], ocpp: { charge_point_id: 'CP-SC16', evse_id: 1 } }),
        anEvse('SC-2', { capabilities: capable, connectors: [ac], ocpp: { charge_point_id: 'CP-SC16', evse_id: 2 } }),
        anEvse('SC-PLAIN', { capabilities: ['RFID_READER'], connectors: [ac], ocpp: { charge_point_id: 'CP-SC16', evse_id: 3 } }),
        anEvse('SC-OFF', { capabilities: capable, connectors: [ac], ocpp: { charge_point_id: 'CP-SC-OFF', evse_id: 1 } }),
      ],
    }),
  );
  expect(location.status).toBe(201);
  for (const uid of ['SC-HOME-1', 'SC-HOME-2', 'SC-HOME-3', 'SC-HOME-4', 'SC-HOME-5']) await pushToken(server, home, aDriverToken(home, { uid, whitelist: 'ALWAYS' }));
  await pushToken(server, other, aDriverToken(other, { uid: 'SC-OTHER-1', whitelist: 'ALWAYS' }));

  station = await connectStation(server, 'CP-SC16');
  const { client } = station;
  await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC-22' });
  const record = (action: string, answer: (params: any) => Record<string, unknown> | Promise<Record<string, unknown>>) =>
    client.handle(action, async ({ params }: { params?: any }) => {
      calls.push({ action, params: structuredClone(params) });
      return answer(params);
    });
  record('GetConfiguration', () => ({ configurationKey: [{ key: 'ChargingScheduleAllowedChargingRateUnit', readonly: true, value: station16.rateUnits }] }));
  record('SetChargingProfile', async (p) => {
    await station16.hold;
    if (station16.setStatus === 'Accepted') station16.installed = p.csChargingProfiles;
    return { status: station16.setStatus };
  });
  record('ClearChargingProfile', (p) => {
    const known = station16.installed?.chargingProfileId === p.id;
    if (known && station16.clearStatus === 'Accepted') station16.installed = undefined;
    return { status: known ? station16.clearStatus : 'Unknown' };
  });
  // The composite: the TxProfile's periods while there is one, else the connector's 32 A.
  record('GetCompositeSchedule', (p) => ({
    status: 'Accepted',
    connectorId: p.connectorId,
    scheduleStart: clock.now().toISOString(),
    chargingSchedule: { duration: p.duration, chargingRateUnit: 'A', chargingSchedulePeriod: station16.installed?.chargingSchedule.chargingSchedulePeriod ?? [{ startPeriod: 0, limit: 32 }] },
  }));
});

afterAll(async () => {
  await station?.client.close({ force: true });
  await server.stop();
  partners.stopAll();
  removeDir(server.dir);
});

describe('PUT, GET and DELETE on a session at an OCPP 1.6 station', () => {
  let session: { transactionId: number; sessionId: string };

  test('PUT: the station gets the TxProfile in the unit it takes (7400 W → 10.7 A on 3 × 230 V); the result comes once; the eMSP hears the new schedule in W', async () => {
    session = await charging(station.client, 1, 'SC-HOME-1');
    const response = await put(home, session.sessionId, watts(7400), 'set-1');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status_code: 1000, data: { result: 'ACCEPTED', timeout: 5 } });
    expect(await resultOf('set-1')).toEqual({ result: 'ACCEPTED' });

    expect(callsOf('GetConfiguration')).toEqual([{ key: ['ChargingScheduleAllowedChargingRateUnit'] }]);
    const [set] = callsOf('SetChargingProfile');
    expect(set).toEqual({
      connectorId: 1,
      csChargingProfiles: {
        chargingProfileId: set.csChargingProfiles.chargingProfileId,
        transactionId: session.transactionId,
        stackLevel: 1,
        chargingProfilePurpose: 'TxProfile',
        chargingProfileKind: 'Relative',
        chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10.7 }] },
      },
    });
    expect(Number.isInteger(set.csChargingProfiles.chargingProfileId)).toBe(true);

    // The schedule as the station computes it, back in the eMSP's unit: 10.7 A × 230 V × 3 phases = 7383 W.
    const update = await eventually(() => {
      const found = home.emsp.store.activeProfiles.find((a) => a.sessionId === session.sessionId);
      expect(found).toBeDefined();
      return found!;
    });
    expect(update.body).toEqual({
      start_date_time: expect.any(String),
      charging_profile: { start_date_time: update.body.start_date_time, duration: 3600, charging_rate_unit: 'W', charging_profile_period: [{ start_period: 0, limit: 7383 }] },
    });
    // Routing headers on both our calls: from us (NL/DYN) to the session's eMSP (DE/EMS).
    const ours = home.emsp.received.filter((r) => r.path.includes('/chargingprofiles/'));
    expect(ours.map((r) => r.method).sort()).toEqual(['POST', 'PUT']);
    for (const request of ours)
      expect(request.headers).toMatchObject({ 'ocpi-from-country-code': 'NL', 'ocpi-from-party-id': 'DYN', 'ocpi-to-country-code': 'DE', 'ocpi-to-party-id': 'EMS' });
    expect(station.strictFailures).toEqual([]);
  });

  test('a second PUT replaces the first (same chargingProfileId); a limit already in A goes unconverted', async () => {
    const first = callsOf('SetChargingProfile')[0].csChargingProfiles.chargingProfileId;
    await put(home, session.sessionId, { charging_rate_unit: 'A', min_charging_rate: 6, charging_profile_period: [{ start_period: 0, limit: 16 }, { start_period: 900, limit: 8.5 }] }, 'set-2');
    expect(await resultOf('set-2')).toEqual({ result: 'ACCEPTED' });
    // Accepted again: the eMSP hears the new schedule, now in A.
    await eventually(() => expect(home.emsp.store.activeProfiles.filter((a) => a.sessionId === session.sessionId)).toHaveLength(2));
    const second = callsOf('SetChargingProfile')[1].csChargingProfiles;
    expect(second).toMatchObject({
      chargingProfileId: first,
      chargingSchedule: { chargingRateUnit: 'A', minChargingRate: 6, chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }, { startPeriod: 900, limit: 8.5 }] },
    });
  });

  test('GET: the composite schedule for the duration asked, in the unit of the eMSP’s profile', async () => {
    const response = await server.ocpi('GET', `${path(session.sessionId)}?duration=900&response_url=${encodeURIComponent(home.emsp.profileResponseUrl('get-1'))}`, home.token);
    expect(response.body.data).toEqual({ result: 'ACCEPTED', timeout: 5 });
    const result = await resultOf('get-1');
    expect(callsOf('GetCompositeSchedule').at(-1)).toEqual({ connectorId: 1, duration: 900 });
    expect(result).toEqual({
      result: 'ACCEPTED',
      profile: {
        start_date_time: expect.any(String),
        charging_profile: { start_date_time: result.profile.start_date_time, duration: 900, charging_rate_unit: 'A', charging_profile_period: [{ start_period: 0, limit: 16 }, { start_period: 900, limit: 8.5 }] },
      },
    });
  });

  test('DELETE: the station clears exactly that profile; the eMSP then hears the schedule without it', async () => {
    const profileId = callsOf('SetChargingProfile')[0].csChargingProfiles.chargingProfileId;
    const before = home.emsp.store.activeProfiles.filter((a) => a.sessionId === session.sessionId).length;
    const response = await server.ocpi('DELETE', `${path(session.sessionId)}?response_url=${encodeURIComponent(home.emsp.profileResponseUrl('clear-1'))}`, home.token);
    expect(response.body.data).toEqual({ result: 'ACCEPTED', timeout: 5 });
    expect(await resultOf('clear-1')).toEqual({ result: 'ACCEPTED' });
    expect(callsOf('ClearChargingProfile')).toEqual([{ id: profileId }]);
    // No profile of the eMSP's left: the station's own maximum, 32 A, in the eMSP's last unit.
    const after = await eventually(() => {
      const updates = home.emsp.store.activeProfiles.filter((a) => a.sessionId === session.sessionId);
      expect(updates).toHaveLength(before + 1);
      return updates.at(-1)!;
    });
    expect(after.body.charging_profile).toMatchObject({ charging_rate_unit: 'A', charging_profile_period: [{ start_period: 0, limit: 32 }] });
    // A second clear finds nothing: UNKNOWN.
    await server.ocpi('DELETE', `${path(session.sessionId)}?response_url=${encodeURIComponent(home.emsp.profileResponseUrl('clear-2'))}`, home.token);
    expect(await resultOf('clear-2')).toEqual({ result: 'UNKNOWN' });
    // Every result went out exactly once.
    for (const id of ['set-1', 'set-2', 'get-1', 'clear-1', 'clear-2']) expect(resultsOf(id)).toHaveLength(1);
  });

  test('the station refuses: REJECTED (1.6 NotSupported too); a unit it does not list is converted, W ↔ A', async () => {
    station16.setStatus = 'Rejected';
    await put(home, session.sessionId, watts(5000), 'set-rejected');
    expect(await resultOf('set-rejected')).toEqual({ result: 'REJECTED' });
    station16.setStatus = 'NotSupported';
    await put(home, session.sessionId, watts(5000), 'set-unsupported');
    expect(await resultOf('set-unsupported')).toEqual({ result: 'REJECTED' });
    // A station taking Power only gets W: 10 A × 230 V × 3 = 6900 W.
    station16.setStatus = 'Accepted';
    station16.rateUnits = 'Power';
    await put(home, session.sessionId, { charging_rate_unit: 'A', charging_profile_period: [{ start_period: 0, limit: 10 }] }, 'set-power');
    expect(await resultOf('set-power')).toEqual({ result: 'ACCEPTED' });
    expect(callsOf('SetChargingProfile').at(-1).csChargingProfiles.chargingSchedule).toEqual({ chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 6900 }] });
    station16.rateUnits = 'Current';
  });

  test('TOO_OFTEN while the station has not answered the session’s last request', async () => {
    let release!: () => void;
    station16.hold = new Promise<void>((resolve) => (release = resolve));
    const sets = callsOf('SetChargingProfile').length;
    await put(home, session.sessionId, watts(4000), 'set-slow');
    await eventually(() => expect(callsOf('SetChargingProfile')).toHaveLength(sets + 1));
    const again = await put(home, session.sessionId, watts(3000), 'set-too-often');
    expect(again.body.data).toEqual({ result: 'TOO_OFTEN', timeout: 0 });
    release();
    station16.hold = undefined;
    expect(await resultOf('set-slow')).toEqual({ result: 'ACCEPTED' });
    const later = await put(home, session.sessionId, watts(3000), 'set-after');
    expect(later.body.data.result).toBe('ACCEPTED');
    expect(await resultOf('set-after')).toEqual({ result: 'ACCEPTED' });
    expect(resultsOf('set-too-often')).toEqual([]);
  });
});

describe('refusals', () => {
  test('unknown, another eMSP’s and finished sessions are UNKNOWN_SESSION; an EVSE without the capability NOT_SUPPORTED; no result follows', async () => {
    const { client } = station;
    expect((await put(home, 'no-such-session', watts(7400), 'x-unknown')).body.data).toEqual({ result: 'UNKNOWN_SESSION', timeout: 0 });

    const foreign = await charging(client, 2, 'SC-HOME-2');
    expect((await put(other, foreign.sessionId, watts(7400), 'x-foreign')).body.data.result).toBe('UNKNOWN_SESSION');
    const foreignGet = await server.ocpi('GET', `${path(foreign.sessionId)}?duration=60&response_url=${encodeURIComponent(other.emsp.profileResponseUrl('x-foreign-get'))}`, other.token);
    expect(foreignGet.body.data.result).toBe('UNKNOWN_SESSION');
    await client.call('StopTransaction', { transactionId: foreign.transactionId, meterStop: 2000, timestamp: new Date().toISOString() });
    await eventually(() => expect([...home.emsp.store.sessions.values()].find((s) => s.id === foreign.sessionId)?.status).toBe('COMPLETED'));
    expect((await put(home, foreign.sessionId, watts(7400), 'x-finished')).body.data.result).toBe('UNKNOWN_SESSION');

    const plain = await charging(client, 3, 'SC-HOME-3');
    expect((await put(home, plain.sessionId, watts(7400), 'x-plain')).body.data).toEqual({ result: 'NOT_SUPPORTED', timeout: 0 });
    await client.call('StopTransaction', { transactionId: plain.transactionId, meterStop: 2000, timestamp: new Date().toISOString() });

    // A marker request whose result is queued after anything the refusals could have queued.
    const marker = await charging(client, 2, 'SC-HOME-4');
    await put(home, marker.sessionId, watts(7400), 'x-marker');
    expect(await resultOf('x-marker')).toEqual({ result: 'ACCEPTED' });
    for (const id of ['x-unknown', 'x-foreign', 'x-foreign-get', 'x-finished', 'x-plain']) expect([...resultsOf(id), ...other.emsp.store.profileResults.filter((r) => r.id === id)]).toEqual([]);
    await client.call('StopTransaction', { transactionId: marker.transactionId, meterStop: 2000, timestamp: new Date().toISOString() });
  });

  test('invalid requests are 400 + 2001 naming the problem', async () => {
    const cases = [
      server.ocpi('PUT', path('s-1'), home.token, { charging_profile: { charging_rate_unit: 'kW' }, response_url: home.emsp.profileResponseUrl('bad') }),
      server.ocpi('PUT', path('s-1'), home.token, { charging_profile: watts(7400) }),
      server.ocpi('GET', `${path('s-1')}?duration=60`, home.token),
      server.ocpi('GET', `${path('s-1')}?duration=soon&response_url=${encodeURIComponent(home.emsp.profileResponseUrl('bad'))}`, home.token),
      server.ocpi('DELETE', path('s-1'), home.token),
      server.ocpi('DELETE', `${path('s-1')}?response_url=not-a-url`, home.token),
    ];
    for (const response of await Promise.all(cases)) {
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ status_code: 2001, status_message: expect.stringMatching(/charging_rate_unit|response_url|duration/) });
    }
  });
});

describe('a station that cannot answer', () => {
  test('offline: ACCEPTED at once, then REJECTED', async () => {
    const off = await connectStation(server, 'CP-SC-OFF');
    await off.client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC-22' });
    const session = await charging(off.client, 1, 'SC-HOME-5');
    await off.client.close({ force: true });
    const response = await put(home, session.sessionId, watts(7400), 'off-1');
    expect(response.body.data).toEqual({ result: 'ACCEPTED', timeout: 5 });
    expect(await resultOf('off-1')).toEqual({ result: 'REJECTED' });
  });

  test('silent: REJECTED exactly at the deadline, once', async () => {
    const sessionId = [...home.emsp.store.sessions.values()].find((s) => s.cdr_token.uid === 'SC-HOME-1')!.id as string;
    station16.hold = new Promise(() => {});
    const sets = callsOf('SetChargingProfile').length;
    await put(home, sessionId, watts(6000), 'silent-1');
    await eventually(() => expect(callsOf('SetChargingProfile')).toHaveLength(sets + 1));
    // COMMAND_TIMEOUT_S is 5: nothing is due a millisecond before the deadline, REJECTED at it.
    clock.advance(4999);
    expect(resultsOf('silent-1')).toEqual([]);
    clock.advance(1);
    expect(await resultOf('silent-1')).toEqual({ result: 'REJECTED' });
    clock.advance(60_000);
    expect(resultsOf('silent-1')).toHaveLength(1);
  });
});
