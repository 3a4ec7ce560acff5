/**
 * After a crash, charge points resume in slices while the server already serves: every station the snapshots
 * call online is marked disconnected (its grace starts from the restart), and one that reconnects before its turn keeps its new
 * connection. The network is seeded as bench:restart seeds it (a crashed node: every station online).
 */
import { afterAll, expect, test } from 'bun:test';
import { seedNetwork, stationId } from '../../bench/support/network-seed.ts';
import { eventually } from '../support/eventually.ts';
import { connectStation, STATION_PASSWORD } from '../support/stations.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

const STATIONS = 700;
let server: TestServer;
afterAll(async () => {
  await server.stop();
  removeDir(server.dir);
});

const view = async (id: string) => (await server.api('GET', `/api/v1/charge-points/${id}`)).body;

test('stations left online by a crash are disconnected in the background; one that is back first stays connected', async () => {
  const first = startTestServer();
  await first.stop();
  seedNetwork(first.config, { chargePoints: STATIONS, online: STATIONS, sessions: 0, password: STATION_PASSWORD });

  server = startTestServer({ dir: first.dir });
  // The last station's turn comes after the server listens: it reconnects before it.
  const last = stationId(STATIONS - 1);
  const { client } = await connectStation(server, last, { register: false });
  expect(await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' })).toMatchObject({ status: 'Accepted' });

  const resumed = [0, 199, 200, 450, STATIONS - 2].map(stationId);
  await eventually(async () => {
    for (const id of resumed) expect(await view(id)).toMatchObject({ connected: false, state: 'disconnected' });
  });
  // Their connections were cut by the crash: the grace counts from the restart, whichever slice they were in.
  const cuts = new Set(await Promise.all(resumed.map(async (id) => (await view(id)).disconnected_at as string)));
  expect(cuts.size).toBe(1);
  expect(await view(last)).toMatchObject({ connected: true, state: 'booted' });
  await client.close();
});
