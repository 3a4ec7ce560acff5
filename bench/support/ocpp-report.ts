/** What bench/ocpp.ts measured, and how it prints it: one column per server, ratios against the bare echo. */
import type { Tally } from './ocpp-station.ts';
import { printTable } from './table.ts';

export type Target = 'echo' | 'raw' | 'dynamo';
const LABEL: Record<Target, string> = { echo: 'bare Bun echo', raw: 'raw Bun OCPP', dynamo: 'dynamo' };

export interface Stats {
  rss: number;
  heapUsed: number;
  logs: Record<string, { count: number; example: string }>;
}

/** One measured load window (bench/support/load-window.ts), or several merged. */
export interface LoadWindow {
  /** The load's wall time, the drain after it excluded. */
  windowMs: number;
  /** CPU in µs over the window: the server's (every thread), its main thread's, other processes' by name, this load generator's. */
  serverMicros: number;
  mainMicros: number;
  otherMicros: Record<string, number>;
  generatorMicros: number;
  messagesPerSecond: number;
  p50: number;
  p99: number;
  /** Server CPU (user + sys, every thread) over the window, per answered CALL; and the main thread's alone. */
  serverMicrosPerMessage: number;
  mainMicrosPerMessage: number;
  /** CPU of other processes the servers lean on (PostgreSQL backends, Redis), per answered CALL, by name. */
  otherMicrosPerMessage: Record<string, number>;
  serverCpu: number;
  generatorCpu: number;
  unanswered: number;
  /** CALLs answered in the window. */
  messages: number;
  tally: Tally;
}

/** A bench:ocpp window: also the protocol trace records (two per CALL) the server dropped meanwhile. */
export interface Window extends LoadWindow {
  traceDropped: number;
}

export type PacedWindow = Window & { skipped: number };

/** A server's turn in one round: its closed-loop window, then its paced window. */
export interface Turn {
  closed: Window;
  paced: PacedWindow;
}

export interface RunResult {
  target: Target;
  registerMs?: number;
  registerFailures: number;
  connectMs: number;
  connected: number;
  /** Stations connected when `memory.half` was taken. */
  halfConnected: number;
  connectFailures: Map<string, number>;
  /** Its turns, round by round, and all of them merged into one closed-loop and one paced window. */
  rounds: Turn[];
  closed: Window;
  paced: PacedWindow;
  /** Before the stations connect, with half and with all of them connected and booted (idle), after the last round. */
  memory: { before: Stats; half: Stats; connected: Stats; loaded: Stats };
  logs: Stats['logs'];
}

const ms = (value: number) => `${value.toFixed(2)} ms`;
const kib = (value: number) => `${(value / 1024).toFixed(1)} KiB`;
const us = (value: number) => `${value.toFixed(1)} µs`;
const pct = (value: number) => `${(value * 100).toFixed(0)} %`;
const dropShare = (w: Window) => (w.traceDropped ? `${w.traceDropped} (${((100 * w.traceDropped) / (2 * w.messages)).toFixed(1)} %)` : '0');
const ratio = (a: number, b: number) => (a > 0 && b > 0 ? `${(a / b).toFixed(2)}×` : '');

export function report(results: RunResult[], { stations, rate, drainMs }: { stations: number; rate: number; drainMs: number }) {
  const echo = results.find((r) => r.target === 'echo')!;
  /** What one more connected, booted, idle station costs: the RSS growth from half the stations to all of them. */
  const idle = ({ memory: m, connected, halfConnected }: RunResult) =>
    connected > halfConnected ? (m.connected.rss - m.half.rss) / (connected - halfConnected) : Number.NaN;
  /** That, plus what the load left behind per station. */
  const loaded = (r: RunResult) => idle(r) + (r.memory.loaded.rss - r.memory.connected.rss) / r.connected;
  const mib = ({ memory: m }: RunResult) => [m.before, m.half, m.connected, m.loaded].map((s) => (s.rss / 2 ** 20).toFixed(0)).join(' → ');
  const others = results.filter((r) => r !== echo);
  const rounds = echo.rounds.length;
  const series = (values: number[], digits: number, unit = '') => `${values.map((v) => v.toFixed(digits)).join(' · ')}${unit}`;
  /** Each other server's figure over the echo's of the same round, round by round. */
  const roundRatios = (figure: (t: Turn) => number) => others.map((r) => series(r.rounds.map((t, i) => figure(t) / figure(echo.rounds[i]!)), 2));
  /** A row of per-round figures (none for a single round): `cells` in the servers' columns, `ratios` in the ratios'. */
  const byRound = (label: string, cells: string[], ratios: string[]) => (rounds < 2 ? [] : [[label, ...cells, ...ratios]]);
  const blank = (of: RunResult[]) => of.map(() => '');
  /** A row: one cell per server, then each server's figure over the echo's when `vsEcho` picks one. */
  const row = (label: string, cell: (r: RunResult) => string, vsEcho?: (r: RunResult) => number) => [
    label,
    ...results.map(cell),
    ...others.map((r) => (vsEcho ? ratio(vsEcho(r), vsEcho(echo)) : '')),
  ];
  const rows: string[][] = [
    ['', ...results.map((r) => LABEL[r.target]), ...others.map((r) => `${r.target} / echo`)],
    row('stations connected and booted', (r) => `${r.connected} / ${stations}`),
    row('registration (operator API)', (r) => (r.registerMs === undefined ? '–' : `${(r.registerMs / 1000).toFixed(2)} s`)),
    row('connect + BootNotification', (r) => `${(r.connectMs / 1000).toFixed(2)} s`, (r) => r.connectMs),
    row('closed loop: messages/s', (r) => r.closed.messagesPerSecond.toFixed(0), (r) => r.closed.messagesPerSecond),
    ...byRound('  by round, / echo', blank(results), roundRatios((t) => t.closed.messagesPerSecond)),
    row('closed loop: round trip p50', (r) => ms(r.closed.p50), (r) => r.closed.p50),
    row('closed loop: round trip p99', (r) => ms(r.closed.p99), (r) => r.closed.p99),
    row('closed loop: server CPU', (r) => pct(r.closed.serverCpu)),
    row('closed loop: server CPU µs / message', (r) => us(r.closed.serverMicrosPerMessage), (r) => r.closed.serverMicrosPerMessage),
    row('  of which the main thread', (r) => us(r.closed.mainMicrosPerMessage), (r) => r.closed.mainMicrosPerMessage),
    ...byRound('  by round, / echo', blank(results), roundRatios((t) => t.closed.mainMicrosPerMessage)),
    row('closed loop: load generator CPU', (r) => pct(r.closed.generatorCpu)),
    row(`paced ${rate}/s: messages/s answered`, (r) => r.paced.messagesPerSecond.toFixed(0)),
    row(`paced ${rate}/s: turns skipped (station still waiting)`, (r) => String(r.paced.skipped)),
    row(`paced ${rate}/s: round trip p50`, (r) => ms(r.paced.p50), (r) => r.paced.p50),
    row(`paced ${rate}/s: round trip p99`, (r) => ms(r.paced.p99), (r) => r.paced.p99),
    ...byRound('  by round', results.map((r) => series(r.rounds.map((t) => t.paced.p99), 1, ' ms')), blank(others)),
    row(`paced ${rate}/s: server CPU µs / message`, (r) => us(r.paced.serverMicrosPerMessage), (r) => r.paced.serverMicrosPerMessage),
    row('  of which the main thread', (r) => us(r.paced.mainMicrosPerMessage), (r) => r.paced.mainMicrosPerMessage),
    row(`paced ${rate}/s: load generator CPU`, (r) => pct(r.paced.generatorCpu)),
    row('trace records dropped: closed loop / paced', (r) => `${dropShare(r.closed)} / ${dropShare(r.paced)}`),
    row('server RSS MiB: before → half → all connected → after load', mib),
    row('RSS / station, connected + booted, idle', (r) => kib(idle(r)), idle),
    row('RSS / station, after load', (r) => kib(loaded(r)), loaded),
  ];
  printTable(rows);

  console.log('');
  console.log('errors:');
  for (const r of results) {
    const lines = [
      r.registerFailures ? `registration failures: ${r.registerFailures}` : '',
      ...connectProblems(r.connectFailures),
      ...windowProblems('closed', r.closed, drainMs),
      ...windowProblems('paced', r.paced, drainMs),
      ...Object.entries(r.logs).map(([msg, { count, example }]) => `server log ${msg}: ${count} (first: ${example})`),
    ].filter(Boolean);
    console.log(`  ${r.target}: ${lines.length ? '' : 'none'}`);
    for (const line of lines) console.log(`    ${line}`);
  }
  console.log('');
  console.log('Closed loop: once a server is saturated, round trip ≈ stations / (messages/s); it is queueing, not idle latency.');
  console.log('RSS per station: growth from half to all stations connected (start-up slack excluded); after load, plus the growth the load left per station.');
  if (rounds > 1) console.log(`Each figure is a server's ${rounds} rounds merged (summed messages, CPU and time; pooled latencies); "by round" rows give round 1 · 2 · …, ratios against the echo's figure of the same round.`);
  console.log('Paced: a turn is skipped when that station still waits for its previous answer (the server is behind).');
  console.log('Servers and load generator share this machine: compare the ratios, not the absolute figures, across machines.');
}

export const connectProblems = (failures: Map<string, number>) => [...failures].map(([reason, n]) => `connect failed (${reason}): ${n}`);

/** What went wrong in a load window, one line each (none: all answered, as asked). */
export function windowProblems(name: string, window: LoadWindow, drainMs: number) {
  const t = window.tally;
  return [
    ...[...t.callErrors].map(([what, n]) => `${name}: CALLERROR ${what}: ${n}`),
    window.unanswered ? `${name}: unanswered after ${drainMs / 1000} s drain: ${window.unanswered}` : '',
    ...[...t.unexpectedCloses].map(([why, n]) => `${name}: closed by server (${why}): ${n}`),
    t.serverCalls ? `${name}: CALLs from the server (not answered): ${t.serverCalls}` : '',
    t.strayFrames ? `${name}: frames matching no pending call: ${t.strayFrames}` : '',
  ].filter(Boolean);
}
