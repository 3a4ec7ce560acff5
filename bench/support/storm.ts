/** Runs storm-client.ts in a process of its own and reads its one result line; `release()` closes its sockets. */
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

const SCRIPT = join(import.meta.dir, 'storm-client.ts');

/** `lenient`: any CALLRESULT counts as a boot (the bare echo of server-process.ts answers `[3,id,{}]`). */
export async function storm(ocppUrl: string, count: number, password: string, { lenient = false } = {}) {
  const proc = Bun.spawn(['bun', SCRIPT, ocppUrl, String(count), password, lenient ? 'lenient' : 'strict'], { stdin: 'pipe', stdout: 'pipe', stderr: 'inherit' });
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
