import { afterAll, beforeAll, expect, test } from 'bun:test';
import { eventually } from '../support/eventually.ts';
import { registerInvited, startFakeEmsp, type FakeEmsp } from '../support/fake-emsp.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { connectStation } from '../support/stations.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let emsp: FakeEmsp;
let token: string;
/** The server's clock: the offline grace (1 s) and the second-precision stamps move only when the test says so. */
const clock = new ManualClock('2026-11-20T12:00:00.000Z');
const connector = { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32 };

beforeAll(async () => {
  server = startTestServer({ env: { OFFLINE_GRACE_S: '1' }, clock });
  emsp = startFakeEmsp();
  token = (await registerInvited(server, emsp)).cpo.token;
  const put = await server.api('PUT', '/api/v1/locations/SITE1', {
    publish: true,
    address: 'Main St 1',
    city: 'Utrecht',
    country: 'NLD',
    coordinates: { latitude: '52.09074', longitude: '5.12142' },
    time_zone: 'Europe/Amsterdam',
    evses: [
      { uid: 'SITE1-1', status: 'AVAILABLE', connectors: [connector], ocpp: { charge_point_id: 'CP-S', evse_id: 1 } },
      { uid: 'SITE1-2', status: 'AVAILABLE', connectors: [connector], ocpp: { charge_point_id: 'CP-S', evse_id: 2 } },
    ],
  });
  expect(put.status).toBe(201);
});
afterAll(async () => {
  await server.stop();
  emsp.stop();
  removeDir(server.dir);
});

/** The grace timer is armed when the server has handled the close: wait for that before moving time. */
const offline = (chargePointId: string) => eventually(async () => expect((await server.api('GET', `/api/v1/charge-points/${chargePointId}`)).body.connected).toBe(false));
const evse = async (uid: string) => (await server.ocpi('GET', `/ocpi/cpo/2.2.1/locations/SITE1/${uid}`, token)).body.data;

test('station statuses become OCPI EVSE statuses; offline past the grace period they are UNKNOWN', async () => {
  const before = (await server.ocpi('GET', '/ocpi/cpo/2.2.1/locations/SITE1', token)).body.data.last_updated;
  clock.advance(1100);
  const { client } = await connectStation(server, 'CP-S');
  await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
  await client.call('StatusNotification', { connectorId: 1, status: 'Preparing', errorCode: 'NoError' });
  await client.call('StatusNotification', { connectorId: 2, status: 'Faulted', errorCode: 'GroundFailure' });
  expect((await evse('SITE1-1')).status).toBe('CHARGING');
  expect((await evse('SITE1-2')).status).toBe('OUTOFORDER');
  const location = (await server.ocpi('GET', '/ocpi/cpo/2.2.1/locations/SITE1', token)).body.data;
  expect(location.last_updated > before).toBe(true);
  expect(location.evses[0].last_updated).toBe(location.last_updated);

  // Preparing → Charging is no OCPI change: the stamp stays.
  const stamp = (await evse('SITE1-1')).last_updated;
  clock.advance(1100);
  await client.call('StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError' });
  expect((await evse('SITE1-1')).last_updated).toBe(stamp);

  // The whole station unavailable overrides every EVSE; available again restores their own statuses.
  await client.call('StatusNotification', { connectorId: 0, status: 'Unavailable', errorCode: 'NoError' });
  expect((await evse('SITE1-1')).status).toBe('INOPERATIVE');
  await client.call('StatusNotification', { connectorId: 0, status: 'Available', errorCode: 'NoError' });
  expect((await evse('SITE1-1')).status).toBe('CHARGING');

  await client.close();
  await offline('CP-S');
  clock.advance(999);
  expect((await evse('SITE1-1')).status).toBe('CHARGING'); // within the grace period (1 ms left)
  clock.advance(1);
  expect((await evse('SITE1-1')).status).toBe('UNKNOWN');
  expect((await evse('SITE1-2')).status).toBe('UNKNOWN');

  // Back online: the last real statuses return.
  const again = await connectStation(server, 'CP-S', { register: false });
  expect((await evse('SITE1-1')).status).toBe('CHARGING');
  await again.client.close();
});

test('after a restart, stations that were online get their grace period again, then show UNKNOWN', async () => {
  const { client } = await connectStation(server, 'CP-S', { register: false });
  await client.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
  expect((await evse('SITE1-1')).status).toBe('AVAILABLE');
  // To a whole second: the disconnection is stored at second precision and the restart re-arms the grace from it.
  clock.advance(1000 - (clock.now().getTime() % 1000));
  server = await server.restart();
  expect((await evse('SITE1-1')).status).toBe('AVAILABLE');
  clock.advance(999);
  expect((await evse('SITE1-1')).status).toBe('AVAILABLE'); // within the grace period the restart gave it
  clock.advance(1);
  expect((await evse('SITE1-1')).status).toBe('UNKNOWN');
  await client.close();
});

test('a station back within its grace that says nothing past it is not announced UNKNOWN', async () => {
  const { client } = await connectStation(server, 'CP-S', { register: false });
  await client.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
  await client.close();
  await offline('CP-S');
  clock.advance(500);
  // Its connection is written with its next message or a few seconds later (arrivals.ts): it is connected meanwhile.
  const again = await connectStation(server, 'CP-S', { register: false });
  await eventually(async () => expect((await server.api('GET', '/api/v1/charge-points/CP-S')).body.connected).toBe(true));
  clock.advance(600);
  expect((await evse('SITE1-1')).status).toBe('AVAILABLE');
  await again.client.close();
});
