/**
 * What a connected, booted, idle station costs in server memory: `bun run bench:idle [--stations N]` (default 2,000;
 * 19,500 is the target size, raise `ulimit -n`).
 *
 * N registered stations (seeded as bench:restart seeds them) connect at once from another process, boot, report
 * their connector's status and then stay connected, sending nothing (Bun pings the sockets). The server runs in
 * a process of its own (bench/support/server-process.ts, RSS read after a full GC) with ACTOR_IDLE_EVICT_S=2, so
 * that idle charge-point actors leave memory within the run: its RSS is read before the stations come, once they
 * are all booted, and once their actors have left and RSS has settled. The same stations against a bare Bun WebSocket
 * echo (the same script's `echo` mode) give the baseline: what a socket alone costs. Figures are printed, never
 * asserted.
 */
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { intArg } from './support/args.ts';
import { benchConfig } from './support/bench-config.ts';
import { ChildServer, tempDirRemovedOnExit } from './support/child-server.ts';
import { seedNetwork } from './support/network-seed.ts';
import { openFileLimit } from './support/open-files.ts';
import { storm } from './support/storm.ts';
import { printTable } from './support/table.ts';

const { values } = parseArgs({ args: Bun.argv.slice(2), options: { stations: { type: 'string', default: '2000' } } });
const STATIONS = intArg(values.stations, 1, 50_000, '--stations');
const EVICT_S = 2;
const SETTLE_STEP_S = 5;
const SETTLE_MAX_S = 90;
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const PASSWORD = 'bench-station-password-01234';
const SERVER_SCRIPT = join(import.meta.dir, 'support', 'server-process.ts');

interface Stats {
  rss: number;
  heapUsed: number;
}
interface Figures {
  before: Stats;
  booted: Stats;
  idle: Stats & { afterS: number };
  connected: number;
  liveBooted?: number;
  liveIdle?: number;
}

console.log(`Idle station memory: ${STATIONS} stations connected, booted, idle — Bun ${Bun.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`);
const fdLimit = openFileLimit();
if (fdLimit !== undefined && STATIONS + 100 > fdLimit) console.log(`warning: open-file limit is ${fdLimit} (raise ulimit -n): expect failed connections`);

const ours = await measure('dynamo');
const echo = await measure('echo');
report(ours, echo);
process.exit(0);

async function measure(target: 'dynamo' | 'echo'): Promise<Figures> {
  let args = ['echo'];
  if (target === 'dynamo') {
    const dir = mkdtempSync(join(tmpdir(), 'dynamo-idle-'));
    tempDirRemovedOnExit(dir);
    seedNetwork(benchConfig(dir, ADMIN_KEY), { chargePoints: STATIONS, online: 0, sessions: 0, password: PASSWORD });
    args = ['dynamo', dir, ADMIN_KEY];
  }
  const server = await ChildServer.start(SERVER_SCRIPT, args, { env: { ACTOR_IDLE_EVICT_S: String(EVICT_S) } });
  try {
    // Resuming the seeded stations runs in the background after the start: let it end first.
    await Bun.sleep(1000);
    const before = await server.request<Stats>('stats');
    console.log(`[${target}] ${STATIONS} stations connecting…`);
    const stations = await storm(`ws://127.0.0.1:${server.port}/ocpp`, STATIONS, PASSWORD, { lenient: target === 'echo' });
    const booted = await server.request<Stats>('stats');
    const liveBooted = target === 'dynamo' ? await liveChargePoints(server.port) : undefined;
    console.log(`[${target}] idle until the server's RSS settles…`);
    const idle = await settled(server);
    const liveIdle = target === 'dynamo' ? await liveChargePoints(server.port) : undefined;
    await stations.release();
    return { before, booted, idle, connected: stations.result.statused, ...(liveBooted !== undefined ? { liveBooted } : {}), ...(liveIdle !== undefined ? { liveIdle } : {}) };
  } finally {
    await server.stop();
  }
}

/**
 * The stats once RSS has stopped falling: freed memory goes back to the system over some seconds after a storm
 * (the allocator returns it lazily). Read every SETTLE_STEP_S from the eviction on, until it moves less than 1 %
 * or after SETTLE_MAX_S.
 */
async function settled(server: ChildServer) {
  const started = performance.now();
  await Bun.sleep((2 * EVICT_S + 1) * 1000);
  let last = await server.request<Stats>('stats');
  for (;;) {
    await Bun.sleep(SETTLE_STEP_S * 1000);
    const next = await server.request<Stats>('stats');
    const done = Math.abs(next.rss - last.rss) < last.rss / 100 || performance.now() - started > SETTLE_MAX_S * 1000;
    last = next;
    if (done) return { ...last, afterS: (performance.now() - started) / 1000 };
  }
}

async function liveChargePoints(port: number) {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).text();
  return Number(/^dynamo_actors_live\{kind="charge-point"\} (\d+)$/m.exec(text)?.[1]);
}

function report(ours: Figures, echo: Figures) {
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  const mib = (f: Figures) => [f.before, f.booted, f.idle].map((s) => (s.rss / 2 ** 20).toFixed(0)).join(' → ');
  const per = (f: Figures, s: Stats, key: keyof Stats = 'rss') => (f.connected ? (s[key] - f.before[key]) / f.connected : NaN);
  const ratio = (a: number, b: number) => (a > 0 && b > 0 ? `${(a / b).toFixed(2)}×` : '');
  const rows: [string, string, string, string][] = [
    ['', 'dynamo', 'bare Bun echo', 'dynamo / echo'],
    ['stations connected and booted', `${ours.connected} / ${STATIONS}`, `${echo.connected} / ${STATIONS}`, ''],
    ['server RSS MiB before → booted → idle', mib(ours), mib(echo), ''],
    ['RSS / station, just booted', kib(per(ours, ours.booted)), kib(per(echo, echo.booted)), ratio(per(ours, ours.booted), per(echo, echo.booted))],
    ['RSS / station, idle (settled)', kib(per(ours, ours.idle)), kib(per(echo, echo.idle)), ratio(per(ours, ours.idle), per(echo, echo.idle))],
    ['  settled after', `${ours.idle.afterS.toFixed(0)} s`, `${echo.idle.afterS.toFixed(0)} s`, ''],
    ['JS heap / station, just booted → idle', `${kib(per(ours, ours.booted, 'heapUsed'))} → ${kib(per(ours, ours.idle, 'heapUsed'))}`, `${kib(per(echo, echo.booted, 'heapUsed'))} → ${kib(per(echo, echo.idle, 'heapUsed'))}`, ''],
    ['charge-point actors in memory, booted → idle', `${ours.liveBooted} → ${ours.liveIdle}`, '', ''],
  ];
  printTable(rows);
  console.log(`\nIdle: ACTOR_IDLE_EVICT_S=${EVICT_S} here (30 by default), so the actors of stations that sent nothing have left memory;`);
  console.log('RSS is read after a full GC, every 5 s until it moves less than 1 % (freed memory goes back to the system lazily).');
}
