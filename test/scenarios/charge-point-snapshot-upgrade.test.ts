/**
 * Charge points stored by machine version 1 (EVSE statuses keyed "0", "1") keep what their stations reported after
 * the upgrade to version 2 (keyed "e0", "e1"): the snapshot is read as version 2 and written back as such with the
 * station's next report. Checked on the real database (SQLite file or PostgreSQL), whose row is put back the way
 * the previous build wrote it.
 */
import { afterAll, expect, test } from 'bun:test';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';
import { connectStation } from '../support/stations.ts';
import { secondConnection } from '../support/test-database.ts';

const ID = 'CP-UPGRADE';
let server: TestServer | undefined;
afterAll(async () => {
  await server?.stop();
  if (server) removeDir(server.dir);
});

function storedRow(config: TestServer['config']) {
  const db = secondConnection(config, { readonly: false });
  try {
    const row = db.query('select machine_version as version, snapshot from charge_points where id = ?').get(ID) as { version: number; snapshot: string };
    return { version: row.version, snapshot: JSON.parse(row.snapshot) };
  } finally {
    db.close();
  }
}

const connectors = async (s: TestServer) => (await s.api('GET', `/api/v1/charge-points/${ID}`)).body.connectors.map((c: { evse_id: number; status: string }) => [c.evse_id, c.status]);

test('a charge point stored by machine version 1 keeps its reported statuses and is written back as version 2', async () => {
  const first = startTestServer();
  const station = await connectStation(first, ID);
  await station.client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
  await station.client.call('StatusNotification', { connectorId: 1, status: 'Faulted', errorCode: 'GroundFailure' });
  await station.client.call('StatusNotification', { connectorId: 0, status: 'Unavailable', errorCode: 'NoError' });
  await station.client.close();
  await first.stop();
  const { dir } = first;

  // The row as version 1 wrote it: the same statuses under "1" and "0".
  const written = storedRow(first.config);
  expect(written.version).toBe(2);
  expect(Object.keys(written.snapshot.context.evses).sort()).toEqual(['e0', 'e1']);
  const v1Evses = Object.fromEntries(Object.entries(written.snapshot.context.evses).map(([key, status]) => [key.slice(1), status]));
  const db = secondConnection(first.config, { readonly: false });
  db.query('update charge_points set machine_version = 1, snapshot = ? where id = ?').run(JSON.stringify({ ...written.snapshot, context: { ...written.snapshot.context, evses: v1Evses } }), ID);
  db.close();

  server = startTestServer({ dir });
  expect(await connectors(server)).toEqual([
    [0, 'Unavailable'],
    [1, 'Faulted'],
  ]);
  const back = await connectStation(server, ID, { register: false });
  expect(await back.client.call('StatusNotification', { connectorId: 2, status: 'Available', errorCode: 'NoError' })).toEqual({});
  expect(await connectors(server)).toEqual([
    [0, 'Unavailable'],
    [1, 'Faulted'],
    [2, 'Available'],
  ]);
  await back.client.close();
  const upgraded = storedRow(server.config);
  expect(upgraded.version).toBe(2);
  expect(upgraded.snapshot.context.evses).toMatchObject({ e0: { status: 'Unavailable' }, e1: { status: 'Faulted', errorCode: 'GroundFailure' }, e2: { status: 'Available' } });
  expect(back.strictFailures).toEqual([]);
});
