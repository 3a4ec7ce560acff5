/**
 * Shared parts of the fuzz suite: run count and seed (bounded for CI, long with `bun run fuzz`), hostile JSON
 * generators, and the figures the issue asks for (cases, slowest answer, peak RSS, a control station's Heartbeat
 * round trip while the fuzzer runs).
 */
import { afterAll, beforeAll, expect } from 'bun:test';
import fc from 'fast-check';
import { rawStation, type RawStation } from '../support/raw-station.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

/** `bun run fuzz` sets FUZZ_RUNS (default there 10,000); CI runs a bounded number per interface. */
export const LONG_RUN = process.env.FUZZ_RUNS !== undefined;
export const RUNS = Number(process.env.FUZZ_RUNS ?? 120);
export const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
export const fuzzOptions = { numRuns: RUNS, seed: SEED, endOnFailure: true };

/** Strings a station or partner could send: ASCII, any code point, lone surrogates, control characters, long. */
export const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 12 }),
  fc.constantFrom('FZK16A\ud800', '\udc00', '', ' ', '١', 'Europe/Amsterdamx', '2026-06-31T00:00:00Z', 'not a url', 'http://', 'file:///etc/passwd', 'x'.repeat(300)),
);

const hostileNumber = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-1, -1e308, 1e308, 2 ** 53 + 1, -0, 0.1));
const leaf = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null));
const key = fc.oneof(fc.constantFrom('toString', 'valueOf', '__proto__', 'constructor'), fc.string({ maxLength: 8 }));

/** Any JSON value, a few levels deep, made of the leaves above. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(key, tie('value'), { maxKeys: 4 })),
})).value;

/** A valid object with one field (at any depth) replaced by a hostile value, or left valid one time in four. */
export function mutated<T>(valid: T): fc.Arbitrary<unknown> {
  const paths = pathsOf(valid);
  return fc.oneof(
    { arbitrary: fc.constant(valid), weight: 1 },
    { arbitrary: fc.tuple(fc.constantFrom(...paths), hostileJson).map(([path, value]) => replaced(valid, path, value)), weight: 3 },
    { arbitrary: hostileJson, weight: 1 },
  );
}

function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
}

function replaced(valid: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy: any = Array.isArray(valid) ? [...valid] : { ...(valid as object) };
  copy[path[0]!] = replaced(copy[path[0]!], path.slice(1), value);
  return copy;
}

/** Times each answer and samples RSS; one per fuzz file. */
export function figures(label: string) {
  let cases = 0;
  let slowestMs = 0;
  let peakRss = process.memoryUsage().rss;
  return {
    async timed<T>(run: () => Promise<T>): Promise<T> {
      const started = performance.now();
      try {
        return await run();
      } finally {
        cases++;
        slowestMs = Math.max(slowestMs, performance.now() - started);
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }
    },
    report(heartbeatP99Ms: number) {
      const line = `[fuzz ${label}] seed ${SEED}, ${cases} requests/frames, slowest answer ${slowestMs.toFixed(1)} ms, peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB, control Heartbeat p99 ${heartbeatP99Ms.toFixed(1)} ms`;
      console.log(line);
    },
  };
}

/**
 * A well-behaved 1.6 station that sends Heartbeats back to back while the fuzzer runs; `stop` gives the p99 round
 * trip. Hostile input must not delay the stations that behave.
 */
export async function controlStation(server: TestServer) {
  const station: RawStation = await rawStation(server, 'FUZZ-CONTROL', 'ocpp1.6');
  const samples: number[] = [];
  let running = true;
  const loop = (async () => {
    for (let n = 0; running; n++) {
      const started = performance.now();
      await station.call(`hb${n}`, [2, `hb${n}`, 'Heartbeat', {}]);
      samples.push(performance.now() - started);
    }
  })();
  return {
    async stop(): Promise<number> {
      running = false;
      await loop;
      station.close();
      const sorted = samples.sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
    },
  };
}

console.log(`[fuzz] seed ${SEED}, ${RUNS} runs per property (FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} to replay)`);

/**
 * The server a fuzz file attacks, with the control station running throughout; at the end the figures are printed
 * and, in the long run, the control station's p99 is held to 100 ms. `setUp` runs before the control starts.
 */
export function fuzzedServer(label: string, setUp: (server: TestServer) => Promise<void>, tearDown: () => void = () => {}) {
  const stats = figures(label);
  let server: TestServer;
  let control: Awaited<ReturnType<typeof controlStation>>;
  beforeAll(async () => {
    server = startTestServer();
    await setUp(server);
    control = await controlStation(server);
  });
  afterAll(async () => {
    const p99 = await control.stop();
    stats.report(p99);
    if (LONG_RUN) expect(p99).toBeLessThan(100);
    await server.stop();
    tearDown();
    removeDir(server.dir);
  });
  return stats;
}
