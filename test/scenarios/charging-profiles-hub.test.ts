/**
 * Smart charging through a roaming hub: the eMSP DE*ABC behind the hub limits its driver's session, naming itself
 * in OCPI-from-*; the result and the schedule updates come back through the hub addressed to ABC. Another party
 * behind the same hub, or the hub in its own name, cannot touch that session.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { eventually } from '../support/eventually.ts';
import { routedFrom, routingOf, type FakeHub } from '../support/fake-hub.ts';
import { ABC, hubWithNetwork, US, XYZ } from '../support/mothers/hub.ts';
import { aConnector, aLocation, anEvse, putLocation } from '../support/mothers/network.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';
import { connectStation, type Station } from '../support/stations.ts';

let server: TestServer;
let hub: FakeHub;
let token: string;
let station: Station;
let sessionId: string;
const setChargingProfiles: unknown[] = [];
const profile = { charging_rate_unit: 'W', charging_profile_period: [{ start_period: 0, limit: 7400 }] };
const put = (party: typeof ABC | undefined, id: string) =>
  server.ocpi('PUT', `/ocpi/cpo/2.2.1/chargingprofiles/${sessionId}`, token, { charging_profile: profile, response_url: hub.profileResponseUrl(id) }, party ? { headers: routedFrom(party) } : {});

beforeAll(async () => {
  server = startTestServer({ env: { COMMAND_TIMEOUT_S: '5', DELIVERY_BASE_DELAY_MS: '50' } });
  ({ hub, token } = await hubWithNetwork(server));
  await putLocation(server, 'LOC-SC-HUB', aLocation({ evses: [anEvse('SC-HUB-1', { capabilities: ['CHARGING_PROFILE_CAPABLE'], connectors: [aConnector('1', { tariff_ids: ['T-HUB'] })], ocpp: { charge_point_id: 'CP-SC-HUB', evse_id: 1 } })] }));
  station = await connectStation(server, 'CP-SC-HUB');
  await station.client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC-11' });
  station.client.handle('SetChargingProfile', async ({ params }: { params?: any }) => {
    setChargingProfiles.push(params);
    return { status: 'Accepted' };
  });
  station.client.handle('GetCompositeSchedule', async ({ params }: { params?: any }) => ({
    status: 'Accepted',
    connectorId: params.connectorId,
    chargingSchedule: { duration: params.duration, chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 7400 }] },
  }));
  await station.client.call('StartTransaction', { connectorId: 1, idTag: 'ABC-1', meterStart: 0, timestamp: new Date().toISOString() });
  sessionId = await eventually(() => {
    const pushed = hub.pushesFor('ABC-1').find((r) => r.method === 'PUT');
    expect(pushed).toBeDefined();
    return (pushed!.body as { id: string }).id;
  });
});

afterAll(async () => {
  await station?.client.close({ force: true });
  await server.stop();
  hub.stop();
  removeDir(server.dir);
});

test('another party behind the hub, or the hub in its own name, gets UNKNOWN_SESSION', async () => {
  expect((await put(XYZ, 'xyz-1')).body.data).toEqual({ result: 'UNKNOWN_SESSION', timeout: 0 });
  expect((await put(undefined, 'hub-1')).body.data).toEqual({ result: 'UNKNOWN_SESSION', timeout: 0 });
  expect(setChargingProfiles).toEqual([]);
});

test('ABC limits its session: the result and the new schedule come back through the hub, addressed to ABC', async () => {
  const response = await put(ABC, 'abc-1');
  expect(response.body.data).toEqual({ result: 'ACCEPTED', timeout: 5 });
  expect(routingOf(response.headers)).toMatchObject({ 'ocpi-to-country-code': ABC.country_code, 'ocpi-to-party-id': ABC.party_id });
  const result = await eventually(() => {
    const found = hub.received.filter((r) => r.method === 'POST' && r.path.endsWith('/chargingprofiles/results/abc-1'));
    expect(found).toHaveLength(1);
    return found[0]!;
  });
  expect(result.body).toEqual({ result: 'ACCEPTED' });
  const fromUsToAbc = { 'ocpi-from-country-code': US.country_code, 'ocpi-from-party-id': US.party_id, 'ocpi-to-country-code': ABC.country_code, 'ocpi-to-party-id': ABC.party_id };
  expect(routingOf(result.headers)).toEqual(fromUsToAbc);
  const update = await eventually(() => {
    const found = hub.received.find((r) => r.method === 'PUT' && r.path === `/ocpi/emsp/2.2.1/chargingprofiles/${sessionId}`);
    expect(found).toBeDefined();
    return found!;
  });
  expect(routingOf(update.headers)).toEqual(fromUsToAbc);
  expect(update.body).toMatchObject({ charging_profile: { charging_rate_unit: 'W', charging_profile_period: [{ start_period: 0, limit: 7400 }] } });
  expect(setChargingProfiles).toHaveLength(1);
  expect(station.strictFailures).toEqual([]);
});
