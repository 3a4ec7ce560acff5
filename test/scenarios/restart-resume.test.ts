/**
 * After a crash, charge points resume in slices while the server already serves: every station the snapshots
 * call online is marked disconnected (its grace starts), and one that reconnects before its turn keeps its new
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

  await eventually(async () => {
    for (const i of [0, 199, 200, 450, STATIONS - 2]) expect(await view(stationId(i))).toMatchObject({ connected: false, state: 'disconnected' });
  });
  expect(await view(last)).toMatchObject({ connected: true, state: 'booted' });
  await client.close();
});
