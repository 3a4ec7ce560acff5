import { join } from 'node:path';

export interface ServerProcess {
  url: string;
  ocppUrl: string;
  port: number;
  kill(signal?: NodeJS.Signals | number): Promise<void>;
  /** Sends a signal without waiting for the process to end (SIGSTOP / SIGCONT). */
  signal(signal: NodeJS.Signals): void;
}

const root = join(import.meta.dir, '../..');

/**
 * The real service as its own process (`bun src/main.ts`), so a test can kill it the hard way (SIGKILL: no
 * shutdown hooks run) and start it again on the same database file.
 */
export async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const proc = Bun.spawn(['bun', 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', HOST: '127.0.0.1', OCPP_CHECK_REPLIES: 'on', ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const decoder = new TextDecoder();
  let seen = '';
  const reader = proc.stdout.getReader();
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += decoder.decode(value, { stream: true });
    const line = seen.split('\n').find((l) => l.includes('Dynamo CSMS listening'));
    if (line) {
      reader.releaseLock();
      void proc.stdout.pipeTo(new WritableStream());
      const port = (JSON.parse(line) as { port: number }).port;
      return {
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
