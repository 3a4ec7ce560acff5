/**
 * The protocol trace's own cost, apart from everything else the server does:
 *
 *   bun run bench:trace [--seconds S] [--off]
 *
 * One process holds a database file and the trace recorder (its worker as in the service). 2,000 stations' frames —
 * a CALL and its answer, cycling Heartbeat / StatusNotification / MeterValues as bench:ocpp sends them — are tapped
 * at 20,000 frames a second (about bench:ocpp's closed-loop rate), while the main thread commits a write
 * transaction every 2 ms as the group commit does. Printed: CPU per frame (every thread, and the main thread) and
 * the main thread's commit latency while the trace writes. `--off` taps nothing: the harness's own share, to
 * subtract. CPU time holds up on a shared machine far better than throughput does; run it pinned to one core
 * (`taskset -c 0`) to share a core between the service's thread and the trace worker as bench:ocpp does.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createStorage } from '../src/storage/storage.ts';
import { createTraceRecorder } from '../src/ops/trace/trace-recorder.ts';
import { systemClock } from '../src/lib/clock.ts';
import type { Station } from '../src/ocpp/gateway-tap.ts';
import { intArg } from './support/args.ts';
import { cpuMicrosOf } from './support/bench-process.ts';
import { tempDirRemovedOnExit } from './support/child-server.ts';

const { values } = parseArgs({ args: Bun.argv.slice(2), options: { seconds: { type: 'string', default: '10' }, off: { type: 'boolean', default: false } } });
const SECONDS = intArg(values.seconds, 1, 600, '--seconds');
const STATIONS = 2000;
/** 4,000 frames every 200 ms. */
const ROUND_MS = 200;
const COMMIT_EVERY_MS = 2;

const dir = mkdtempSync(join(tmpdir(), 'dynamo-bench-trace-'));
tempDirRemovedOnExit(dir);
const storage = createStorage(join(dir, 'dynamo.sqlite'));
const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const trace = createTraceRecorder({
  repo: storage.trace,
  transact: storage.transact,
  clock: systemClock,
  logger: quiet,
  resolvers: { sessionOfTransaction: () => undefined, partnersForBatch: () => () => undefined },
  settings: { retentionHours: 72, maxRows: 100_000_000 },
});
const stations: Station[] = Array.from({ length: STATIONS }, (_, i) => ({ chargePointId: `BENCH-${String(i + 1).padStart(5, '0')}`, version: 'ocpp1.6' }));

let seq = 0;
let frames = 0;
function round(kind: number) {
  const now = new Date().toISOString();
  for (const station of stations) {
    const id = String(++seq);
    const call =
      kind === 0
        ? `[2,"${id}","Heartbeat",{}]`
        : kind === 1
          ? `[2,"${id}","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"${seq % 2 ? 'Available' : 'Preparing'}"}]`
          : `[2,"${id}","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":"${now}","sampledValue":[{"value":"${seq}","measurand":"Energy.Active.Import.Register","unit":"Wh"}]}]}]`;
    const answer = kind === 0 ? `[3,"${id}",{"currentTime":"${now}"}]` : `[3,"${id}",{}]`;
    if (!values.off) {
      trace.tap.frame(station, 'in', call);
      trace.tap.frame(station, 'out', answer);
    }
    frames += 2;
  }
}

const latencies: number[] = [];
const committing = setInterval(() => {
  const started = performance.now();
  storage.transact(() => storage.sqlite.run('UPDATE charge_points SET last_seen_at = 0 WHERE 0'));
  latencies.push(performance.now() - started);
}, COMMIT_EVERY_MS);
const cpu = () => cpuMicrosOf(process.pid) ?? Number.NaN;
const mainCpu = () => cpuMicrosOf(process.pid, process.pid) ?? Number.NaN;
const [all0, main0] = [cpu(), mainCpu()];
let kind = 0;
const feeding = setInterval(() => round(kind++ % 3), ROUND_MS);
await Bun.sleep(SECONDS * 1000);
clearInterval(feeding);
await trace.flush();
clearInterval(committing);
const [all, main] = [cpu() - all0, mainCpu() - main0];
trace.stop();
const stored = storage.trace.count();
storage.close();

latencies.sort((a, b) => a - b);
const at = (q: number) => `${latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(2)} ms`;
console.log(`protocol trace${values.off ? ' (off: nothing tapped)' : ''}: ${frames} frames from ${STATIONS} stations in ${SECONDS} s, ${stored} stored`);
console.log(`CPU per frame: ${(all / frames).toFixed(2)} µs, of which the main thread ${(main / frames).toFixed(2)} µs`);
console.log(`main-thread commits every ${COMMIT_EVERY_MS} ms meanwhile: p50 ${at(0.5)}, p99 ${at(0.99)}, max ${latencies.at(-1)!.toFixed(2)} ms (${latencies.length})`);
process.exit(0);
