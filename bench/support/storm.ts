/**
 * Runs a reconnect storm's load generator in a process of its own and reads its one result line; `release()` closes
 * its sockets. The generator is storm-client.c, built with the system's C compiler (`cc -O2`) into the temp
 * directory once per version of its source; where there is no `cc`, or it fails, the Bun one, storm-client.ts,
 * which costs the cores it shares with the server several times the CPU. `STORM_CLIENT=bun` forces the Bun one.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface StormResult {
  booted: number;
  statused: number;
  bootedMs: number;
  statusMs: number;
  refused: number;
  retries: Record<string, number>;
  cpuMicros: number;
}

export interface StormGenerator {
  /** What runs, for a bench's header: `C (storm-client.c)` or `Bun (storm-client.ts)`. */
  name: string;
  command: string[];
}

let generator: StormGenerator | undefined;

/** The load generator storm() runs, built on first use (and the reason, on stderr, when it is the Bun fallback). */
export function stormGenerator(): StormGenerator {
  return (generator ??= build());
}

function build(): StormGenerator {
  const fallback = (why: string) => {
    console.error(`storm: the Bun load generator runs (${why})`);
    return { name: 'Bun (storm-client.ts)', command: [process.execPath, join(import.meta.dir, 'storm-client.ts')] };
  };
  if (process.env.STORM_CLIENT === 'bun') return fallback('STORM_CLIENT=bun');
  const cc = Bun.which('cc');
  if (!cc) return fallback('no C compiler: cc not found');
  const source = join(import.meta.dir, 'storm-client.c');
  const flags = ['-O2'];
  // Not in the repository: a binary per version of the source (and flags), so an edit rebuilds it.
  const binary = join(tmpdir(), `dynamo-storm-client-${Bun.hash(readFileSync(source, 'utf8') + flags.join(' ')).toString(16)}`);
  if (!existsSync(binary)) {
    const partial = `${binary}.${process.pid}`;
    const compiled = Bun.spawnSync([cc, ...flags, '-o', partial, source], { stderr: 'pipe' });
    if (!compiled.success) return fallback(`cc failed: ${compiled.stderr.toString().trim().split('\n')[0]}`);
    renameSync(partial, binary); // whole or absent for a bench running alongside
  }
  return { name: 'C (storm-client.c)', command: [binary] };
}

/** `lenient`: any CALLRESULT counts as a boot (the bare echo of server-process.ts answers `[3,id,{}]`). */
export async function storm(ocppUrl: string, count: number, password: string, { lenient = false } = {}) {
  const proc = Bun.spawn([...stormGenerator().command, ocppUrl, String(count), password, lenient ? 'lenient' : 'strict'], { stdin: 'pipe', stdout: 'pipe', stderr: 'inherit' });
  const reader = proc.stdout.getReader();
  let text = '';
  while (!text.includes('\n')) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`storm client exited (${await proc.exited}) before reporting`);
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return {
    result: JSON.parse(text.slice(0, text.indexOf('\n'))) as StormResult,
    async release() {
      proc.stdin.end();
      await proc.exited;
    },
  };
}
