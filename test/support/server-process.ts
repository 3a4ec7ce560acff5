import { join } from 'node:path';

export interface ServerProcess {
  pid: number;
  url: string;
  ocppUrl: string;
  port: number;
  kill(signal?: NodeJS.Signals | number): Promise<void>;
  /** Sends a signal without waiting for the process to end (SIGSTOP / SIGCONT). */
  signal(signal: NodeJS.Signals): void;
}

const root = join(import.meta.dir, '../..');
/** Servers still running: killed when this process exits, however it exits (a test or bench that failed half-way). */
const running = new Set<Bun.Subprocess>();
process.on('exit', () => {
  for (const proc of running) proc.kill('SIGKILL');
});
/** A server that has not said it listens within this long is killed and the start fails. */
const START_TIMEOUT_MS = 10_000;

/**
 * The real service as its own process (`bun src/main.ts`), so a test can kill it the hard way (SIGKILL: no
 * shutdown hooks run) and start it again on the same database file. `cores` (a taskset list) pins it: a bench's
 * children would otherwise inherit the load generator's cores.
 */
export async function spawnServer(env: Record<string, string>, { cores }: { cores?: string } = {}): Promise<ServerProcess> {
  const command = ['bun', 'src/main.ts'];
  const proc = Bun.spawn(cores ? ['taskset', '-c', cores, ...command] : command, {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', HOST: '127.0.0.1', OCPP_CHECK_REPLIES: 'on', ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  running.add(proc);
  void proc.exited.then(() => running.delete(proc));
  const timer = setTimeout(() => proc.kill('SIGKILL'), START_TIMEOUT_MS);
  const decoder = new TextDecoder();
  let seen = '';
  const reader = proc.stdout.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += decoder.decode(value, { stream: true });
    const line = seen.split('\n').find((l) => l.includes('Dynamo CSMS listening'));
    if (line) {
      clearTimeout(timer);
      reader.releaseLock();
      void proc.stdout.pipeTo(new WritableStream());
      const port = (JSON.parse(line) as { port: number }).port;
      return {
        pid: proc.pid,
        port,
        url: `http://127.0.0.1:${port}`,
        ocppUrl: `ws://127.0.0.1:${port}/ocpp`,
        async kill(signal = 'SIGKILL') {
          proc.kill('SIGCONT');
          proc.kill(signal);
          await proc.exited;
        },
        signal: (signal) => proc.kill(signal),
      };
    }
  }
  proc.kill('SIGKILL');
  throw new Error(`server did not start: ${seen}${await new Response(proc.stderr).text()}`);
}
