/**
 * OCPP 1.6 load benchmark: `bun run bench:ocpp [--stations N] [--seconds S]` (N ≤ 20,000, default 1,000; S default 10).
 *
 * N simulated charge points connect (in batches, after BootNotification), then each runs a closed loop for S seconds:
 * send a CALL (Heartbeat → StatusNotification → MeterValues → …), wait for its answer, send the next. The same load
 * runs against the real server and against a bare Bun WebSocket server that answers every CALL with `[3,id,{}]`,
 * each in a child process of its own (bench/support/server-process.ts) so that its RSS delta / N is memory per
 * connected station. The load generator is this process: plain Bun WebSockets, as ocpp-rpc is too heavy for 20k.
 * Figures are printed, never asserted; traffic goes to 127.0.0.1 only.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { intArg } from './support/args.ts';
import { ChildServer, tempDirRemovedOnExit } from './support/child-server.ts';

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: {
    stations: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    'cpu-prof': { type: 'string' },
  },
});
const STATIONS = intArg(values.stations, 1, 20_000, '--stations');
const SECONDS = intArg(values.seconds, 1, 600, '--seconds');
/** Connections (and registrations) in flight at once: a 20k connect storm all at once times out. */
const BATCH = 200;
const CONNECT_TIMEOUT_MS = 15_000;
/** After the window, calls still in flight get this long before they count as unanswered. */
const DRAIN_MS = 5_000;
/** Latency samples kept (a closed loop on 2 cores stays far below this in 10 s; bounds memory for long runs). */
const MAX_SAMPLES = 5_000_000;
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const PASSWORD = 'bench-station-password-01234';
const SERVER_SCRIPT = join(import.meta.dir, 'support', 'server-process.ts');

type Target = 'dynamo' | 'echo';
interface Stats {
  rss: number;
  heapUsed: number;
  cpuMicros: number;
  logs: Record<string, { count: number; example: string }>;
}

/** Everything the stations of one run observed. */
class Tally {
  running = false;
  completed = 0;
  latencies: number[] = [];
  callErrors = new Map<string, number>();
  connectFailures = new Map<string, number>();
  unexpectedCloses = new Map<string, number>();
  serverCalls = 0;
  strayFrames = 0;

  answered(action: string, frame: unknown[], ms: number) {
    this.completed += 1;
    if (this.latencies.length < MAX_SAMPLES) this.latencies.push(ms);
    if (frame[0] === 4) increment(this.callErrors, `${action}: ${frame[2]} ${JSON.stringify(frame[3])}`);
  }
}

/** One simulated OCPP 1.6 charge point: one CALL in flight at a time. */
class Station {
  connected = false;
  closing = false;
  pendingId = '';
  private ws!: WebSocket;
  private seq = 0;
  private pendingAction = '';
  private sentAt = 0;
  private energyWh = 0;
  private available = true;
  private onAnswer: (frame: unknown[], ms: number) => void = () => {};

  constructor(
    readonly id: string,
    private readonly tally: Tally,
  ) {}

  /** Opens the socket and sends BootNotification; resolves true once it is Accepted (any CALLRESULT for the echo). */
  connect(ocppUrl: string): Promise<boolean> {
    return new Promise((resolve) => {
      const fail = (reason: string) => {
        if (this.connected || this.closing) return;
        this.closing = true;
        clearTimeout(timer);
        increment(this.tally.connectFailures, reason);
        this.ws.close();
        resolve(false);
      };
      const timer = setTimeout(() => fail('timeout'), CONNECT_TIMEOUT_MS);
      this.ws = new WebSocket(`${ocppUrl}/${encodeURIComponent(this.id)}`, {
        headers: { authorization: `Basic ${btoa(`${this.id}:${PASSWORD}`)}` },
        protocols: ['ocpp1.6'],
      });
      this.ws.onopen = () => this.call('BootNotification', { chargePointVendor: 'Bench', chargePointModel: 'Closed loop' });
      this.ws.onmessage = (event) => this.receive(String(event.data));
      this.ws.onerror = () => fail('socket error');
      this.ws.onclose = (event) => {
        if (!this.connected) return fail(`closed ${event.code} ${event.reason}`);
        if (!this.closing) increment(this.tally.unexpectedCloses, `${event.code} ${event.reason}`);
      };
      this.onAnswer = (frame) => {
        if (frame[0] !== 3) return fail(`BootNotification answered ${JSON.stringify(frame)}`.slice(0, 200));
        clearTimeout(timer);
        this.connected = true;
        resolve(true);
      };
    });
  }

  startLoad() {
    this.onAnswer = (frame, ms) => {
      this.tally.answered(this.pendingAction, frame, ms);
      if (this.tally.running) this.next();
    };
    this.next();
  }

  close() {
    this.closing = true;
    this.ws.close(1000);
    return new Promise<void>((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.addEventListener('close', () => resolve());
    });
  }

  private next() {
    const action = (['Heartbeat', 'StatusNotification', 'MeterValues'] as const)[this.seq % 3]!;
    if (action === 'Heartbeat') return this.call(action, {});
    if (action === 'StatusNotification') {
      // A real station only reports changes: alternate so that every notification is one.
      this.available = !this.available;
      return this.call(action, { connectorId: 1, errorCode: 'NoError', status: this.available ? 'Available' : 'Preparing' });
    }
    this.energyWh += 10;
    const sample = { value: String(this.energyWh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' };
    return this.call(action, { connectorId: 1, meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [sample] }] });
  }

  private call(action: string, payload: unknown) {
    this.pendingId = String(++this.seq);
    this.pendingAction = action;
    this.sentAt = performance.now();
    this.ws.send(JSON.stringify([2, this.pendingId, action, payload]));
  }

  private receive(text: string) {
    const ms = performance.now() - this.sentAt;
    let frame: unknown[];
    try {
      frame = JSON.parse(text) as unknown[];
    } catch {
      this.tally.strayFrames += 1;
      return;
    }
    // The server calling us is not part of this load; it is counted so that it does not go unnoticed.
    if (frame[0] === 2) this.tally.serverCalls += 1;
    else if (frame[1] !== this.pendingId) this.tally.strayFrames += 1;
    else {
      this.pendingId = '';
      this.onAnswer(frame, ms);
    }
  }
}

interface RunResult {
  target: Target;
  registerMs?: number;
  registerFailures: number;
  connectMs: number;
  connected: number;
  messagesPerSecond: number;
  p50: number;
  p99: number;
  memory: { idle: Stats; connected: Stats; loaded: Stats };
  bytesPerStationConnected: number;
  bytesPerStationAfterLoad: number;
  serverCpu: number;
  /** Server CPU (user + sys, every thread) over the load window, per answered CALL. */
  serverMicrosPerMessage: number;
  /** The same for the server's main thread alone (the rest: workers, GC and other helper threads). */
  mainMicrosPerMessage: number;
  benchCpu: number;
  unanswered: number;
  tally: Tally;
  logs: Stats['logs'];
}

console.log(`OCPP 1.6 closed-loop benchmark: ${STATIONS} stations, ${SECONDS} s — Bun ${Bun.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`);
const fdLimit = openFileLimit();
if (fdLimit !== undefined && STATIONS + 100 > fdLimit)
  console.log(`warning: open-file limit is ${fdLimit}; this process and the server each need one per station, expect connect failures`);

const ours = await run('dynamo');
const echo = await run('echo');
report(ours, echo);
process.exit(0);

async function run(target: Target): Promise<RunResult> {
  const dir = target === 'dynamo' ? mkdtempSync(join(tmpdir(), 'dynamo-bench-')) : undefined;
  const removeDir = dir ? tempDirRemovedOnExit(dir) : undefined;
  const profile = target === 'dynamo' && values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-md', `--cpu-prof-dir=${values['cpu-prof']}`] : [];
  const server = await ChildServer.start(SERVER_SCRIPT, dir ? ['dynamo', dir, ADMIN_KEY] : ['echo'], { bunFlags: profile });
  try {
    const ids = Array.from({ length: STATIONS }, (_, i) => `BENCH-${String(i + 1).padStart(5, '0')}`);
    let registerMs: number | undefined;
    let registerFailures = 0;
    if (target === 'dynamo') {
      progress(target, `registering ${STATIONS} stations`);
      const started = performance.now();
      registerFailures = await register(server.port, ids);
      registerMs = performance.now() - started;
    }
    const idle = await server.request<Stats>('stats');

    progress(target, 'connecting');
    const tally = new Tally();
    const stations = ids.map((id) => new Station(id, tally));
    const connectStarted = performance.now();
    for (let i = 0; i < stations.length; i += BATCH)
      await Promise.all(stations.slice(i, i + BATCH).map((s) => s.connect(`ws://127.0.0.1:${server.port}/ocpp`)));
    const connectMs = performance.now() - connectStarted;
    const live = stations.filter((s) => s.connected);
    const connected = await server.request<Stats>('stats');

    progress(target, `load for ${SECONDS} s on ${live.length} connections`);
    const cpu0 = await server.request<{ cpuMicros: number; mainMicros: number }>('cpu');
    const benchCpu0 = process.cpuUsage();
    tally.running = true;
    const started = performance.now();
    for (const station of live) station.startLoad();
    await Bun.sleep(SECONDS * 1000);
    tally.running = false;
    const windowMs = performance.now() - started;
    const completed = tally.completed;
    const benchCpu = cpuShare(process.cpuUsage(benchCpu0), windowMs);
    const cpu1 = await server.request<{ cpuMicros: number; mainMicros: number }>('cpu');
    const serverMicros = cpu1.cpuMicros - cpu0.cpuMicros;
    const serverCpu = serverMicros / (windowMs * 1000);

    // Let the calls in flight come back (bounded), so the memory figure is not taken mid-burst.
    const drainUntil = performance.now() + DRAIN_MS;
    while (live.some((s) => s.pendingId !== '') && performance.now() < drainUntil) await Bun.sleep(50);
    const unanswered = live.filter((s) => s.pendingId !== '').length;
    const loaded = await server.request<Stats>('stats');

    progress(target, 'closing');
    await Promise.race([Promise.all(stations.map((s) => s.close())), Bun.sleep(10_000)]);

    const sorted = Float64Array.from(tally.latencies).sort();
    const perStation = (stats: Stats) => (live.length ? (stats.rss - idle.rss) / live.length : NaN);
    return {
      target,
      registerMs,
      registerFailures,
      connectMs,
      connected: live.length,
      messagesPerSecond: completed / (windowMs / 1000),
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      memory: { idle, connected, loaded },
      bytesPerStationConnected: perStation(connected),
      bytesPerStationAfterLoad: perStation(loaded),
      serverCpu,
      serverMicrosPerMessage: completed ? serverMicros / completed : NaN,
      mainMicrosPerMessage: completed ? (cpu1.mainMicros - cpu0.mainMicros) / completed : NaN,
      benchCpu,
      unanswered,
      tally,
      logs: loaded.logs,
    };
  } finally {
    await server.stop();
    removeDir?.();
  }
}

/** PUT /api/v1/charge-points/{id} for every station, BATCH at a time; returns how many failed. */
async function register(port: number, ids: string[]) {
  let failures = 0;
  for (let i = 0; i < ids.length; i += BATCH) {
    const statuses = await Promise.all(
      ids.slice(i, i + BATCH).map((id) =>
        fetch(`http://127.0.0.1:${port}/api/v1/charge-points/${encodeURIComponent(id)}`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ password: PASSWORD }),
          signal: AbortSignal.timeout(30_000),
        }).then(
          async (response) => (await response.arrayBuffer(), response.status),
          () => 0,
        ),
      ),
    );
    failures += statuses.filter((status) => status !== 200 && status !== 201).length;
  }
  return failures;
}

function report(ours: RunResult, echo: RunResult) {
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  const kib = (value: number) => `${(value / 1024).toFixed(1)} KiB`;
  const us = (value: number) => `${value.toFixed(1)} µs`;
  const pct = (value: number) => `${(value * 100).toFixed(0)} %`;
  const mib = ({ memory: m }: RunResult, key: 'rss' | 'heapUsed') => [m.idle, m.connected, m.loaded].map((s) => (s[key] / 2 ** 20).toFixed(0)).join(' → ');
  const rows: [string, string, string, string][] = [
    ['', 'dynamo', 'bare Bun echo', 'ours / echo'],
    ['stations connected', `${ours.connected} / ${STATIONS}`, `${echo.connected} / ${STATIONS}`, ''],
    ['registration (API)', ours.registerMs === undefined ? '' : `${(ours.registerMs / 1000).toFixed(2)} s`, '–', ''],
    ['connect + BootNotification', `${(ours.connectMs / 1000).toFixed(2)} s`, `${(echo.connectMs / 1000).toFixed(2)} s`, ratio(ours.connectMs, echo.connectMs)],
    ['messages/s', ours.messagesPerSecond.toFixed(0), echo.messagesPerSecond.toFixed(0), ratio(ours.messagesPerSecond, echo.messagesPerSecond)],
    ['round trip p50', ms(ours.p50), ms(echo.p50), ratio(ours.p50, echo.p50)],
    ['round trip p99', ms(ours.p99), ms(echo.p99), ratio(ours.p99, echo.p99)],
    ['server RSS MiB idle → connected → loaded', mib(ours, 'rss'), mib(echo, 'rss'), ''],
    ['server JS heap MiB idle → connected → loaded', mib(ours, 'heapUsed'), mib(echo, 'heapUsed'), ''],
    ['server RSS / station, connected', kib(ours.bytesPerStationConnected), kib(echo.bytesPerStationConnected), ''],
    ['server RSS / station, after load', kib(ours.bytesPerStationAfterLoad), kib(echo.bytesPerStationAfterLoad), ''],
    ['server CPU during load', pct(ours.serverCpu), pct(echo.serverCpu), ''],
    ['server CPU µs / message', us(ours.serverMicrosPerMessage), us(echo.serverMicrosPerMessage), ratio(ours.serverMicrosPerMessage, echo.serverMicrosPerMessage)],
    ['  of which the main thread', us(ours.mainMicrosPerMessage), us(echo.mainMicrosPerMessage), ''],
    ['load generator CPU during load', pct(ours.benchCpu), pct(echo.benchCpu), ''],
  ];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  console.log('');
  for (const row of rows) console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('   '));

  console.log('');
  console.log('errors:');
  for (const r of [ours, echo]) {
    const t = r.tally;
    const lines = [
      r.registerFailures ? `registration failures: ${r.registerFailures}` : '',
      ...[...t.connectFailures].map(([reason, n]) => `connect failed (${reason}): ${n}`),
      ...[...t.callErrors].map(([what, n]) => `CALLERROR ${what}: ${n}`),
      r.unanswered ? `unanswered after ${DRAIN_MS / 1000} s drain: ${r.unanswered}` : '',
      ...[...t.unexpectedCloses].map(([why, n]) => `closed by server during load (${why}): ${n}`),
      t.serverCalls ? `CALLs from the server (not answered): ${t.serverCalls}` : '',
      t.strayFrames ? `frames matching no pending call: ${t.strayFrames}` : '',
      ...Object.entries(r.logs).map(([msg, { count, example }]) => `server log ${msg}: ${count} (first: ${example})`),
    ].filter(Boolean);
    console.log(`  ${r.target}: ${lines.length ? '' : 'none'}`);
    for (const line of lines) console.log(`    ${line}`);
  }
  console.log('');
  console.log('Closed loop: once a server is saturated, round trip ≈ stations / (messages/s); it is queueing, not idle latency.');
  console.log('Both servers and the load generator share this machine: compare the ratio, not the absolute figures, across machines.');
}

function percentile(sorted: Float64Array, q: number) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN;
}

function ratio(a: number, b: number) {
  return a > 0 && b > 0 ? `${(a / b).toFixed(2)}×` : '';
}

function cpuShare({ user, system }: NodeJS.CpuUsage, windowMs: number) {
  return (user + system) / (windowMs * 1000);
}

function increment(map: Map<string, number>, key: string) {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function progress(target: Target, what: string) {
  console.log(`[${target}] ${what}…`);
}

/** The soft limit on open files (Linux); each station costs one descriptor here and one in the server. */
function openFileLimit() {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = Number(line?.split(/\s{2,}/)[1]);
    return Number.isFinite(soft) ? soft : undefined;
  } catch {
    return undefined;
  }
}
