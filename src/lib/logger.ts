/**
 * Structured JSON log lines from pino, one per event, with levels. Every field passes through `redact`, so a
 * token, password or Authorization header that ends up in a log call by mistake is masked rather than written out.
 * Standard output gets one write per event-loop turn, not one per line: a reconnect storm's line per station must
 * not cost a system call each.
 */
import pino from 'pino';
import pretty from 'pino-pretty';

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const SECRET_KEYS = /authorization|token|password|secret|api[-_]?key/i;

export function redact(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  // Deeper than anything we log on purpose: cut it rather than write out what might hold a secret.
  if (depth > 5) return '[truncated]';
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  // Most lines are a few plain fields (a station id, a protocol): nothing to copy.
  if (isFlatAndClean(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) && v != null ? '[redacted]' : redact(v, depth + 1)]),
  );
}

function isFlatAndClean(value: object): boolean {
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if ((v !== null && typeof v === 'object') || (SECRET_KEYS.test(key) && v != null)) return false;
  }
  return true;
}

export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  /** Human-readable lines (bun dev) instead of JSON. */
  pretty?: boolean;
  /** Where lines go, each as it is logged; standard output (batchedStdout) by default. */
  destination?: { write(line: string): void };
}

let stdout: { write(line: string): void } | undefined;

/**
 * Standard output for every logger of the process: the lines of one event-loop turn are joined and written at its
 * end, synchronously (pino's sync destination also waits out a full pipe), and whatever is left when the process
 * exits is written then. (pino's asynchronous destination measures its whole pending buffer again for every line:
 * under load that cost more than the writes it saved.)
 */
function batchedStdout() {
  if (stdout) return stdout;
  const out = pino.destination({ sync: true });
  let lines: string[] = [];
  const flush = () => {
    if (lines.length === 0) return;
    const text = lines.join('');
    lines = [];
    out.write(text);
  };
  process.once('exit', flush);
  stdout = {
    write(line) {
      if (lines.push(line) === 1) setImmediate(flush);
    },
  };
  return stdout;
}

export function createLogger(level: LogLevel = 'info', options: LoggerOptions = {}): Logger {
  const destination =
    options.destination ?? (options.pretty ? pretty({ sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }) : batchedStdout());
  const base = pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  const write = (lvl: 'info' | 'warn' | 'error') => (msg: string, fields?: Record<string, unknown>) => {
    if (base.isLevelEnabled(lvl)) base[lvl](redact(fields ?? {}) as object, msg);
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}
