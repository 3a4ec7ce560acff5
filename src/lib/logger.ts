/**
 * One-line JSON logs. Every field passes through `redact`, so a token, password or Authorization header
 * that ends up in a log call by mistake is masked rather than written out.
 */
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

const RANK = { silent: 3, error: 2, warn: 1, info: 0 } as const;

export function createLogger(level: keyof typeof RANK = 'info'): Logger {
  const write = (lvl: 'info' | 'warn' | 'error') => (msg: string, fields?: Record<string, unknown>) => {
    if (RANK[lvl] < RANK[level]) return;
    const line = JSON.stringify({ t: new Date().toISOString(), level: lvl, msg, ...(redact(fields ?? {}) as object) });
    (lvl === 'error' ? console.error : console.log)(line);
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}
