/**
 * One server for bench/ocpp.ts, in a process of its own so that its RSS is the server's alone:
 *
 *   bun bench/support/server-process.ts dynamo <dir> <adminKey>   the real server (startServer), database in <dir>
 *   bun bench/support/server-process.ts echo                      bare Bun WebSocket: every frame gets [3,id,{}]
 *   bun bench/support/server-process.ts raw                       raw Bun OCPP: JSON.parse, a switch on the action,
 *                                                                 JSON.stringify of its answer; no validation, no state
 *
 * It speaks JSON lines: prints {"port"} once listening, then answers each line read from stdin:
 *   "cpu"   → {"cpuMicros","mainMicros"}             CPU time so far (all threads; the main thread alone, Linux only), nothing else (no GC inside a timed window);
 *                                                    the bench reads /proc/<pid>/stat itself where there is one
 *   "stats" → {"rss","heapUsed","cpuMicros","logs"}  after a full GC, so garbage is not counted as per-station memory
 *   "trace" → {"dropped"}                            protocol trace records dropped so far (its writer fell behind; as logged)
 *   "stop"  → {"stopped":true}, then exits. The end of stdin (the bench died) stops it too.
 */
import { readFileSync } from 'node:fs';
import { startServer } from '../../src/server.ts';
import { benchConfig } from './bench-config.ts';
import type { Logger } from '../../src/lib/logger.ts';

const [mode, dir, adminKey] = Bun.argv.slice(2);

/** The server's warnings and errors, counted, with the first example of each: a silent logger would hide product errors. */
const logs: Record<string, { count: number; example: string }> = {};
let traceDropped = 0;
const counting = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
  if (msg.startsWith('Protocol trace records dropped') && typeof fields?.dropped === 'number') traceDropped += fields.dropped;
  const entry = (logs[`${level}: ${msg}`] ??= { count: 0, example: safeJson(fields).slice(0, 300) });
  entry.count += 1;
};
const logger: Logger = { info: () => {}, warn: counting('warn'), error: counting('error') };

let stop: () => Promise<void>;
let port: number;
if (mode === 'dynamo' && dir && adminKey) {
  const server = startServer(benchConfig(dir, adminKey), { logger });
  port = server.port;
  stop = () => server.stop();
} else if (mode === 'echo' || mode === 'raw') {
  const server = bareServer(mode === 'echo' ? echo : rawOcpp);
  port = server.port!;
  stop = () => server.stop(true);
} else {
  console.error('usage: server-process.ts dynamo <dir> <adminKey> | echo | raw');
  process.exit(2);
}

const reply = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

reply({ port });
for await (const line of console) {
  const command = line.trim();
  if (command === 'cpu') reply({ cpuMicros: cpuMicros(), mainMicros: mainThreadMicros() });
  else if (command === 'stats') {
    Bun.gc(true);
    const { rss, heapUsed } = process.memoryUsage();
    reply({ rss, heapUsed, cpuMicros: cpuMicros(), logs });
  } else if (command === 'trace') reply({ dropped: traceDropped });
  else if (command === 'stop') break;
}
await stop();
reply({ stopped: true });
process.exit(0);

/** A bare Bun WebSocket server on loopback answering each text frame with `answer(frame)`. */
function bareServer(answer: (frame: string) => string) {
  return Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch(request, server) {
      // Same subprotocol handling as the gateway (stack gotcha 7), so clients see the same handshake.
      if (server.upgrade(request, { data: undefined, headers: { 'sec-websocket-protocol': 'ocpp1.6' } })) return undefined;
      return new Response('Expected a WebSocket upgrade', { status: 426 });
    },
    websocket: {
      maxPayloadLength: 1024 * 1024,
      idleTimeout: 120,
      message: (ws, message) => void ws.send(answer(String(message))),
    },
  });
}

/** Parse like a real server must (to learn the id), answer with a fixed CALLRESULT. */
function echo(frame: string) {
  const id = (JSON.parse(frame) as unknown[])[1];
  return `[3,${JSON.stringify(id)},{}]`;
}

/** The least an OCPP 1.6 server does: read the action, answer what the spec asks for it; nothing checked or kept. */
function rawOcpp(frame: string) {
  const [, id, action] = JSON.parse(frame) as [number, string, string, unknown];
  switch (action) {
    case 'BootNotification':
      return JSON.stringify([3, id, { status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }]);
    case 'Heartbeat':
      return JSON.stringify([3, id, { currentTime: new Date().toISOString() }]);
    default:
      return JSON.stringify([3, id, {}]);
  }
}

/** The main thread's user + sys CPU (Linux /proc, clock ticks of 10 ms), apart from workers and Bun's helper threads; NaN elsewhere. */
function mainThreadMicros() {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 (utime, stime) counted from 1, i.e. 11 and 12 after the command name.
    return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / 100;
  } catch {
    return Number.NaN;
  }
}

function safeJson(value: unknown) {
  try {
    return JSON.stringify(value, (_key, v) => (v instanceof Error ? { name: v.name, message: v.message } : v)) ?? '';
  } catch {
    return String(value);
  }
}
