/**
 * OCPP 1.6 load benchmark:
 *
 *   bun run bench:ocpp [--stations N] [--seconds S] [--warmup W] [--rate R] [--paced-seconds P] [--profile DIR]
 *
 * N simulated charge points (≤ 20,000, default 1,000; bench/support/ocpp-station.ts: raw-websocket.ts clients, from
 * 127.0.0.1–.4 in turn) connect in batches and boot, then each runs a closed loop for S
 * seconds (default 10): a CALL (Heartbeat → StatusNotification → MeterValues → …), its answer, the next CALL. The
 * same closed loop runs W seconds before (default 5, not measured): the steady state is measured, not the JIT
 * compiling the hot path on the server's core (seconds of its CPU on a cold dynamo server). Then
 * the same stations send R CALLs a second in all (default 5,000) for P seconds (default S): the latency of a
 * server that is not saturated. The same load runs against three servers, each a child process of its own
 * (bench/support/server-process.ts), so that its RSS growth / N is memory per station:
 *   echo     a bare Bun WebSocket answering every frame with [3,id,{}] — the ceiling, and the baseline of the ratios;
 *   raw      raw Bun OCPP: JSON.parse, a switch on the action, JSON.stringify of its answer, nothing checked or kept;
 *   dynamo   the real server (startServer) with the stations registered through the operator API.
 * Server CPU is read from /proc/<pid>/stat (utime + stime, every thread; the main thread from its task entry) by
 * this process; the load generator (this process) reports its own CPU: where it nears 100 % (the echo's closed loop:
 * about two thirds of it is the kernel's loopback TCP, which costs it about what it costs the echo), that msg/s is
 * the generator's limit as much as the server's, and µs / message is the fairer ratio.
 * On Linux with two or more cores the server runs on core 0 and the load generator on the others (taskset), and
 * the open-file limit is raised for N sockets (as far as the hard limit allows). `--profile DIR` leaves the dynamo
 * server's CPU profile there (bun --cpu-prof, with its markdown summary). Figures are printed, never asserted;
 * traffic goes to 127.0.0.1 only. A smoke run: `bun run bench:ocpp --stations 200 --seconds 3`.
 */
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { intArg } from './support/args.ts';
import { cpuMicrosOf, openFileLimit, pinning, relaunchWithLimits } from './support/bench-process.ts';
import { ChildServer, tempDirRemovedOnExit } from './support/child-server.ts';
import { BATCH, benchStationIds, measureWindow, registerStations, type CpuReading } from './support/load-window.ts';
import { pacedLoad, Station, Tally } from './support/ocpp-station.ts';
import { report, type RunResult, type Stats, type Target, type Window } from './support/ocpp-report.ts';

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: {
    stations: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '5' },
    rate: { type: 'string', default: '5000' },
    'paced-seconds': { type: 'string' },
    profile: { type: 'string' },
  },
});
const STATIONS = intArg(values.stations, 1, 20_000, '--stations');
const SECONDS = intArg(values.seconds, 1, 600, '--seconds');
const WARMUP_SECONDS = intArg(values.warmup, 0, 600, '--warmup');
const RATE = intArg(values.rate, 1, 1_000_000, '--rate');
const PACED_SECONDS = intArg(values['paced-seconds'] ?? String(SECONDS), 1, 600, '--paced-seconds');
/** After a window, calls still in flight get this long before they count as unanswered. */
const DRAIN_MS = 5_000;
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const SERVER_SCRIPT = join(import.meta.dir, 'support', 'server-process.ts');

await relaunchWithLimits(STATIONS + 256);


const fdLimit = openFileLimit();
console.log(`OCPP 1.6 benchmark: ${STATIONS} stations, closed loop ${SECONDS} s after ${WARMUP_SECONDS} s of warm-up, paced ${RATE} msg/s ${PACED_SECONDS} s — Bun ${Bun.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`);
console.log(pinning ? `server on core ${pinning.server}, load generator on core(s) ${pinning.generator} (taskset)` : 'server and load generator not pinned (no taskset or a single core)');
if (fdLimit !== undefined && STATIONS + 100 > fdLimit)
  console.log(`warning: open-file limit is ${fdLimit} (hard limit reached); this process and the server each need one per station, expect connect failures`);

const results: RunResult[] = [];
for (const target of ['echo', 'raw', 'dynamo'] as const) results.push(await run(target));
report(results, { stations: STATIONS, rate: RATE, drainMs: DRAIN_MS });
process.exit(0);

async function run(target: Target): Promise<RunResult> {
  const dir = target === 'dynamo' ? mkdtempSync(join(tmpdir(), 'dynamo-bench-')) : undefined;
  const removeDir = dir ? tempDirRemovedOnExit(dir) : undefined;
  const bunFlags = target === 'dynamo' && values.profile ? ['--cpu-prof', '--cpu-prof-md', `--cpu-prof-dir=${values.profile}`] : [];
  const server = await ChildServer.start(SERVER_SCRIPT, dir ? ['dynamo', dir, ADMIN_KEY] : [target], { bunFlags, cores: pinning?.server });
  try {
    const ids = benchStationIds(STATIONS);
    let registerMs: number | undefined;
    let registerFailures = 0;
    if (target === 'dynamo') {
      progress(target, `registering ${STATIONS} stations`);
      const started = performance.now();
      registerFailures = await registerStations(`http://127.0.0.1:${server.port}`, ADMIN_KEY, ids);
      registerMs = performance.now() - started;
    }
    // A burst of plain requests first: Bun's allocator gives back much of its start-up slack on the first traffic.
    await Promise.all(Array.from({ length: BATCH }, () => fetch(`http://127.0.0.1:${server.port}/`).then((r) => r.arrayBuffer(), () => undefined)));
    const before = await server.request<Stats>('stats');

    progress(target, 'connecting');
    const connecting = new Tally();
    const stations = ids.map((id) => new Station(id, connecting));
    // Memory per station is the growth from the first half of the stations to all of them: the rest of that slack
    // (a few MB, going while the first stations connect) would hide in a figure counted from zero.
    let half: { stats: Stats; live: number } | undefined;
    let statsMs = 0;
    const connectStarted = performance.now();
    for (let i = 0; i < stations.length; i += BATCH) {
      if (!half && i >= stations.length / 2) {
        const asked = performance.now();
        half = { stats: await server.request<Stats>('stats'), live: stations.filter((s) => s.connected).length };
        statsMs = performance.now() - asked;
      }
      await Promise.all(stations.slice(i, i + BATCH).map((s) => s.connect(`ws://127.0.0.1:${server.port}/ocpp`)));
    }
    const connectMs = performance.now() - connectStarted - statsMs;
    const live = stations.filter((s) => s.connected);
    const connected = await server.request<Stats>('stats');
    half ??= { stats: before, live: 0 };

    const closedLoop = (seconds: number) => async (tally: Tally) => {
      tally.running = true;
      for (const station of live) station.startLoad();
      await Bun.sleep(seconds * 1000);
      tally.running = false;
    };
    if (WARMUP_SECONDS > 0) {
      progress(target, `warm-up: closed loop for ${WARMUP_SECONDS} s`);
      await measure(server, live, closedLoop(WARMUP_SECONDS));
    }
    progress(target, `closed loop for ${SECONDS} s on ${live.length} connections`);
    const closed = await measure(server, live, closedLoop(SECONDS));

    progress(target, `paced at ${RATE} msg/s for ${PACED_SECONDS} s`);
    let skipped = 0;
    const paced = await measure(server, live, async () => {
      for (const station of live) station.startPaced();
      skipped = (await pacedLoad(live, RATE, PACED_SECONDS)).skipped;
    });
    const loaded = await server.request<Stats>('stats');

    progress(target, 'closing');
    await Promise.race([Promise.all(stations.map((s) => s.close())), Bun.sleep(10_000)]);
    return {
      target,
      registerMs,
      registerFailures,
      connectMs,
      connected: live.length,
      connectFailures: connecting.connectFailures,
      closed,
      paced: { ...paced, skipped },
      memory: { before, half: half.stats, connected, loaded },
      halfConnected: half.live,
      logs: loaded.logs,
    };
  } finally {
    await server.stop();
    removeDir?.();
  }
}

/** One load window (load-window.ts), with the trace records the server dropped meanwhile. */
async function measure(server: ChildServer, live: Station[], load: (tally: Tally) => Promise<void>): Promise<Window> {
  const dropped0 = await traceDropped(server);
  const window = await measureWindow(() => serverCpu(server), live, DRAIN_MS, load);
  // The recorder reports its drops with its next batch (every 250 ms).
  await Bun.sleep(300);
  return { ...window, traceDropped: (await traceDropped(server)) - dropped0 };
}

/** Protocol trace records the server dropped so far (0 for echo and raw). */
async function traceDropped(server: ChildServer): Promise<number> {
  return (await server.request<{ dropped: number }>('trace')).dropped;
}

/** The server's CPU so far from /proc (costs it nothing), or as the server itself reports it elsewhere. */
async function serverCpu(server: ChildServer): Promise<CpuReading> {
  const all = cpuMicrosOf(server.pid);
  if (all !== undefined) return { all, main: cpuMicrosOf(server.pid, server.pid) ?? Number.NaN };
  const asked = await server.request<{ cpuMicros: number; mainMicros: number }>('cpu');
  return { all: asked.cpuMicros, main: asked.mainMicros };
}

function progress(target: Target, what: string) {
  console.log(`[${target}] ${what}…`);
}
