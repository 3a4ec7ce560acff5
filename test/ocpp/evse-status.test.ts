import { afterAll, beforeAll, expect, test } from 'bun:test';
import { startFakeEmsp, type FakeEmsp } from '../support/fake-emsp.ts';
import { connectStation } from '../support/stations.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let emsp: FakeEmsp;
let token: string;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const connector = { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32 };

beforeAll(async () => {
  server = startTestServer({ env: { OFFLINE_GRACE_S: '1' } });
  emsp = startFakeEmsp();
  const invitation = (await server.api('POST', '/api/v1/ocpi/invitations')).body;
  token = (await emsp.registerWith(invitation.versions_url, invitation.token)).cpo.token;
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

const evse = async (uid: string) => (await server.ocpi('GET', `/ocpi/cpo/2.2.1/locations/SITE1/${uid}`, token)).body.data;

test('station statuses become OCPI EVSE statuses; offline past the grace period they are UNKNOWN', async () => {
  const before = (await server.ocpi('GET', '/ocpi/cpo/2.2.1/locations/SITE1', token)).body.data.last_updated;
  await wait(1100);
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
  await wait(1100);
  await client.call('StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError' });
  expect((await evse('SITE1-1')).last_updated).toBe(stamp);

  // The whole station unavailable overrides every EVSE; available again restores their own statuses.
  await client.call('StatusNotification', { connectorId: 0, status: 'Unavailable', errorCode: 'NoError' });
  expect((await evse('SITE1-1')).status).toBe('INOPERATIVE');
  await client.call('StatusNotification', { connectorId: 0, status: 'Available', errorCode: 'NoError' });
  expect((await evse('SITE1-1')).status).toBe('CHARGING');

  await client.close();
  await wait(300);
  expect((await evse('SITE1-1')).status).toBe('CHARGING'); // within the grace period
  await wait(1200);
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
  server = await server.restart();
  expect((await evse('SITE1-1')).status).toBe('AVAILABLE');
  await wait(1300);
  expect((await evse('SITE1-1')).status).toBe('UNKNOWN');
  await client.close();
});
