import { afterAll, beforeAll, expect, test } from 'bun:test';
import { eventually } from '../support/eventually.ts';
import { startFakeEmsp } from '../support/fake-emsp.ts';
import { callNode, ocpiAuth, privateRedis, sharedPostgres, testCluster, type TestCluster } from '../support/cluster-nodes.ts';
import { bootedStation, cdrsOf, iso, sessionIdOf, setUpNetwork } from '../support/cluster-network.ts';

// A Redis of this test's own: it is killed (with its data) and started again.
const redis = await privateRedis();
let cluster: TestCluster;
const emsp = startFakeEmsp();
let token: string;

beforeAll(async () => {
  cluster = testCluster(sharedPostgres(), {}, redis.url);
  await cluster.start('A');
  await cluster.start('B');
  token = await setUpNetwork(cluster.node('A'), emsp, ['CP-O']);
});
afterAll(async () => {
  await cluster.stop();
  await redis.kill();
  emsp.stop();
});

test('Redis down for a while: what the station got an answer for is kept, and the nodes carry on once it is back', async () => {
  const a = cluster.node('A');
  const t0 = Date.now() - 3_600_000;
  const station = await bootedStation(a, 'CP-O');
  const { transactionId } = (await station.call('StartTransaction', { connectorId: 1, idTag: 'RFID0001', meterStart: 0, timestamp: iso(t0) })) as { transactionId: number };
  const sessionId = await sessionIdOf(a, token, 'RFID0001');

  await redis.kill();
  await station.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: iso(t0 + 600_000), sampledValue: [{ value: '5000' }] }] });
  const during = (await callNode(a, 'GET', `/ocpi/cpo/2.2.1/sessions?date_from=2020-01-01T00:00:00Z`, undefined, ocpiAuth(token))).body.data;
  expect(during.find((s: any) => s.id === sessionId)).toMatchObject({ kwh: 5 });

  // Back, empty: the owner takes its lease again; the stop goes through and its CDR reaches the eMSP once.
  await redis.start();
  await eventually(async () => expect(await cluster.holder('station', 'CP-O')).toBe('A'), 10_000);
  await station.call('StopTransaction', { transactionId, meterStop: 8000, timestamp: iso(t0 + 1_200_000) });
  await eventually(() => expect(cdrsOf(emsp, sessionId)).toEqual([expect.objectContaining({ total_energy: 8 })]), 10_000);
  const partnerId = (await callNode(a, 'GET', '/api/v1/ocpi/partners')).body[0].id;
  await eventually(async () => expect((await callNode(cluster.node('B'), 'GET', `/api/v1/ocpi/partners/${partnerId}/deliveries`)).body).toEqual([]), 10_000);
  expect(cdrsOf(emsp, sessionId)).toHaveLength(1);
  expect(emsp.store.sessions.get(`NL/DYN/${sessionId}`)).toMatchObject({ status: 'COMPLETED', kwh: 8 });
  await station.close();
});
