/**
 * Structured JSON log lines from pino, one per event, with levels. Every field passes through `redact`, so a
 * token, password or Authorization header that ends up in a log call by mistake is masked rather than written out.
 * Standard output is written asynchronously: a line per station in a reconnect storm must not block the event loop
 * on a write each.
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
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) && v != null ? '[redacted]' : redact(v, depth + 1)]),
  );
}

export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  /** Human-readable lines (bun dev) instead of JSON. */
  pretty?: boolean;
  /**
   * Where lines go, synchronously; by default standard output, written asynchronously (pino writes what is still
   * buffered synchronously when the process exits).
   */
  destination?: { write(line: string): void };
}

export function createLogger(level: LogLevel = 'info', options: LoggerOptions = {}): Logger {
  const destination =
    options.destination ?? (options.pretty ? pretty({ sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }) : pino.destination({ sync: false }));
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
