/**
 * Several nodes against one: `bun run bench:cluster [--stations N] [--seconds S] [--calls C] [--node-cores LIST]`
 * (N default 2,000, S 10, C 200). Real node processes (`bun src/main.ts` with DATABASE_URL, REDIS_URL, NODE_ID,
 * PORT) on a fresh PostgreSQL database each run (dropped at the end) and a Redis key prefix of their own (deleted
 * after), in turn:
 *   1 node, PostgreSQL            a lone node (no REDIS_URL: it holds the database exclusively);
 *   1 node, PostgreSQL + Redis    a cluster of one: ownership claims, epochs and the node bus, nobody to share with;
 *   2 nodes, PostgreSQL + Redis   the stations split evenly over both, as a round-robin load balancer would.
 * N stations (bench/support/ocpp-station.ts) connect and boot, then run the closed loop of bench:ocpp
 * (Heartbeat → StatusNotification → MeterValues, one CALL in flight each) for S seconds: messages/s, round trip
 * p50/p99, and CPU per message of the nodes, of the PostgreSQL backends serving the database and of Redis, from
 * /proc. With two nodes it then times C OCPI UNLOCK_CONNECTOR commands sent to the node holding a station's
 * socket and C sent to the other one (the CALL routed over Redis): bench/support/routed-calls.ts.
 * On Linux with two or more cores the nodes share core 0 (the one server core of bench:ocpp; `--node-cores 0-1`
 * lets them use more) and this load generator the others; PostgreSQL and Redis are not pinned. The PostgreSQL
 * server is BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres), Redis TEST_REDIS_URL
 * (default redis://127.0.0.1:6379). Figures are printed, never asserted.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { CLUSTER_ADMIN_KEY, REDIS_URL, sharedPostgres, testCluster, type ClusterNodeProcess, type TestCluster } from '../test/support/cluster-nodes.ts';
import { dropTestDatabases } from '../test/support/test-database.ts';
import { intArg } from './support/args.ts';
import { cpuMicrosOfAll, postgresBackends, redisServerPid } from './support/backing-cpu.ts';
import { cpuMicrosOf, pinning, relaunchWithLimits } from './support/bench-process.ts';
import { percentile } from './support/http-load.ts';
import { BATCH, benchStationIds, measureWindow, registerStations, type CpuReading } from './support/load-window.ts';
import { connectProblems, windowProblems, type LoadWindow } from './support/ocpp-report.ts';
import { Station, Tally } from './support/ocpp-station.ts';
import { measureRoutedCalls, type CommandTimes } from './support/routed-calls.ts';
import { printTable } from './support/table.ts';

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: { stations: { type: 'string', default: '2000' }, seconds: { type: 'string', default: '10' }, calls: { type: 'string', default: '200' }, 'node-cores': { type: 'string' } },
});
const STATIONS = intArg(values.stations, 2, 20_000, '--stations');
const SECONDS = intArg(values.seconds, 1, 600, '--seconds');
const CALLS = intArg(values.calls, 1, 10_000, '--calls');
const DRAIN_MS = 5_000;
const NODE_CORES = values['node-cores'] ?? pinning?.server;
if (NODE_CORES !== undefined && !/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(NODE_CORES)) {
  console.error(`--node-cores must be a taskset list such as 0 or 0-1 (got "${NODE_CORES}")`);
  process.exit(2);
}
/** The production lease (the multi-node tests shorten it), replies unchecked; TRACE=off|on from the environment. */
const NODE_ENV = { CLUSTER_LEASE_MS: '10000', OCPP_CHECK_REPLIES: 'off', ...(process.env.TRACE ? { TRACE: process.env.TRACE } : {}) };
const SETUPS = [
  { label: '1 node, PostgreSQL', nodes: ['A'], alone: true },
  { label: '1 node, PostgreSQL + Redis', nodes: ['A'], alone: false },
  { label: '2 nodes, PostgreSQL + Redis', nodes: ['A', 'B'], alone: false },
] as const;
type Setup = (typeof SETUPS)[number];

interface Result {
  setup: Setup;
  registerFailures: number;
  connectMs: number;
  connected: number;
  connectFailures: Map<string, number>;
  closed: LoadWindow;
  routed?: { local: CommandTimes; routed: CommandTimes };
}

await relaunchWithLimits(STATIONS + 512);
// The database server as production runs it: the tests' default URL turns synchronous_commit off.
process.env.TEST_POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

// However the bench ends: nodes killed, Redis keys deleted, databases dropped.
const running = new Set<TestCluster>();
let cleaning: Promise<void> | undefined;
const cleanUp = () =>
  (cleaning ??= (async () => {
    for (const cluster of running) await cluster.stop().catch((error) => console.error(`cleaning up: ${error}`));
    dropTestDatabases();
  })());
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void cleanUp().finally(() => process.exit(130)));

console.log(`Several nodes: ${STATIONS} stations, closed loop ${SECONDS} s, ${CALLS} routed and ${CALLS} local commands — Bun ${Bun.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`);
console.log(pinning ? `nodes on core(s) ${NODE_CORES}, load generator on core(s) ${pinning.generator} (taskset); PostgreSQL and Redis not pinned` : 'nothing pinned (no taskset or a single core)');
const redisPid = await redisServerPid(REDIS_URL);
const results: Result[] = [];
try {
  for (const setup of SETUPS) results.push(await run(setup));
} finally {
  await cleanUp();
}
report(results);
process.exit(0);

async function run(setup: Setup): Promise<Result> {
  const database = sharedPostgres();
  const cluster = testCluster(database, NODE_ENV);
  running.add(cluster);
  try {
    const nodes: ClusterNodeProcess[] = [];
    for (const id of setup.nodes) nodes.push(await cluster.start(id, { alone: setup.alone, cores: NODE_CORES }));
    const ids = benchStationIds(STATIONS);
    progress(setup, `registering ${STATIONS} stations`);
    const registerFailures = await registerStations(nodes[0]!.url, CLUSTER_ADMIN_KEY, ids);

    progress(setup, `connecting, ${Math.ceil(STATIONS / nodes.length)} stations per node`);
    const connecting = new Tally();
    const stations = ids.map((id) => new Station(id, connecting));
    const connectStarted = performance.now();
    for (let i = 0; i < stations.length; i += BATCH) await Promise.all(stations.slice(i, i + BATCH).map((s, j) => s.connect(nodes[(i + j) % nodes.length]!.ocppUrl)));
    const connectMs = performance.now() - connectStarted;
    const live = stations.filter((s) => s.connected);

    progress(setup, `closed loop for ${SECONDS} s on ${live.length} connections`);
    const backends = postgresBackends(database.env.DATABASE_URL!);
    const cpu = (): CpuReading => ({
      all: nodes.reduce((sum, node) => sum + (cpuMicrosOf(node.pid) ?? Number.NaN), 0),
      main: nodes.reduce((sum, node) => sum + (cpuMicrosOf(node.pid, node.pid) ?? Number.NaN), 0),
      others: { PostgreSQL: cpuMicrosOfAll(backends), ...(redisPid && !setup.alone ? { Redis: cpuMicrosOf(redisPid) ?? Number.NaN } : {}) },
    });
    const closed = await measureWindow(cpu, live, DRAIN_MS, async (tally) => {
      tally.running = true;
      for (const station of live) station.startLoad();
      await Bun.sleep(SECONDS * 1000);
      tally.running = false;
    });
    await Promise.race([Promise.all(stations.map((s) => s.close())), Bun.sleep(10_000)]);

    let routed: Result['routed'];
    if (nodes.length > 1) {
      progress(setup, `${CALLS} UNLOCK_CONNECTOR through node A (holding the station) and ${CALLS} through node B`);
      routed = await measureRoutedCalls(nodes[0]!, nodes[1]!, CALLS);
    }
    return { setup, registerFailures, connectMs, connected: live.length, connectFailures: connecting.connectFailures, closed, routed };
  } finally {
    progress(setup, 'stopping the nodes');
    await cluster.stop();
    running.delete(cluster);
  }
}

function report(results: Result[]) {
  const single = results[0]!.closed;
  const us = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} µs` : '–');
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  const pct = (value: number) => `${(value * 100).toFixed(0)} %`;
  const row = (label: string, cell: (r: Result) => string) => [label, ...results.map(cell)];
  printTable([
    ['', ...results.map((r) => r.setup.label)],
    row('stations connected and booted', (r) => `${r.connected} / ${STATIONS}`),
    row('connect + BootNotification', (r) => `${(r.connectMs / 1000).toFixed(2)} s`),
    row('closed loop: messages/s (all nodes)', (r) => r.closed.messagesPerSecond.toFixed(0)),
    row(`  × ${results[0]!.setup.label}`, (r) => `${(r.closed.messagesPerSecond / single.messagesPerSecond).toFixed(2)}×`),
    row('closed loop: round trip p50', (r) => ms(r.closed.p50)),
    row('closed loop: round trip p99', (r) => ms(r.closed.p99)),
    row('node CPU µs / message (all nodes)', (r) => us(r.closed.serverMicrosPerMessage)),
    row('  of which main threads', (r) => us(r.closed.mainMicrosPerMessage)),
    row('PostgreSQL backends µs / message', (r) => us(r.closed.otherMicrosPerMessage.PostgreSQL ?? Number.NaN)),
    row('Redis µs / message', (r) => us(r.closed.otherMicrosPerMessage.Redis ?? Number.NaN)),
    row('node CPU (cores busy)', (r) => pct(r.closed.serverCpu)),
    row('load generator CPU', (r) => pct(r.closed.generatorCpu)),
  ]);

  const commands = results.find((r) => r.routed)?.routed;
  if (commands) {
    const p = (xs: number[]) => {
      const sorted = Float64Array.from(xs).sort();
      return `${percentile(sorted, 0.5).toFixed(1)} / ${percentile(sorted, 0.99).toFixed(1)} ms`;
    };
    console.log(`\nOCPI UNLOCK_CONNECTOR for a station on node A, one at a time, ${CALLS} each way; p50 / p99 from the POST:`);
    printTable([
      ['', 'sent to node A (holds the socket)', 'sent to node B (CALL routed over Redis)'],
      ['HTTP answer (ACCEPTED)', p(commands.local.answered), p(commands.routed.answered)],
      ['UnlockConnector at the station', p(commands.local.atStation), p(commands.routed.atStation)],
      ['CommandResult at the eMSP', p(commands.local.result), p(commands.routed.result)],
    ]);
  }

  console.log('\nerrors:');
  for (const r of results) {
    const lines = [r.registerFailures ? `registration failures: ${r.registerFailures}` : '', ...connectProblems(r.connectFailures), ...windowProblems('closed', r.closed, DRAIN_MS)].filter(Boolean);
    console.log(`  ${r.setup.label}: ${lines.length ? '' : 'none'}`);
    for (const line of lines) console.log(`    ${line}`);
  }
  console.log('\nClosed loop: once the nodes are saturated, round trip ≈ stations / (messages/s); it is queueing, not idle latency.');
  console.log('PostgreSQL: the backends serving the database (not its WAL writer or checkpointer). Redis: the whole server, shared with anything else using it.');
  console.log('On one machine the nodes share its cores with PostgreSQL, Redis and the load generator: two nodes cannot scale out here; the figures show what coordination costs.');
}

function progress(setup: Setup, what: string) {
  console.log(`[${setup.label}] ${what}…`);
}
