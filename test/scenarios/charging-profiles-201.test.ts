/**
 * Smart charging on an OCPP 2.0.1 station (ocpp-rpc, strict): the eMSP's profile as the TxProfile of the
 * transaction on its EVSE, converted A → W for a station that takes W (SmartChargingCtrlr.RateUnit); and the
 * station's own limit changes (NotifyChargingLimit, ClearedChargingLimit) reaching the eMSP as ActiveChargingProfile
 * PUTs — only for a session whose profile it set successfully.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { eventually } from '../support/eventually.ts';
import { aDriverToken, partnerPool, pushToken, type Partner } from '../support/mothers/partners.ts';
import { aConnector, aLocation, anEvse } from '../support/mothers/network.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';
import { connectStation, type Station } from '../support/stations.ts';

const partners = partnerPool();
let server: TestServer;
let home: Partner;
let station: Station;
const calls: { action: string; params: any }[] = [];
/** What the station's limits are: the TxProfile's schedule, unless an external limit (the grid operator's) is lower. */
const limits = { profile: undefined as any, externalW: undefined as number | undefined };

const single = aConnector('1', { power_type: 'AC_1_PHASE', max_voltage: 230, max_amperage: 32, tariff_ids: ['T-SC2'] });
const path = (sessionId: string) => `/ocpi/cpo/2.2.1/chargingprofiles/${encodeURIComponent(sessionId)}`;
const updatesOf = (sessionId: string) => home.emsp.store.activeProfiles.filter((a) => a.sessionId === sessionId).map((a) => a.body);
const resultOf = (id: string) =>
  eventually(() => {
    const found = home.emsp.store.profileResults.filter((r) => r.id === id);
    expect(found).toHaveLength(1);
    return found[0]!.body;
  });
const callsOf = (action: string) => calls.filter((c) => c.action === action).map((c) => c.params);

let seqNo = 0;
/** A 2.0.1 transaction of the home eMSP's driver on `evseId`; resolves with its OCPI session id once pushed. */
async function charging(evseId: number, transactionId: string, uid: string) {
  await station.client.call('TransactionEvent', {
    eventType: 'Started',
    timestamp: new Date().toISOString(),
    triggerReason: 'Authorized',
    seqNo: seqNo++,
    transactionInfo: { transactionId, chargingState: 'Charging' },
    idToken: { idToken: uid, type: 'ISO14443' },
    evse: { id: evseId, connectorId: 1 },
  });
  return eventually(() => {
    const pushed = [...home.emsp.store.sessions.values()].find((s) => s.cdr_token.uid === uid && s.status === 'ACTIVE');
    expect(pushed).toBeDefined();
    return pushed.id as string;
  });
}

beforeAll(async () => {
  server = startTestServer({ env: { COMMAND_TIMEOUT_S: '5', DELIVERY_BASE_DELAY_MS: '50' } });
  home = await partners.registered(server, { countryCode: 'DE', partyId: 'EMS' });
  await server.api('PUT', '/api/v1/tariffs/T-SC2', { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.4, vat: 21, step_size: 1 }] }] });
  const capabilities = ['RFID_READER', 'CHARGING_PROFILE_CAPABLE'];
  await server.api(
    'PUT',
    '/api/v1/locations/LOC-SC2',
    aLocation({
      evses: [
        anEvse('SC2-1', { capabilities, connectors: [single], ocpp: { charge_point_id: 'CP-SC201', evse_id: 1 } }),
        anEvse('SC2-2', { capabilities, connectors: [single], ocpp: { charge_point_id: 'CP-SC201', evse_id: 2 } }),
      ],
    }),
  );
  for (const uid of ['SC2-HOME-1', 'SC2-HOME-2']) await pushToken(server, home, aDriverToken(home, { uid, whitelist: 'ALWAYS' }));

  station = await connectStation(server, 'CP-SC201', { protocol: 'ocpp2.0.1' });
  const { client } = station;
  await client.call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'AC-7' } });
  const record = (action: string, answer: (params: any) => Record<string, unknown>) =>
    client.handle(action, async ({ params }: { params?: any }) => {
      calls.push({ action, params: structuredClone(params) });
      return answer(params);
    });
  record('GetVariables', (p) => ({
    getVariableResult: p.getVariableData.map((d: any) => ({ component: d.component, variable: d.variable, attributeStatus: 'Accepted', attributeValue: 'W' })),
  }));
  record('SetChargingProfile', (p) => {
    limits.profile = p.chargingProfile;
    return { status: 'Accepted' };
  });
  // The composite: the lower of the TxProfile's first limit and the external one, or the EVSE's 7360 W.
  record('GetCompositeSchedule', (p) => {
    const own = limits.profile?.chargingSchedule[0].chargingSchedulePeriod[0].limit ?? 7360;
    return {
      status: 'Accepted',
      schedule: { evseId: p.evseId, duration: p.duration, scheduleStart: new Date().toISOString(), chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: Math.min(own, limits.externalW ?? own) }] },
    };
  });
});

afterAll(async () => {
  await station?.client.close({ force: true });
  await server.stop();
  partners.stopAll();
  removeDir(server.dir);
});

describe('ChargingProfiles on an OCPP 2.0.1 station', () => {
  let sessionId: string;

  test('our version details list chargingprofiles as a RECEIVER module', async () => {
    const details = await server.ocpi('GET', '/ocpi/versions/2.2.1', home.token);
    expect(details.body.data.endpoints).toContainEqual({ identifier: 'chargingprofiles', role: 'RECEIVER', url: `${server.config.publicUrl}/ocpi/cpo/2.2.1/chargingprofiles` });
  });

  test('PUT an absolute profile in A: SetChargingProfile for the transaction on its EVSE, in W (16 A × 230 V = 3680 W)', async () => {
    sessionId = await charging(1, 'TX-SC2-1', 'SC2-HOME-1');
    const start = '2030-01-01T10:00:00Z';
    const response = await server.ocpi('PUT', path(sessionId), home.token, {
      charging_profile: { start_date_time: start, duration: 7200, charging_rate_unit: 'A', min_charging_rate: 6, charging_profile_period: [{ start_period: 0, limit: 16 }, { start_period: 3600, limit: 10 }] },
      response_url: home.emsp.profileResponseUrl('set-201'),
    });
    expect(response.body.data).toEqual({ result: 'ACCEPTED', timeout: 5 });
    expect(await resultOf('set-201')).toEqual({ result: 'ACCEPTED' });
    expect(callsOf('GetVariables')).toEqual([{ getVariableData: [{ component: { name: 'SmartChargingCtrlr' }, variable: { name: 'RateUnit' } }] }]);
    const [set] = callsOf('SetChargingProfile');
    const id = set.chargingProfile.id;
    expect(set).toEqual({
      evseId: 1,
      chargingProfile: {
        id,
        stackLevel: 1,
        chargingProfilePurpose: 'TxProfile',
        chargingProfileKind: 'Absolute',
        transactionId: 'TX-SC2-1',
        chargingSchedule: [
          { id, startSchedule: '2030-01-01T10:00:00.000Z', duration: 7200, chargingRateUnit: 'W', minChargingRate: 1380, chargingSchedulePeriod: [{ startPeriod: 0, limit: 3680 }, { startPeriod: 3600, limit: 2300 }] },
        ],
      },
    });
    // Its schedule, back in A for the eMSP.
    const [update] = await eventually(() => {
      expect(updatesOf(sessionId)).toHaveLength(1);
      return updatesOf(sessionId);
    });
    expect(update.charging_profile).toMatchObject({ charging_rate_unit: 'A', charging_profile_period: [{ start_period: 0, limit: 16 }] });
    expect(station.strictFailures).toEqual([]);
  });

  test('NotifyChargingLimit and ClearedChargingLimit: the eMSP hears the new schedule (PUT with routing headers)', async () => {
    limits.externalW = 2300;
    const answer = await station.client.call('NotifyChargingLimit', {
      chargingLimit: { chargingLimitSource: 'SO', isGridCritical: true },
      evseId: 1,
      chargingSchedule: [{ id: 99, chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 2300 }] }],
    });
    expect(answer).toEqual({});
    const limited = await eventually(() => {
      expect(updatesOf(sessionId)).toHaveLength(2);
      return updatesOf(sessionId)[1];
    });
    expect(limited.charging_profile).toMatchObject({ charging_rate_unit: 'A', charging_profile_period: [{ start_period: 0, limit: 10 }] });
    const request = home.emsp.received.filter((r) => r.method === 'PUT' && r.path === `/ocpi/emsp/2.2.1/chargingprofiles/${sessionId}`).at(-1)!;
    expect(request.headers).toMatchObject({ 'ocpi-from-country-code': 'NL', 'ocpi-from-party-id': 'DYN', 'ocpi-to-country-code': 'DE', 'ocpi-to-party-id': 'EMS' });

    limits.externalW = undefined;
    expect(await station.client.call('ClearedChargingLimit', { chargingLimitSource: 'SO', evseId: 1 })).toEqual({});
    await eventually(() => expect(updatesOf(sessionId)).toHaveLength(3));
    expect(updatesOf(sessionId)[2].charging_profile.charging_profile_period).toEqual([{ start_period: 0, limit: 16 }]);
  });

  test('no ActiveChargingProfile for a session whose eMSP never set a profile; ReportChargingProfiles is answered', async () => {
    const plain = await charging(2, 'TX-SC2-2', 'SC2-HOME-2');
    const composites = callsOf('GetCompositeSchedule').length;
    expect(await station.client.call('NotifyChargingLimit', { chargingLimit: { chargingLimitSource: 'EMS' }, evseId: 2 })).toEqual({});
    expect(
      await station.client.call('ReportChargingProfiles', {
        requestId: 1,
        chargingLimitSource: 'CSO',
        evseId: 1,
        chargingProfile: [{ id: 7, stackLevel: 0, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Relative', chargingSchedule: [{ id: 7, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 32 }] }] }],
      }),
    ).toEqual({});
    // The report concerns EVSE 1, whose eMSP set a profile: it hears the schedule once more; EVSE 2's never does.
    await eventually(() => expect(updatesOf(sessionId)).toHaveLength(4));
    expect(callsOf('GetCompositeSchedule')).toHaveLength(composites + 1);
    expect(updatesOf(plain)).toEqual([]);
    expect(station.strictFailures).toEqual([]);
  });
});
