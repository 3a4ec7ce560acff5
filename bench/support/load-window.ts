/**
 * What the OCPP load benches (bench/ocpp.ts, bench/cluster.ts) share around their simulated stations: registering
 * them through the operator API, and one measured load window (throughput, latency, CPU of the servers and of this
 * load generator, then a bounded drain).
 */
import type { LoadWindow } from './ocpp-report.ts';
import { STATION_PASSWORD, Tally, type Station } from './ocpp-station.ts';

/** Connections (and registrations) in flight at once: a 20k connect storm all at once times out. */
export const BATCH = 200;

/**
 * CPU so far in µs: `all` of the server(s) measured (every thread), `main` their main threads, and `others`
 * (e.g. PostgreSQL and Redis) reported apart, per message.
 */
export interface CpuReading {
  all: number;
  main: number;
  others?: Record<string, number>;
}

/** One load window on a fresh tally; calls still in flight after it get `drainMs` before they count as unanswered. */
export async function measureWindow(cpu: () => Promise<CpuReading> | CpuReading, live: Station[], drainMs: number, load: (tally: Tally) => Promise<void>): Promise<LoadWindow> {
  const tally = new Tally();
  for (const station of live) station.tally = tally;
  const cpu0 = await cpu();
  const generator0 = process.cpuUsage();
  const started = performance.now();
  await load(tally);
  const windowMs = performance.now() - started;
  const messages = tally.completed;
  const { user, system } = process.cpuUsage(generator0);
  const cpu1 = await cpu();
  // Let the calls in flight come back (bounded), so that the next window or the memory figure starts clean.
  const drainUntil = performance.now() + drainMs;
  while (live.some((s) => s.pendingId !== '') && performance.now() < drainUntil) await Bun.sleep(20);
  return loadFigures({
    windowMs,
    messages,
    serverMicros: cpu1.all - cpu0.all,
    mainMicros: cpu1.main - cpu0.main,
    otherMicros: Object.fromEntries(Object.entries(cpu1.others ?? {}).map(([name, micros]) => [name, micros - (cpu0.others?.[name] ?? 0)])),
    generatorMicros: user + system,
    unanswered: live.filter((s) => s.pendingId !== '').length,
    tally,
  });
}

/**
 * Several windows of one server as if they were one: messages and CPU summed over the summed window time, latencies
 * pooled. Exact, where a mean of the windows' rates or percentiles would not be.
 */
export function mergeWindows(windows: LoadWindow[]): LoadWindow {
  const sum = (figure: (w: LoadWindow) => number) => windows.reduce((total, w) => total + figure(w), 0);
  const otherMicros: Record<string, number> = {};
  for (const w of windows) for (const [name, micros] of Object.entries(w.otherMicros)) otherMicros[name] = (otherMicros[name] ?? 0) + micros;
  return loadFigures({
    windowMs: sum((w) => w.windowMs),
    messages: sum((w) => w.messages),
    serverMicros: sum((w) => w.serverMicros),
    mainMicros: sum((w) => w.mainMicros),
    otherMicros,
    generatorMicros: sum((w) => w.generatorMicros),
    unanswered: sum((w) => w.unanswered),
    tally: Tally.merged(windows.map((w) => w.tally)),
  });
}

type Measured = Pick<LoadWindow, 'windowMs' | 'messages' | 'serverMicros' | 'mainMicros' | 'otherMicros' | 'generatorMicros' | 'unanswered' | 'tally'>;

/** The rates, shares and percentiles of what a window measured. */
function loadFigures(m: Measured): LoadWindow {
  const perMessage = (micros: number) => (m.messages ? micros / m.messages : Number.NaN);
  return {
    ...m,
    messagesPerSecond: m.messages / (m.windowMs / 1000),
    p50: m.tally.percentile(0.5),
    p99: m.tally.percentile(0.99),
    serverMicrosPerMessage: perMessage(m.serverMicros),
    mainMicrosPerMessage: perMessage(m.mainMicros),
    otherMicrosPerMessage: Object.fromEntries(Object.entries(m.otherMicros).map(([name, micros]) => [name, perMessage(micros)])),
    serverCpu: m.serverMicros / (m.windowMs * 1000),
    generatorCpu: m.generatorMicros / (m.windowMs * 1000),
  };
}

/** PUT /api/v1/charge-points/{id} for every station with the bench stations' password, BATCH at a time; returns how many failed. */
export async function registerStations(baseUrl: string, adminKey: string, ids: string[]) {
  let failures = 0;
  for (let i = 0; i < ids.length; i += BATCH) {
    const statuses = await Promise.all(
      ids.slice(i, i + BATCH).map((id) =>
        fetch(`${baseUrl}/api/v1/charge-points/${encodeURIComponent(id)}`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ password: STATION_PASSWORD }),
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

/** The ids of N bench stations. */
export const benchStationIds = (count: number) => Array.from({ length: count }, (_, i) => `BENCH-${String(i + 1).padStart(5, '0')}`);
