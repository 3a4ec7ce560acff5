import { describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import { createLogger, redact } from '../../src/lib/logger.ts';

const SECRET = 'super-secret-value-0123456789';

/** Nests `leaf` under `depth` levels of `{ level: ... }`. */
function nest(depth: number, leaf: Record<string, unknown>): Record<string, unknown> {
  let value: Record<string, unknown> = leaf;
  for (let i = 0; i < depth; i++) value = { level: value };
  return value;
}

describe('redact', () => {
  test('masks authorization, token, password and api key fields at the top level', () => {
    const out = redact({
      authorization: `Token ${SECRET}`,
      Authorization: `Bearer ${SECRET}`,
      token: SECRET,
      password: SECRET,
      api_key: SECRET,
      apiKey: SECRET,
      'x-api-key': SECRET,
      secret_key: SECRET,
      path: '/ocpi/versions',
      status: 200,
    });
    expect(out).toEqual({
      authorization: '[redacted]',
      Authorization: '[redacted]',
      token: '[redacted]',
      password: '[redacted]',
      api_key: '[redacted]',
      apiKey: '[redacted]',
      'x-api-key': '[redacted]',
      secret_key: '[redacted]',
      path: '/ocpi/versions',
      status: 200,
    });
  });

  test('masks fields whose name contains a secret word (tokenB, sealedTokenOut, stationPassword)', () => {
    const out = redact({ tokenB: SECRET, sealedTokenOut: SECRET, stationPassword: SECRET, name: 'ok' }) as Record<string, unknown>;
    expect(out).toEqual({ tokenB: '[redacted]', sealedTokenOut: '[redacted]', stationPassword: '[redacted]', name: 'ok' });
  });

  test('masks nested objects and objects inside arrays, keeping everything else', () => {
    const input = {
      request: { headers: { authorization: `Token ${SECRET}`, 'content-type': 'application/json' } },
      partners: [{ id: 'p1', credentials: { token: SECRET, url: 'http://x/ocpi/versions' } }],
      body: { station: { password: SECRET, id: 'CP-1' } },
    };
    const out = redact(input);
    expect(out).toEqual({
      request: { headers: { authorization: '[redacted]', 'content-type': 'application/json' } },
      partners: [{ id: 'p1', credentials: { token: '[redacted]', url: 'http://x/ocpi/versions' } }],
      body: { station: { password: '[redacted]', id: 'CP-1' } },
    });
    // The input itself is not changed.
    expect(input.body.station.password).toBe(SECRET);
  });

  test('masks a secret field whatever its value type (object, array, number)', () => {
    const out = redact({ token: { value: SECRET }, passwords: [SECRET], api_key: 12345 });
    expect(out).toEqual({ token: '[redacted]', passwords: '[redacted]', api_key: '[redacted]' });
  });

  test('masks secret fields at any depth (deeply nested request context)', () => {
    for (const depth of [1, 3, 5, 6, 8, 12]) {
      const out = JSON.stringify(redact(nest(depth, { authorization: `Token ${SECRET}`, api_key: SECRET })));
      expect({ depth, leaked: out.includes(SECRET) }).toEqual({ depth, leaked: false });
    }
  });

  test('passes primitives through and turns errors into name + message', () => {
    expect(redact('plain')).toBe('plain');
    expect(redact(42)).toBe(42);
    expect(redact(null)).toBe(null);
    expect(redact(new TypeError('boom'))).toEqual({ name: 'TypeError', message: 'boom' });
    expect(redact({ error: new Error('failed') })).toEqual({ error: { name: 'Error', message: 'failed' } });
  });
});

describe('createLogger', () => {
  test('writes one JSON line per call with every field redacted', () => {
    const lines: string[] = [];
    const logger = createLogger('info', { destination: { write: (line) => void lines.push(line) } });
    logger.info('partner call', { path: '/ocpi/versions', headers: { authorization: `Token ${SECRET}` }, token: SECRET });
    logger.error('failed', { password: SECRET, error: new Error('nope') });
    expect(lines).toHaveLength(2);
    const [info, error] = lines.map((l) => JSON.parse(l));
    expect(info).toMatchObject({ level: 'info', msg: 'partner call', path: '/ocpi/versions', headers: { authorization: '[redacted]' }, token: '[redacted]' });
    expect(error).toMatchObject({ level: 'error', msg: 'failed', password: '[redacted]', error: { name: 'Error', message: 'nope' } });
    expect(lines.join('\n')).not.toContain(SECRET);
  });

  test('levels below the chosen one are not written', () => {
    const lines: string[] = [];
    const logger = createLogger('warn', { destination: { write: (line) => void lines.push(line) } });
    logger.info('routine');
    logger.warn('odd', { chargePointId: 'CP1' });
    expect(lines.map((l) => JSON.parse(l))).toEqual([expect.objectContaining({ level: 'warn', msg: 'odd', chargePointId: 'CP1', time: expect.any(String) })]);
  });

  test('the silent logger writes nothing', () => {
    const lines: string[] = [];
    const logger = createLogger('silent', { destination: { write: (line) => void lines.push(line) } });
    logger.info('x', { token: SECRET });
    logger.warn('x');
    logger.error('x');
    expect(lines).toEqual([]);
  });

  test('standard output is written once per event-loop turn, and every line still comes out when the process exits at once', async () => {
    const script = `
      import { createLogger } from ${JSON.stringify(join(import.meta.dir, '../../src/lib/logger.ts'))};
      const logger = createLogger('info');
      for (let i = 0; i < 5000; i++) logger.info('line', { i, pad: 'x'.repeat(100) });
      process.exit(0);`;
    const proc = Bun.spawn(['bun', '-e', script], { stdout: 'pipe', stderr: 'inherit' });
    const [stdout, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
    expect(code).toBe(0);
    const numbers = stdout.trim().split('\n').map((line) => (JSON.parse(line) as { i: number }).i);
    expect(numbers).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });
});
