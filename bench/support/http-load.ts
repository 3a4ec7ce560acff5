/**
 * A closed-loop HTTP/1.1 load generator on raw keep-alive TCP sockets (Bun.connect): each connection sends one GET,
 * waits for the whole answer, sends the next. It reads only the status line and Content-Length and counts the body
 * bytes, so it costs the load generator a few µs per request whatever the page size (fetch() would parse and
 * allocate every body). Answers must carry Content-Length: chunked bodies are refused loudly rather than miscounted.
 */

export interface LoadResult {
  requests: number;
  windowMs: number;
  /** Round trips in ms, one per answered request (bounded sample). */
  latencies: Float64Array;
  /** Answers by HTTP status. */
  statuses: Map<number, number>;
  bodyBytes: number;
  /** The load generator's own CPU time during the window, as a share of one core. */
  generatorCpu: number;
}

export interface LoadOptions {
  port: number;
  connections: number;
  seconds: number;
  /** The request target (path and query) of the next request. */
  nextPath: () => string;
  /** Extra request headers, e.g. Authorization. */
  headers: Record<string, string>;
}

const MAX_SAMPLES = 2_000_000;
const CRLF2 = Buffer.from('\r\n\r\n');

interface Connection {
  socket: Bun.Socket<undefined>;
  sentAt: number;
  /** Header bytes received so far (until the blank line). */
  head: Buffer | undefined;
  /** Body bytes still to come for the answer in flight; -1 while reading its head. */
  remaining: number;
  status: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const headerLines = Object.entries({ host: `127.0.0.1:${options.port}`, connection: 'keep-alive', ...options.headers })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const latencies = new Float64Array(MAX_SAMPLES);
  const statuses = new Map<number, number>();
  let requests = 0;
  let bodyBytes = 0;
  let running = true;
  let failure: Error | undefined;
  const idle: Promise<void>[] = [];

  const send = (c: Connection) => {
    c.remaining = -1;
    c.head = undefined;
    c.sentAt = performance.now();
    c.socket.write(`GET ${options.nextPath()} HTTP/1.1\r\n${headerLines}\r\n`);
  };
  const complete = (c: Connection) => {
    if (requests < MAX_SAMPLES) latencies[requests] = performance.now() - c.sentAt;
    requests += 1;
    statuses.set(c.status, (statuses.get(c.status) ?? 0) + 1);
    if (running) send(c);
    else c.socket.end();
  };
  const receive = (c: Connection, data: Buffer) => {
    let chunk = data;
    while (chunk.length > 0) {
      if (c.remaining < 0) {
        const head: Buffer = c.head ? Buffer.concat([c.head, chunk]) : chunk;
        const end = head.indexOf(CRLF2);
        if (end < 0) {
          c.head = head;
          return;
        }
        const text = head.subarray(0, end).toString('latin1');
        c.status = Number(text.slice(9, 12));
        const length = /\r\ncontent-length: *(\d+)/i.exec(text)?.[1];
        if (length === undefined) throw new Error(`answer without Content-Length: ${text.split('\r\n')[0]}`);
        c.remaining = Number(length);
        c.head = undefined;
        chunk = head.subarray(end + 4);
      }
      const taken = Math.min(c.remaining, chunk.length);
      c.remaining -= taken;
      bodyBytes += taken;
      chunk = chunk.subarray(taken);
      if (c.remaining === 0) complete(c);
      else return;
    }
  };

  const connections: Connection[] = [];
  for (let i = 0; i < options.connections; i++) {
    let closed!: () => void;
    idle.push(new Promise<void>((resolve) => (closed = resolve)));
    const c = { sentAt: 0, head: undefined, remaining: -1, status: 0 } as unknown as Connection;
    c.socket = await Bun.connect({
      hostname: '127.0.0.1',
      port: options.port,
      socket: {
        data(_socket, data) {
          try {
            receive(c, data);
          } catch (error) {
            failure ??= error as Error;
            running = false;
            c.socket.end();
          }
        },
        close: () => closed(),
        error: (_socket, error) => {
          failure ??= error;
          closed();
        },
      },
    });
    connections.push(c);
  }

  const cpu0 = process.cpuUsage();
  const started = performance.now();
  for (const c of connections) send(c);
  await Bun.sleep(options.seconds * 1000);
  running = false;
  const windowMs = performance.now() - started;
  const done = requests;
  const { user, system } = process.cpuUsage(cpu0);
  await Promise.race([Promise.all(idle), Bun.sleep(10_000)]);
  if (failure) throw failure;
  return {
    requests: done,
    windowMs,
    latencies: latencies.slice(0, Math.min(done, MAX_SAMPLES)).sort(),
    statuses,
    bodyBytes,
    generatorCpu: (user + system) / (windowMs * 1000),
  };
}

export function percentile(sorted: Float64Array, q: number) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : Number.NaN;
}
