/**
 * A benchmark's server in a child process of its own, driven through JSON lines: the child prints `{"port"}` once
 * it listens, then answers each command line written to its stdin with one JSON line, and stops on "stop" (or
 * when its stdin ends, i.e. the bench died). Children and temporary folders are cleaned up on exit and Ctrl-C.
 */
import { rmSync } from 'node:fs';

const children = new Set<Bun.Subprocess>();
const tempDirs = new Set<string>();
process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    cleanUp();
    process.exit(130);
  });

export class ChildServer {
  private constructor(
    private readonly proc: Bun.Subprocess<'pipe', 'pipe', 'inherit'>,
    private readonly lines: AsyncIterator<string>,
    readonly port: number,
  ) {}

  /**
   * Starts `bun [...bunFlags] <script> ...args` with `env` added to ours, on the given cores (a taskset list) if
   * any; `readyMs` bounds the wait for its port (seeding a large database takes a while).
   */
  static async start(
    script: string,
    args: string[],
    { readyMs = 30_000, bunFlags = [] as string[], cores = undefined as string | undefined, env = {} as Record<string, string> } = {},
  ) {
    const command = ['bun', ...bunFlags, script, ...args];
    const proc = Bun.spawn(cores ? ['taskset', '-c', cores, ...command] : command, { stdin: 'pipe', stdout: 'pipe', stderr: 'inherit', env: { ...process.env, ...env } });
    children.add(proc);
    const lines = readLines(proc.stdout);
    const { port } = await nextLine<{ port: number }>(lines, readyMs);
    return new ChildServer(proc, lines, port);
  }

  /** The server's process id (taskset execs it, so it is the server itself). */
  get pid() {
    return this.proc.pid;
  }

  request<T>(command: string): Promise<T> {
    this.proc.stdin.write(`${command}\n`);
    this.proc.stdin.flush();
    return nextLine<T>(this.lines, 30_000);
  }

  /** Asks politely (the server closes its sockets and database), then kills after 15 s. */
  async stop() {
    this.proc.stdin.write('stop\n');
    this.proc.stdin.end();
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 15_000);
    await this.proc.exited;
    clearTimeout(timer);
    children.delete(this.proc);
  }
}

/** A folder removed when the bench ends, however it ends. */
export function tempDirRemovedOnExit(dir: string) {
  tempDirs.add(dir);
  return () => {
    rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  };
}

async function* readLines(stream: ReadableStream<Uint8Array>) {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of stream) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
      yield buffer.slice(0, end);
      buffer = buffer.slice(end + 1);
    }
  }
}

async function nextLine<T>(lines: AsyncIterator<string>, timeoutMs: number): Promise<T> {
  let timer: Timer | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`server process silent for ${timeoutMs} ms`)), timeoutMs)));
  try {
    const next = await Promise.race([lines.next(), timeout]);
    if (next.done) throw new Error('server process exited');
    return JSON.parse(next.value) as T;
  } finally {
    clearTimeout(timer);
  }
}

/** Synchronous on purpose: runs from the 'exit' handler too. */
function cleanUp() {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}
