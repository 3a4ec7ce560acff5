/**
 * The project's test command. With no arguments it runs every test file in parallel `bun test` processes (most
 * of a file's time is spent waiting on sockets, subprocesses and the browser, so two cores carry more than two
 * files at once): TEST_WORKERS processes (default: the number of cores, at least 2) take batches of files from one
 * queue, biggest first, and each batch's output is printed whole when it ends. With arguments it is one plain
 * `bun test` with them. Either way it ends with the one line CI reads, `P passed, F failed, S skipped`.
 *
 * With DATABASE_URL set (`DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres bun run test`) the run is on
 * PostgreSQL: every test server gets a database of its own on that server (test/support/test-database.ts), named
 * after this run and dropped when it ends. DATABASE_URL itself is not passed on, so tests that are about a SQLite
 * file still get one.
 */
import { availableParallelism } from 'node:os';
import { dropRunDatabases } from './test-database.ts';

const BATCH = 4;
const args = process.argv.slice(2);

interface Outcome {
  output: string;
  code: number;
}

const { DATABASE_URL: databaseUrl, ...inherited } = process.env;
const runTag = `run${process.pid}`;
const env = databaseUrl ? { ...inherited, TEST_DATABASE_URL: forTests(databaseUrl), TEST_RUN_TAG: runTag } : inherited;

/**
 * Test databases need no durability against a crash of PostgreSQL itself: commits do not wait for the disk
 * (synchronous_commit=off; a killed service's commits are still kept, by the server).
 */
function forTests(url: string): string {
  const parsed = new URL(url);
  if (parsed.searchParams.has('options')) return url;
  return `${url}${parsed.search ? '&' : '?'}options=${encodeURIComponent('-c client_min_messages=warning -c synchronous_commit=off')}`;
}

async function bunTest(extra: string[], echo: boolean): Promise<Outcome> {
  const proc = Bun.spawn(['bun', 'test', '--timeout', '30000', ...extra], { stdout: 'pipe', stderr: 'pipe', env });
  let output = '';
  const pump = async (stream: ReadableStream<Uint8Array>, sink: NodeJS.WriteStream) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      const text = decoder.decode(chunk, { stream: true });
      output += text;
      if (echo) sink.write(text);
    }
  };
  await Promise.all([pump(proc.stdout, process.stdout), pump(proc.stderr, process.stderr)]);
  return { output, code: await proc.exited };
}

/**
 * Files about one engine whatever the run: the PostgreSQL client, migrations and contract suite and the multi-node
 * tests (PostgreSQL + Redis) on PostgreSQL; the SQLite contract suite on SQLite. With TEST_SKIP_OTHER_ENGINE=1
 * (.ci/run, which runs the suite once on each engine) a run leaves out the other engine's files, so each runs once.
 */
const ENGINE_FILES = { postgres: /^test\/(storage\/postgres[^/]*|cluster\/.*)\.test\.ts$/, sqlite: /^test\/storage\/sqlite[^/]*\.test\.ts$/ };
const otherEngine = process.env.TEST_SKIP_OTHER_ENGINE === '1' ? ENGINE_FILES[databaseUrl ? 'sqlite' : 'postgres'] : undefined;

/** Every test file, biggest first (size stands in for duration: the long scenario files are the big ones). */
async function testFiles(): Promise<string[]> {
  const files: { path: string; size: number }[] = [];
  for await (const path of new Bun.Glob('test/**/*.test.ts').scan('.')) if (!otherEngine?.test(path)) files.push({ path, size: Bun.file(path).size });
  return files.sort((a, b) => b.size - a.size || a.path.localeCompare(b.path)).map((f) => `./${f.path}`);
}

async function parallel(): Promise<Outcome[]> {
  const queue = await testFiles();
  const workers = Math.max(2, Number(process.env.TEST_WORKERS) || availableParallelism());
  const outcomes: Outcome[] = [];
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let batch = queue.splice(0, BATCH); batch.length > 0; batch = queue.splice(0, BATCH)) {
        const outcome = await bunTest(batch, false);
        process.stdout.write(outcome.output);
        outcomes.push(outcome);
      }
    }),
  );
  return outcomes;
}

const outcomes = args.length > 0 ? [await bunTest(args, true)] : await parallel();
// Whatever test processes that died left behind.
if (databaseUrl) dropRunDatabases(databaseUrl, runTag);
const count = (output: string, word: string) => Number(new RegExp(`^\\s*(\\d+) ${word}\\b`, 'm').exec(output)?.[1] ?? 0);
let passed = 0;
let failed = 0;
let skipped = 0;
for (const { output, code } of outcomes) {
  const fails = count(output, 'fail');
  passed += count(output, 'pass');
  // A process that died or failed outside any test still fails the run.
  failed += code !== 0 && fails === 0 ? 1 : fails;
  skipped += count(output, 'skip') + count(output, 'todo');
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
