/**
 * OCPI list benchmark: `bun run bench:ocpi [--locations 1000,100000] [--cdrs N] [--seconds S] [--rounds R] [--connections C]`.
 *
 * For each location count, the real server runs in a child process (bench/support/ocpi-server-process.ts) with that
 * many locations and `--cdrs` CDRs of a registered eMSP's tokens. The bench registers as that eMSP, crawls the
 * lists once (Locations, CDRs, and the CDRs of a date_from window holding the later half), and starts a bare Elysia
 * route in another child process that serves the same pages (bytes and headers, checked on sample pages) from
 * memory. Then the same load hits both: C keep-alive connections in a closed
 * loop (bench/support/http-load.ts), each asking `GET <list>?limit=100&offset=<random>` with the partner's token,
 * for S seconds after a warm-up, R rounds (`--rounds`) alternating between the two servers. Figures are printed (req/s, ratio to the bare route, p50/p99, server CPU per
 * request, the load generator's CPU), never asserted; traffic goes to 127.0.0.1 only. `--profile <dir>` leaves the
 * server's CPU profile there (bun --cpu-prof-md).
 */
import { mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { intArg } from './support/args.ts';
import { ChildServer, tempDirRemovedOnExit } from './support/child-server.ts';
import { registerBenchPartner } from './support/emsp-stub.ts';
import { percentile, runLoad, type LoadResult } from './support/http-load.ts';
import { listKey, type BarePages } from './support/bare-ocpi-routes.ts';
import { cdrStamp } from './support/ocpi-seed.ts';

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: {
    locations: { type: 'string', default: '1000,100000' },
    cdrs: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    profile: { type: 'string' },
  },
});
const LOCATION_COUNTS = values.locations.split(',').map((v) => intArg(v, 1, 1_000_000, '--locations'));
const CDRS = intArg(values.cdrs, 0, 1_000_000, '--cdrs');
const SECONDS = intArg(values.seconds, 1, 600, '--seconds');
const ROUNDS = intArg(values.rounds, 1, 20, '--rounds');
const CONNECTIONS = intArg(values.connections, 1, 1000, '--connections');
/** `--profile <dir>`: the server writes a CPU profile (markdown, bun --cpu-prof-md) there when it stops. */
const PROFILE_FLAGS = values.profile ? ['--cpu-prof-md', `--cpu-prof-dir=${values.profile}`] : [];
const LIMIT = 100;
const WARM_UP_S = 2;
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const ROLE = { countryCode: 'NL', partyId: 'BEM' };
const SCRIPT = join(import.meta.dir, 'support', 'ocpi-server-process.ts');
/** What is asked: the whole Locations and CDRs lists, and the CDRs of a date_from window holding the later half. */
interface List {
  name: string;
  path: string;
  /** A date_from window, as `date_from=<stamp>`, or '' for the whole list. */
  window: string;
}
const LISTS: List[] = [
  { name: 'locations', path: '/ocpi/cpo/2.2.1/locations', window: '' },
  { name: 'cdrs', path: '/ocpi/cpo/2.2.1/cdrs', window: '' },
  { name: 'cdrs, date_from window (later half)', path: '/ocpi/cpo/2.2.1/cdrs', window: `date_from=${cdrStamp(Math.floor(CDRS / 2))}` },
];
/** Answer headers that differ per request by design. */
const PER_REQUEST_HEADERS = new Set(['x-request-id', 'x-correlation-id', 'date']);

type Run = LoadResult & { serverMicrosPerRequest: number };

interface Measured {
  list: string;
  items: number;
  /** Runs alternate between the two servers, so that a neighbour's load on the machine hits both alike. */
  ours: Run[];
  bare: Run[];
}

console.log(`OCPI pages benchmark: ${CONNECTIONS} keep-alive connections, limit=${LIMIT} at random offsets, ${ROUNDS} × ${SECONDS} s per server after ${WARM_UP_S} s warm-up`);
console.log(`Bun ${Bun.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`);
const results: Measured[] = [];
for (const count of LOCATION_COUNTS) results.push(...(await benchWith(count)));
report(results);
process.exit(0);

async function benchWith(locations: number): Promise<Measured[]> {
  const dir = mkdtempSync(join(tmpdir(), 'dynamo-bench-ocpi-'));
  const removeDir = tempDirRemovedOnExit(dir);
  progress(`seeding ${locations} locations and ${CDRS} CDRs`);
  const seeded = performance.now();
  const server = await ChildServer.start(SCRIPT, ['dynamo', dir, ADMIN_KEY, String(locations), String(CDRS), `${ROLE.countryCode}/${ROLE.partyId}`], {
    readyMs: 3_600_000,
    bunFlags: PROFILE_FLAGS,
  });
  progress(`seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s; registering the eMSP`);
  let bare: ChildServer | undefined;
  try {
    const token = await registerBenchPartner(`http://127.0.0.1:${server.port}`, ADMIN_KEY, ROLE);
    const headers = { authorization: `Token ${Buffer.from(token).toString('base64')}` };
    const pages = await crawl(server.port, headers);
    const file = join(dir, 'pages.json');
    await Bun.write(file, JSON.stringify(pages));
    bare = await ChildServer.start(SCRIPT, ['bare', file]);
    const measured: Measured[] = [];
    for (const list of LISTS) {
      const items = pages.lists[listKey(list.path, list.window)]!.items.length;
      if (items === 0) continue;
      await compareSamples(list, items, server.port, bare.port, headers);
      const runs: Measured = { list: list.name, items, ours: [], bare: [] };
      for (const target of [server, bare]) await warmUp(list, target, items, headers);
      for (let round = 0; round < ROUNDS; round++) {
        // Who goes first alternates: a machine that slows down or speeds up over the runs favours neither.
        const order = round % 2 === 0 ? (['ours', 'bare'] as const) : (['bare', 'ours'] as const);
        for (const target of order) runs[target].push(await measure(`${target} ${round + 1}/${ROUNDS}`, list, target === 'ours' ? server : bare, items, headers));
      }
      measured.push(runs);
    }
    const { logs } = await server.request<{ logs: Record<string, number> }>('cpu');
    for (const [message, count] of Object.entries(logs)) console.log(`  server log ${message}: ${count}`);
    return measured;
  } finally {
    await bare?.stop();
    await server.stop();
    removeDir();
  }
}

/** Reads every list to its end (largest pages, following Link) and keeps each item's JSON as served. */
async function crawl(port: number, headers: Record<string, string>): Promise<BarePages> {
  const pages: BarePages = { publicUrl: '', fixedHeaders: {}, lists: {} };
  for (const { path, window } of LISTS) {
    const items: string[] = [];
    let next: string | undefined = `http://127.0.0.1:${port}${path}?limit=${LIMIT}${window ? `&${window}` : ''}`;
    while (next) {
      const response: Response = await fetch(next, { headers });
      const body = (await response.json()) as { data: unknown[] };
      if (!response.ok) throw new Error(`GET ${next}: HTTP ${response.status} ${JSON.stringify(body)}`);
      for (const item of body.data) items.push(JSON.stringify(item));
      const link: string | undefined = /^<([^>]+)>; rel="next"$/.exec(response.headers.get('link') ?? '')?.[1];
      if (link) pages.publicUrl = new URL(link).origin;
      pages.fixedHeaders = Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('ocpi-')));
      next = link && `http://127.0.0.1:${port}${new URL(link).pathname}${new URL(link).search}`;
    }
    pages.lists[listKey(path, window)] = { items, defaultLimit: 25, maxLimit: LIMIT };
  }
  return pages;
}

/** The bare route must answer what the server answers (but the timestamp and the request ids), or the ratio means nothing. */
async function compareSamples(list: List, items: number, ours: number, bare: number, headers: Record<string, string>) {
  for (const offset of [0, Math.floor(items / 2), Math.max(0, items - LIMIT), items - 1]) {
    const query = pathOf(list, offset);
    const [a, b] = await Promise.all([ours, bare].map((port) => fetch(`http://127.0.0.1:${port}${query}`, { headers })));
    const [textA, textB] = await Promise.all([a!.text(), b!.text()]);
    const stamp = /"timestamp":"[^"]*"/;
    if (textA.replace(stamp, '') !== textB.replace(stamp, '')) throw new Error(`${query}: the bare route's body differs from the server's`);
    const fixed = (r: Response) => JSON.stringify([...r.headers].filter(([name]) => !PER_REQUEST_HEADERS.has(name)).sort());
    if (fixed(a!) !== fixed(b!)) throw new Error(`${query}: headers differ\n  server: ${fixed(a!)}\n  bare:   ${fixed(b!)}`);
  }
}

function pathOf(list: List, offset: number) {
  return `${list.path}?limit=${LIMIT}&offset=${offset}${list.window ? `&${list.window}` : ''}`;
}

function loadOn(list: List, server: ChildServer, items: number, headers: Record<string, string>) {
  const nextPath = () => pathOf(list, Math.floor(Math.random() * Math.max(1, items - LIMIT + 1)));
  return { port: server.port, connections: CONNECTIONS, nextPath, headers };
}

/** Compiles the hot paths (JIT) and fills the caches before anything is measured. */
async function warmUp(list: List, server: ChildServer, items: number, headers: Record<string, string>) {
  await runLoad({ ...loadOn(list, server, items, headers), seconds: WARM_UP_S });
}

async function measure(target: string, list: List, server: ChildServer, items: number, headers: Record<string, string>): Promise<Run> {
  progress(`${target}: ${list.name} (${items}), ${SECONDS} s`);
  const before = await server.request<{ cpuMicros: number }>('cpu');
  const result = await runLoad({ ...loadOn(list, server, items, headers), seconds: SECONDS });
  const after = await server.request<{ cpuMicros: number }>('cpu');
  const unexpected = [...result.statuses].filter(([status]) => status !== 200);
  if (unexpected.length > 0) throw new Error(`${target} ${list.name}: answers other than 200: ${JSON.stringify(unexpected)}`);
  return { ...result, serverMicrosPerRequest: (after.cpuMicros - before.cpuMicros) / result.requests };
}

/** Medians over the rounds (req/s, CPU), latency percentiles over every request of every round. */
function report(rows: Measured[]) {
  const perSecond = (r: LoadResult) => r.requests / (r.windowMs / 1000);
  const ms = (v: number) => v.toFixed(v < 10 ? 2 : 1);
  const summary = (runs: Run[]) => {
    const latencies = Float64Array.from(runs.flatMap((r) => [...r.latencies])).sort();
    return {
      perSecond: median(runs.map(perSecond)),
      p50: ms(percentile(latencies, 0.5)),
      p99: ms(percentile(latencies, 0.99)),
      cpu: median(runs.map((r) => r.serverMicrosPerRequest)).toFixed(0),
      generator: pct(Math.max(...runs.map((r) => r.generatorCpu))),
    };
  };
  console.log('');
  console.log(`Medians of ${ROUNDS} runs of ${SECONDS} s each per server (latencies: all requests of all runs); load generator CPU: its busiest run.`);
  console.log('| list | items | dynamo req/s | bare req/s | ratio | dynamo p50 / p99 ms | bare p50 / p99 ms | server CPU µs/req (dynamo / bare) | load generator CPU (dynamo / bare) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const { list, items, ours: oursRuns, bare: bareRuns } of rows) {
    const ours = summary(oursRuns);
    const bare = summary(bareRuns);
    console.log(
      `| ${list} | ${items.toLocaleString('en')} | ${ours.perSecond.toFixed(0)} | ${bare.perSecond.toFixed(0)} | ${(ours.perSecond / bare.perSecond).toFixed(2)}× ` +
        `| ${ours.p50} / ${ours.p99} | ${bare.p50} / ${bare.p99} | ${ours.cpu} / ${bare.cpu} | ${ours.generator} / ${bare.generator} |`,
    );
  }
  console.log('');
  console.log(`Closed loop with ${CONNECTIONS} connections: latency ≈ connections / (req/s) once a server is saturated.`);
  console.log('Servers and load generator share this machine: compare the ratio, not absolute figures, across machines.');
}

function median(values: number[]) {
  const sorted = values.toSorted((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function pct(share: number) {
  return `${(share * 100).toFixed(0)} %`;
}

function progress(what: string) {
  console.log(`  ${what}…`);
}
