/**
 * OCPP 1.6 load benchmark:
 *
 *   bun run bench:ocpp [--stations N] [--seconds S] [--warmup W] [--rate R] [--paced-seconds P] [--rounds K] [--profile DIR]
 *
 * N simulated charge points (≤ 20,000, default 1,000; bench/support/ocpp-station.ts: raw-websocket.ts clients, from
 * 127.0.0.1–.4 in turn) connect in batches and boot, then each runs a closed loop: a CALL (Heartbeat →
 * StatusNotification → MeterValues → …), its answer, the next CALL; after it the same stations send R CALLs a
 * second in all (default 5,000): the latency of a server that is not saturated. The same load runs against three
 * servers, each a child process of its own (bench/support/server-process.ts), so that its RSS growth / N is memory
 * per station:
 *   echo     a bare Bun WebSocket answering every frame with [3,id,{}] — the ceiling, and the baseline of the ratios;
 *   raw      raw Bun OCPP: JSON.parse, a switch on the action, JSON.stringify of its answer, nothing checked or kept;
 *   dynamo   the real server (startServer) with the stations registered through the operator API.
 * Each server is set up in turn: started, its stations connected (RSS before, at half and at all of them), then
 * W seconds (default 5) of the closed loop unmeasured — the steady state is measured, not the JIT compiling the hot
 * path on the server's core (seconds of its CPU on a cold dynamo server). Then the measured windows come in K
 * rounds (default 3; bench/support/ocpp-rounds.ts): in each, every server runs the closed loop for S / K seconds
 * (S default 10) then the paced load for P / K seconds (P default S), echo → raw → dynamo in the first round, raw →
 * dynamo → echo in the second, and so on. This machine's speed drifts by up to a third within minutes: servers
 * measured one after the other minutes apart gave dynamo / echo from 0.46 to 0.60 with the same code; interleaved,
 * every server sees the same machine. A server's rounds are merged (messages and CPU summed over the summed window
 * time, latencies pooled); per-round ratios show the spread. Where the open-file limit holds every server's
 * stations at once (3 × N + 256) they stay connected, idle between their server's turns; otherwise they are closed
 * after each turn and connect again before the next, outside the measured windows.
 * Server CPU is read from /proc/<pid>/stat (utime + stime, every thread; the main thread from its task entry) by
 * this process; the load generator (this process) reports its own CPU: where it nears 100 % (the echo's closed loop:
 * about two thirds of it is the kernel's loopback TCP, which costs it about what it costs the echo), that msg/s is
 * the generator's limit as much as the server's, and µs / message is the fairer ratio.
 * On Linux with two or more cores the servers run on core 0 and the load generator on the others (taskset); a
 * turn starts once the servers are quiet (what one left to do after its load would slow the next). The open-file
 * limit is raised for the stations (as far as the hard limit allows). `--profile DIR` leaves the dynamo server's
 * CPU profile there (bun --cpu-prof, with its markdown summary). Figures are printed, never asserted; traffic goes
 * to 127.0.0.1 only. A smoke run: `bun run bench:ocpp --stations 200 --seconds 3`.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { intArg } from './support/args.ts';
import { openFileLimit, pinning, relaunchWithLimits } from './support/bench-process.ts';
import { report } from './support/ocpp-report.ts';
import { FILE_MARGIN, runRounds, stationsStay } from './support/ocpp-rounds.ts';
import { TargetServer, type Plan } from './support/ocpp-target-server.ts';

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: {
    stations: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '5' },
    rate: { type: 'string', default: '5000' },
    'paced-seconds': { type: 'string' },
    rounds: { type: 'string', default: '3' },
    profile: { type: 'string' },
  },
});
const STATIONS = intArg(values.stations, 1, 20_000, '--stations');
const SECONDS = intArg(values.seconds, 1, 600, '--seconds');
const WARMUP_SECONDS = intArg(values.warmup, 0, 600, '--warmup');
const RATE = intArg(values.rate, 1, 1_000_000, '--rate');
const PACED_SECONDS = intArg(values['paced-seconds'] ?? String(SECONDS), 1, 600, '--paced-seconds');
const ROUNDS = intArg(values.rounds, 1, 20, '--rounds');
const TARGETS = ['echo', 'raw', 'dynamo'] as const;
const PLAN: Plan = { stations: STATIONS, rate: RATE, drainMs: 5_000, adminKey: 'bench-admin-key-0123456789abcdef', profileDir: values.profile };

await relaunchWithLimits(TARGETS.length * STATIONS + FILE_MARGIN);

const fdLimit = openFileLimit();
console.log(`OCPP 1.6 benchmark: ${STATIONS} stations, closed loop ${SECONDS} s after ${WARMUP_SECONDS} s of warm-up, paced ${RATE} msg/s ${PACED_SECONDS} s, in ${ROUNDS} round(s) — Bun ${Bun.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`);
console.log(pinning ? `servers on core ${pinning.server}, load generator on core(s) ${pinning.generator} (taskset)` : 'servers and load generator not pinned (no taskset or a single core)');
const { stay, why } = stationsStay(TARGETS.length, STATIONS, fdLimit);
console.log(why);
if (fdLimit !== undefined && STATIONS + 100 > fdLimit)
  console.log(`warning: open-file limit is ${fdLimit} (hard limit reached); this process and the server each need one per station, expect connect failures`);

const servers: TargetServer[] = [];
try {
  for (const target of TARGETS) {
    const server = await TargetServer.start(target, PLAN);
    servers.push(server);
    await server.setUp(WARMUP_SECONDS);
    if (!stay) await server.park();
  }
  await runRounds(servers, { rounds: ROUNDS, closedSeconds: SECONDS, pacedSeconds: PACED_SECONDS, stay });
  for (const server of servers) await server.park();
} finally {
  for (const server of servers) await server.stop();
}
report(
  servers.map((s) => s.result()),
  { stations: STATIONS, rate: RATE, drainMs: PLAN.drainMs },
);
process.exit(0);
