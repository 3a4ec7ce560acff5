/**
 * What a load benchmark needs from the machine (Linux): enough open files for N sockets in the load generator and
 * in the server, the server and the load generator on different cores, and CPU time read from /proc — from the
 * outside, so that measuring costs the server nothing. Elsewhere each falls back to what is there (no pinning, the
 * server's own process.cpuUsage) and says so.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { openFileLimit } from './open-files.ts';

const RELAUNCHED = 'BENCH_RELAUNCHED';

/** Cores for the server and for the load generator (taskset lists), when there are two or more and taskset runs. */
export const pinning: { server: string; generator: string } | undefined = (() => {
  const count = cpus().length;
  if (count < 2 || process.platform !== 'linux' || Bun.spawnSync(['taskset', '-c', '0', 'true'], { stderr: 'ignore' }).exitCode !== 0) return undefined;
  return { server: '0', generator: count === 2 ? '1' : `1-${count - 1}` };
})();

/**
 * Runs this bench again (once) with the open-file limit raised to `files` (or as far as the hard limit allows)
 * and pinned to the generator's cores; returns only in the relaunched process (or when nothing is to be done).
 */
export { openFileLimit };

export async function relaunchWithLimits(files: number) {
  if (process.env[RELAUNCHED]) return;
  const limit = openFileLimit();
  if (!pinning && (limit === undefined || limit >= files)) return;
  const raise = `ulimit -n ${files} 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null; `;
  const pin = pinning ? `taskset -c ${pinning.generator} ` : '';
  const child = Bun.spawn(['sh', '-c', `${raise}exec ${pin}"$0" "$@"`, process.execPath, ...Bun.argv.slice(1)], {
    env: { ...process.env, [RELAUNCHED]: '1' },
    stdio: ['inherit', 'inherit', 'inherit'],
  });
  process.on('SIGINT', () => child.kill('SIGINT'));
  process.exit(await child.exited);
}

/** Clock ticks per second of /proc's utime/stime (USER_HZ, 100 on every common Linux). */
const TICKS = Number(Bun.spawnSync(['getconf', 'CLK_TCK'], { stderr: 'ignore' }).stdout.toString().trim()) || 100;

/** utime + stime of a process (every thread) or of one of its threads, in µs; undefined without /proc. */
export function cpuMicrosOf(pid: number, thread?: number): number | undefined {
  try {
    const stat = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8');
    // Fields 14 and 15 (utime, stime) counted from 1, i.e. 11 and 12 after the command name and its parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / TICKS;
  } catch {
    return undefined;
  }
}

/**
 * Waits until the processes together use less than a twentieth of a core over half a second (at most `maxMs`),
 * e.g. a server still writing out what the last load left, so that it does not take the core from the next one
 * measured; returns the milliseconds waited (0 without /proc).
 */
export async function waitForQuiet(pids: number[], maxMs = 10_000) {
  const total = () => pids.reduce((sum, pid) => sum + (cpuMicrosOf(pid) ?? Number.NaN), 0);
  const started = performance.now();
  for (let before = total(); !Number.isNaN(before) && performance.now() - started < maxMs; ) {
    await Bun.sleep(500);
    const after = total();
    if (after - before < 25_000) break;
    before = after;
  }
  return performance.now() - started;
}
