/**
 * Which OCPI EVSE a station's StatusNotification moves is read from memory (every notification asks): each
 * operator edit of a location's EVSEs, a location's removal and a station's removal must be seen by the very next
 * notification, as if it were read from the database.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { eventually } from '../support/eventually.ts';
import { connectStation, type Station } from '../support/stations.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
const connector = { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32 };
const place = { publish: true, address: 'Main St 1', city: 'Utrecht', country: 'NLD', coordinates: { latitude: '52.09074', longitude: '5.12142' }, time_zone: 'Europe/Amsterdam' };
const evse = (uid: string, ocpp?: { charge_point_id: string; evse_id: number }) => ({ uid, status: 'AVAILABLE', connectors: [connector], ...(ocpp ? { ocpp } : {}) });
const putLocation = async (id: string, evses: unknown[]) => expect((await server.api('PUT', `/api/v1/locations/${id}`, { ...place, evses })).status).toBeLessThan(300);
const statusOf = async (location: string, uid: string) => (await server.api('GET', `/api/v1/locations/${location}`)).body.evses.find((e: { uid: string }) => e.uid === uid).status;
const report = (station: Station, connectorId: number, status: string) => station.client.call('StatusNotification', { connectorId, status, errorCode: status === 'Faulted' ? 'OtherError' : 'NoError' });

beforeAll(() => {
  server = startTestServer();
});
afterAll(async () => {
  await server.stop();
  removeDir(server.dir);
});

test('a StatusNotification follows every operator edit of the bindings, and a removed, re-registered station', async () => {
  await putLocation('SITE-B', [evse('B-1', { charge_point_id: 'CP-B', evse_id: 1 }), evse('B-2')]);
  let station = await connectStation(server, 'CP-B');
  await station.client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
  await report(station, 1, 'Charging');
  expect(await statusOf('SITE-B', 'B-1')).toBe('CHARGING');

  // Rebound within the location: EVSE 1 now feeds B-2; B-1 stays as the operator's PUT left it.
  await putLocation('SITE-B', [evse('B-1'), evse('B-2', { charge_point_id: 'CP-B', evse_id: 1 })]);
  await report(station, 1, 'Faulted');
  expect(await statusOf('SITE-B', 'B-2')).toBe('OUTOFORDER');
  expect(await statusOf('SITE-B', 'B-1')).toBe('AVAILABLE');

  // A second location takes the station's EVSE 2.
  await putLocation('SITE-C', [evse('C-1', { charge_point_id: 'CP-B', evse_id: 2 })]);
  await report(station, 2, 'Unavailable');
  expect(await statusOf('SITE-C', 'C-1')).toBe('INOPERATIVE');

  // That location deleted and created anew with EVSE 2 on another EVSE: the notification goes there.
  expect((await server.api('DELETE', '/api/v1/locations/SITE-C')).status).toBe(204);
  await report(station, 2, 'Available');
  await putLocation('SITE-D', [evse('D-1', { charge_point_id: 'CP-B', evse_id: 2 })]);
  await report(station, 2, 'Faulted');
  expect(await statusOf('SITE-D', 'D-1')).toBe('OUTOFORDER');

  // Removed: its EVSEs are UNKNOWN at once. Registered again, its bindings (kept with the locations) apply.
  expect((await server.api('DELETE', '/api/v1/charge-points/CP-B')).status).toBe(204);
  expect(await statusOf('SITE-B', 'B-2')).toBe('UNKNOWN');
  expect(await statusOf('SITE-D', 'D-1')).toBe('UNKNOWN');
  await eventually(async () => expect((await server.api('GET', '/api/v1/charge-points/CP-B')).status).toBe(404));
  station = await connectStation(server, 'CP-B');
  await station.client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
  await report(station, 1, 'Available');
  await report(station, 2, 'Charging');
  expect(await statusOf('SITE-B', 'B-2')).toBe('AVAILABLE');
  expect(await statusOf('SITE-D', 'D-1')).toBe('CHARGING');
  expect(station.strictFailures).toEqual([]);
  await station.client.close();
});
