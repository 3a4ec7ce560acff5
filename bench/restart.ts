/**
 * Restart and reconnect storm: `bun run bench:restart [--charge-points N] [--sessions S] [--stations R] [--profile DIR]`
 * (defaults 100,000 / 10,000 / 19,500).
 *
 * A database is seeded with N charge points and S open sessions (bench/support/network-seed.ts; the first R
 * stations left online, as a crash leaves them). Then `bun src/main.ts` (what `bun run start` runs) is spawned on
 * it and timed until it serves: `GET /health/ready` answers 200 and a station's BootNotification is accepted.
 * Then R stations reconnect at once from another process (bench/support/storm-client.c, built with `cc`; the Bun
 * bench/support/storm-client.ts where there is no C compiler, or with `STORM_CLIENT=bun`): time until all are
 * booted (and their StatusNotification answered), refusals, retries. The same restart and storm run against a
 * bare Bun server (bench/support/bare-ocpp-server.ts) in the same run: the ratios are the figures to compare.
 * `--profile DIR` leaves the dynamo server's CPU profile there (bun --cpu-prof, with its markdown summary); it covers
 * the whole run of the server, start and storm. Figures are printed, never asserted; traffic goes to 127.0.0.1 only.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { intArg } from './support/args.ts';
import { benchConfig } from './support/bench-config.ts';
import { tempDirRemovedOnExit } from './support/child-server.ts';
import { seedNetwork, stationId } from './support/network-seed.ts';
import { openFileLimit } from './support/open-files.ts';
import { storm, stormGenerator, type StormResult } from './support/storm.ts';
import { printTable } from './support/table.ts';

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: { 'charge-points': { type: 'string', default: '100000' }, sessions: { type: 'string', default: '10000' }, stations: { type: 'string', default: '19500' }, profile: { type: 'string' } },
});
const CHARGE_POINTS = intArg(values['charge-points'], 2, 1_000_000, '--charge-points');
const SESSIONS = intArg(values.sessions, 0, CHARGE_POINTS, '--sessions');
const STATIONS = intArg(values.stations, 1, CHARGE_POINTS - 1, '--stations');
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const PASSWORD = 'bench-station-password-01234';
const REPO = join(import.meta.dir, '..');

interface Run {
  /** dynamo only: actor steps (snapshot writes) and transactions committed during the storm, from /metrics. */
  writes?: { steps: number; commits: number };
  servingMs: number;
  httpMs: number;
  bootMs: number;
  storm: StormResult;
  serverCpuMs: number;
  /** Of serverCpuMs, the main (JavaScript) thread's; the rest is GC, I/O and worker threads. */
  mainCpuMs: number;
  rssMiB: number;
}

console.log(`Restart and reconnect storm: ${CHARGE_POINTS} charge points, ${SESSIONS} open sessions, ${STATIONS} stations reconnecting — Bun ${Bun.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`);
console.log(`load generator: ${stormGenerator().name}`);
const fdLimit = openFileLimit();
if (fdLimit !== undefined && STATIONS + 100 > fdLimit) console.log(`warning: open-file limit is ${fdLimit} (raise ulimit -n): expect failed connections`);

const dir = mkdtempSync(join(tmpdir(), 'dynamo-restart-'));
tempDirRemovedOnExit(dir);
const config = benchConfig(dir, ADMIN_KEY);
console.log('seeding…');
const seedStarted = performance.now();
seedNetwork(config, { chargePoints: CHARGE_POINTS, online: STATIONS, sessions: SESSIONS, password: PASSWORD });
console.log(`seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

const bare = await run('bare', ['bun', join(import.meta.dir, 'support', 'bare-ocpp-server.ts')], {});
const profileFlags = values.profile ? ['--cpu-prof', '--cpu-prof-md', `--cpu-prof-dir=${values.profile}`] : [];
const ours = await run('dynamo', ['bun', ...profileFlags, join(REPO, 'src', 'main.ts')], {
  HOST: '127.0.0.1',
  DATABASE_PATH: config.databasePath,
  ADMIN_API_KEY: ADMIN_KEY,
  SECRET_KEY: config.secretKey,
  CPO_COUNTRY_CODE: config.cpo.countryCode,
  CPO_PARTY_ID: config.cpo.partyId,
  CPO_NAME: config.cpo.name,
  ...(process.env.TRACE ? { TRACE: process.env.TRACE } : {}),
});
report(ours, bare);
process.exit(0);

async function run(name: string, command: string[], env: Record<string, string>): Promise<Run> {
  const port = await freePort();
  console.log(`[${name}] starting…`);
  const spawned = performance.now();
  const proc = Bun.spawn(command, { cwd: REPO, env: { ...process.env, ...env, PORT: String(port) }, stdout: Bun.file(join(dir, `${name}.log`)), stderr: 'inherit' });
  try {
    const [httpMs, bootMs] = await Promise.all([
      until(spawned, () => fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.ok, () => false)),
      // A station outside the storm: the last seeded one.
      until(spawned, () => bootOnce(`ws://127.0.0.1:${port}/ocpp`, stationId(CHARGE_POINTS - 1))),
    ]);
    console.log(`[${name}] ${STATIONS} stations reconnecting…`);
    const cpuBefore = cpuMs(proc.pid);
    const mainBefore = cpuMs(proc.pid, proc.pid);
    const writesBefore = await writes(port);
    const stations = await storm(`ws://127.0.0.1:${port}/ocpp`, STATIONS, PASSWORD);
    const serverCpuMs = cpuMs(proc.pid) - cpuBefore;
    const mainCpuMs = cpuMs(proc.pid, proc.pid) - mainBefore;
    const writesAfter = await writes(port);
    const rssMiB = rssKiB(proc.pid) / 1024;
    await stations.release();
    const result = { servingMs: Math.max(httpMs, bootMs), httpMs, bootMs, storm: stations.result, serverCpuMs, mainCpuMs, rssMiB };
    return writesBefore && writesAfter ? { ...result, writes: { steps: writesAfter.steps - writesBefore.steps, commits: writesAfter.commits - writesBefore.commits } } : result;
  } finally {
    proc.kill('SIGTERM');
    await proc.exited;
  }
}

/** The group commit's counters (dynamo's /metrics; undefined from the bare server). */
async function writes(port: number) {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } }).catch(() => undefined);
  if (!response?.ok) return undefined;
  const text = await response.text();
  const read = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? Number.NaN);
  return { steps: read(/^dynamo_db_commit_steps_sum (\S+)$/m), commits: read(/^dynamo_db_commits_total\{outcome="committed"\} (\S+)$/m) };
}

/** Milliseconds from `since` until `attempt` resolves true (tried again every 2 ms); gives up after 60 s. */
async function until(since: number, attempt: () => Promise<boolean>) {
  while (!(await attempt())) {
    if (performance.now() - since > 60_000) throw new Error('not serving after 60 s');
    await Bun.sleep(2);
  }
  return performance.now() - since;
}

/** One station connects and boots; true once its BootNotification is accepted. */
function bootOnce(url: string, id: string) {
  return new Promise<boolean>((resolve) => {
    const ws = new WebSocket(`${url}/${id}`, { headers: { authorization: `Basic ${btoa(`${id}:${PASSWORD}`)}` }, protocols: ['ocpp1.6'] } as never);
    const end = (ok: boolean) => {
      ws.onclose = null;
      ws.close();
      resolve(ok);
    };
    ws.onopen = () => ws.send(JSON.stringify([2, 'b', 'BootNotification', { chargePointVendor: 'Bench', chargePointModel: 'Restart' }]));
    ws.onmessage = (event) => end((JSON.parse(String(event.data)) as [number, string, { status?: string }])[2]?.status === 'Accepted');
    ws.onclose = () => resolve(false);
  });
}

function freePort() {
  return new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** User + system CPU of a process (or of one of its threads) so far (Linux /proc, clock ticks of 10 ms). */
function cpuMs(pid: number, thread?: number) {
  const stat = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function rssKiB(pid: number) {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
}

function report(ours: Run, bare: Run) {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const ratio = (a: number, b: number) => (a > 0 && b > 0 ? `${(a / b).toFixed(1)}×` : '');
  const rows: [string, string, string, string][] = [
    ['', 'dynamo', 'bare Bun server', 'dynamo / bare'],
    ['spawn → serving (HTTP ready and a boot accepted)', s(ours.servingMs), s(bare.servingMs), ratio(ours.servingMs, bare.servingMs)],
    ['  of which HTTP ready / first boot accepted', `${s(ours.httpMs)} / ${s(ours.bootMs)}`, `${s(bare.httpMs)} / ${s(bare.bootMs)}`, ''],
    [`storm: all ${STATIONS} booted`, s(ours.storm.bootedMs), s(bare.storm.bootedMs), ratio(ours.storm.bootedMs, bare.storm.bootedMs)],
    ['storm: all StatusNotifications answered', s(ours.storm.statusMs), s(bare.storm.statusMs), ratio(ours.storm.statusMs, bare.storm.statusMs)],
    ['stations booted', `${ours.storm.booted} / ${STATIONS}`, `${bare.storm.booted} / ${STATIONS}`, ''],
    ['refused upgrades', String(ours.storm.refused), String(bare.storm.refused), ''],
    ['server CPU during the storm', s(ours.serverCpuMs), s(bare.serverCpuMs), ratio(ours.serverCpuMs, bare.serverCpuMs)],
    ['  of which its main thread', s(ours.mainCpuMs), s(bare.mainCpuMs), ratio(ours.mainCpuMs, bare.mainCpuMs)],
    ['actor steps (snapshot writes) per station, in transactions', ours.writes ? `${(ours.writes.steps / STATIONS).toFixed(2)} in ${ours.writes.commits}` : '', '', ''],
    ['server RSS after the storm', `${ours.rssMiB.toFixed(0)} MiB`, `${bare.rssMiB.toFixed(0)} MiB`, ''],
    [`load generator CPU, ${stormGenerator().name}`, s(ours.storm.cpuMicros / 1000), s(bare.storm.cpuMicros / 1000), ''],
  ];
  printTable(rows);
  for (const [name, r] of [['dynamo', ours], ['bare', bare]] as const) {
    const retries = Object.entries(r.storm.retries);
    if (retries.length) console.log(`${name}: connections retried: ${retries.map(([why, n]) => `${why} × ${n}`).join(', ')}`);
  }
  const problems = readFileSync(join(dir, 'dynamo.log'), 'utf8').split('\n').filter((line) => /"level":"(warn|error|fatal)"/.test(line));
  console.log(`dynamo log: ${problems.length} warnings/errors${problems.length ? ` (first: ${problems[0]!.slice(0, 300)})` : ''}`);
}
