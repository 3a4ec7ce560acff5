/**
 * Idle charge-point actors leave memory (ACTOR_IDLE_EVICT_S) and come back from storage on the station's next
 * message: invisible to the station, the eMSP and the operator. Time moves on the server's ManualClock.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { eventually } from '../support/eventually.ts';
import { registerInvited, startFakeEmsp, type FakeEmsp } from '../support/fake-emsp.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { connectStation } from '../support/stations.ts';
import { ADMIN_KEY, removeDir, startTestServer, type TestServer } from '../support/server.ts';

const EVICT_S = 30;
const GRACE_S = 120;
const clock = new ManualClock('2026-11-20T12:00:00.000Z');
let server: TestServer;
let emsp: FakeEmsp;
let token: string;
const connector = { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, tariff_ids: ['T-IDLE'] };
const appUser = { country_code: 'DE', party_id: 'EMS', uid: 'APP-IDLE', type: 'APP_USER', contract_id: 'C-IDLE', issuer: 'Fake eMSP', valid: true, whitelist: 'NEVER', last_updated: '2026-01-01T00:00:00Z' };

beforeAll(async () => {
  server = startTestServer({ clock, env: { ACTOR_IDLE_EVICT_S: String(EVICT_S), OFFLINE_GRACE_S: String(GRACE_S), COMMAND_TIMEOUT_S: '5' } });
  emsp = startFakeEmsp();
  await server.api('PUT', '/api/v1/tariffs/T-IDLE', { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.5, vat: 20, step_size: 1 }] }] });
  const put = await server.api('PUT', '/api/v1/locations/LOC-IDLE', {
    publish: true, address: 'Rustweg 1', city: 'Zwolle', country: 'NLD', time_zone: 'Europe/Amsterdam', coordinates: { latitude: '52.51250', longitude: '6.09440' },
    evses: [
      { uid: 'IDLE-1', status: 'AVAILABLE', capabilities: ['REMOTE_START_STOP_CAPABLE'], connectors: [connector], ocpp: { charge_point_id: 'CP-IDLE', evse_id: 1 } },
      { uid: 'GONE-1', status: 'AVAILABLE', connectors: [connector], ocpp: { charge_point_id: 'CP-GONE', evse_id: 1 } },
    ],
  });
  expect(put.status).toBe(201);
  token = (await registerInvited(server, emsp)).cpo.token;
});
afterAll(async () => {
  await server.stop();
  emsp.stop();
  removeDir(server.dir);
});

/** `dynamo_actors_live{kind="charge-point"}` as Prometheus reads it. */
async function liveChargePoints() {
  const text = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).text();
  return Number(/^dynamo_actors_live\{kind="charge-point"\} (\d+)$/m.exec(text)?.[1]);
}
const evseStatus = async (uid: string) => (await server.ocpi('GET', `/ocpi/cpo/2.2.1/locations/LOC-IDLE/${uid}`, token)).body.data.status;
/** Two sweep intervals: every actor idle since before the first has left. */
const idleLongEnough = () => clock.advance(2 * EVICT_S * 1000 + 1);

test('an idle station’s actor leaves memory; its next StatusNotification, transaction and remote command work as before', async () => {
  const { client, strictFailures } = await connectStation(server, 'CP-IDLE');
  await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
  await client.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
  expect(await liveChargePoints()).toBe(1);

  idleLongEnough();
  expect(await liveChargePoints()).toBe(0);
  await client.call('StatusNotification', { connectorId: 1, status: 'Preparing', errorCode: 'NoError' });
  expect(await liveChargePoints()).toBe(1);
  expect(await evseStatus('IDLE-1')).toBe('CHARGING');
  // Still the booted, connected station it was: a reconnect-free station is never asked to boot again.
  expect((await server.api('GET', '/api/v1/charge-points/CP-IDLE')).body).toMatchObject({ connected: true, state: 'booted' });

  idleLongEnough();
  expect(await liveChargePoints()).toBe(0);
  let remoteStart: { idTag: string; connectorId: number } | undefined;
  client.handle('RemoteStartTransaction', async ({ params }: { params?: any }) => {
    remoteStart = params;
    return { status: 'Accepted' };
  });
  const command = await server.ocpi('POST', '/ocpi/cpo/2.2.1/commands/START_SESSION', token, {
    response_url: emsp.responseUrl('idle-start'), token: appUser, location_id: 'LOC-IDLE', evse_uid: 'IDLE-1',
  });
  expect(command.body.data.result).toBe('ACCEPTED');
  await eventually(() => expect(emsp.store.commandResults.get('idle-start')).toEqual({ result: 'ACCEPTED' }));
  expect(remoteStart?.connectorId).toBe(1);

  idleLongEnough();
  expect(await liveChargePoints()).toBe(0);
  const started = (await client.call('StartTransaction', { connectorId: 1, idTag: remoteStart!.idTag, meterStart: 0, timestamp: clock.now().toISOString() })) as { transactionId: number; idTagInfo: { status: string } };
  expect(started.idTagInfo.status).toBe('Accepted');
  await client.call('StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError' });
  await eventually(() => expect([...emsp.store.sessions.values()].some((s) => s.cdr_token.uid === 'APP-IDLE' && s.status === 'ACTIVE')).toBe(true));
  expect(strictFailures).toEqual([]);
  await client.close();
});

test('a disconnected station’s actor stays while its offline grace runs, announces UNKNOWN on time, then leaves and comes back on reconnect', async () => {
  const { client } = await connectStation(server, 'CP-GONE');
  await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
  await client.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
  await client.close();
  await eventually(async () => expect((await server.api('GET', '/api/v1/charge-points/CP-GONE')).body.connected).toBe(false));

  // Idle far longer than the eviction time, but its grace timer is armed: it stays, and the grace still ends on time.
  clock.advance(GRACE_S * 1000 - 1);
  expect(await evseStatus('GONE-1')).toBe('AVAILABLE');
  clock.advance(1);
  expect(await evseStatus('GONE-1')).toBe('UNKNOWN');
  idleLongEnough();
  expect(await liveChargePoints()).toBe(0);

  const again = await connectStation(server, 'CP-GONE', { register: false });
  await eventually(async () => expect(await evseStatus('GONE-1')).toBe('AVAILABLE'));
  expect(await liveChargePoints()).toBe(1);
  await again.client.close();
});
