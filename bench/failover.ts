/**
 * Failover with two nodes: `bun run bench:failover [--rounds N] [--lease-ms L]` (N default 3, L default 10000,
 * the production lease). Two real node processes share one database (PostgreSQL) and a Redis on 127.0.0.1:6379
 * (REDIS_URL to change it), under a key prefix of their own. Each round:
 *  - baseline: a station (ocpp-rpc) mid-transaction on node A has closed its socket; it connects to node B, boots
 *    and sends MeterValues: connect → answer on B (the same move with nothing failed);
 *  - station failover: the same, but node A is killed (SIGKILL) and the station reconnects when its socket closes:
 *    kill → answer on B;
 *  - delivery failover: the node holding the eMSP's delivery lease is killed while a CDR waits (the eMSP answered
 *    503 until then): kill → CDR received, by the other node (bounded by the lease time);
 * then the killed node is started again. Figures are printed (milliseconds, and as ratios to the baseline), never asserted.
 */
import { parseArgs } from 'node:util';
import { intArg } from './support/args.ts';
import { startFakeEmsp } from '../test/support/fake-emsp.ts';
import { callNode, REDIS_URL, sharedPostgres, testCluster } from '../test/support/cluster-nodes.ts';
import { bootedStation, iso, setUpNetwork } from '../test/support/cluster-network.ts';
import { eventually } from '../test/support/eventually.ts';
import { dropTestDatabases } from '../test/support/test-database.ts';

const { values } = parseArgs({ args: Bun.argv.slice(2), options: { rounds: { type: 'string', default: '3' }, 'lease-ms': { type: 'string', default: '10000' } } });
const ROUNDS = intArg(values.rounds, 1, 20, '--rounds');
const LEASE_MS = intArg(values['lease-ms'], 100, 60_000, '--lease-ms');

const cluster = testCluster(sharedPostgres(), { CLUSTER_LEASE_MS: String(LEASE_MS), DELIVERY_MAX_ATTEMPTS: '100000', DELIVERY_BASE_DELAY_MS: '100', DELIVERY_MAX_DELAY_MS: '200' }, REDIS_URL);
const emsp = startFakeEmsp();
const figures = { baseline: [] as number[], station: [] as number[], delivery: [] as number[] };
try {
  await cluster.start('A');
  await cluster.start('B');
  const stations = Array.from({ length: ROUNDS }, (_, i) => [`CP-BASE-${i}`, `CP-FAIL-${i}`, `CP-CDR-${i}`]).flat();
  await setUpNetwork(cluster.node('A'), emsp, stations);
  const partnerId = (await callNode(cluster.node('A'), 'GET', '/api/v1/ocpi/partners')).body[0].id as string;
  const t0 = Date.now() - 3_600_000;
  const meter = (transactionId: number, wh: number) => ({ connectorId: 1, transactionId, meterValue: [{ timestamp: iso(t0 + wh * 100), sampledValue: [{ value: String(wh) }] }] });

  for (let round = 0; round < ROUNDS; round++) {
    // Baseline: the same move between healthy nodes (the station closes its socket to A itself).
    const leaving = await bootedStation(cluster.node('A'), `CP-BASE-${round}`);
    const { transactionId: baseTx } = (await leaving.call('StartTransaction', { connectorId: 1, idTag: 'RFID0001', meterStart: 0, timestamp: iso(t0) })) as { transactionId: number };
    await leaving.close();
    let started = performance.now();
    const arrived = await bootedStation(cluster.node('B'), `CP-BASE-${round}`);
    await arrived.call('MeterValues', meter(baseTx, 1000));
    figures.baseline.push(performance.now() - started);
    await arrived.call('StopTransaction', { transactionId: baseTx, meterStop: 2000, timestamp: iso(t0 + 60_000) });
    await arrived.close();

    // Station failover: kill -9 the node holding the station's socket.
    const onA = await bootedStation(cluster.node('A'), `CP-FAIL-${round}`);
    const { transactionId } = (await onA.call('StartTransaction', { connectorId: 1, idTag: 'RFID0001', meterStart: 0, timestamp: iso(t0) })) as { transactionId: number };
    await onA.call('MeterValues', meter(transactionId, 1000));
    const closed = new Promise((resolve) => onA.once('close', resolve));
    started = performance.now();
    await cluster.node('A').kill('SIGKILL');
    await closed;
    const onB = await bootedStation(cluster.node('B'), `CP-FAIL-${round}`);
    await onB.call('MeterValues', meter(transactionId, 2000));
    figures.station.push(performance.now() - started);
    await onB.call('StopTransaction', { transactionId, meterStop: 3000, timestamp: iso(t0 + 600_000) });
    await onB.close();
    await cluster.start('A');

    // Delivery failover: a CDR waits while the eMSP is down; its delivering node dies; the eMSP comes back.
    await eventually(async () => {
      if ((await callNode(cluster.node('B'), 'GET', `/api/v1/ocpi/partners/${partnerId}/deliveries`)).body.length) throw new Error('still delivering');
    }, 30_000);
    emsp.state.failWith = 503;
    const cdrs = emsp.store.cdrs.length;
    const station = await bootedStation(cluster.node('B'), `CP-CDR-${round}`);
    const { transactionId: cdrTx } = (await station.call('StartTransaction', { connectorId: 1, idTag: 'RFID0001', meterStart: 0, timestamp: iso(t0) })) as { transactionId: number };
    await station.call('StopTransaction', { transactionId: cdrTx, meterStop: 1000, timestamp: iso(t0 + 60_000) });
    await station.close();
    const holder = await eventually(async () => (await cluster.holder('delivery', partnerId)) ?? Promise.reject(new Error('no holder yet')), 30_000);
    started = performance.now();
    await cluster.node(holder).kill('SIGKILL');
    emsp.state.failWith = undefined;
    await eventually(() => {
      if (emsp.store.cdrs.length === cdrs) throw new Error('no CDR yet');
    }, 4 * LEASE_MS + 10_000, 5);
    figures.delivery.push(performance.now() - started);
    await cluster.start(holder);
  }
} finally {
  await cluster.stop();
  emsp.stop();
  dropTestDatabases();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const base = median(figures.baseline);
const line = (name: string, xs: number[]) =>
  console.log(`${name.padEnd(52)} median ${median(xs).toFixed(0).padStart(6)} ms  (${(median(xs) / base).toFixed(1)}× baseline)  rounds: ${xs.map((x) => x.toFixed(0)).join(', ')}`);
console.log(`Failover with two nodes, lease ${LEASE_MS} ms, ${ROUNDS} round(s), one PostgreSQL database, Redis ${REDIS_URL}`);
line('baseline: station moves A → B, MeterValues answered', figures.baseline);
line('station: kill -9 A → MeterValues answered on B', figures.station);
line('deliveries: kill -9 holder → waiting CDR received', figures.delivery);
