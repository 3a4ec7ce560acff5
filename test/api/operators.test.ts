import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createSecrets } from '../../src/lib/secrets.ts';
import { ADMIN_KEY, removeDir, startTestServer, type TestServer } from '../support/server.ts';
import { storedBytes } from '../support/test-database.ts';

let cpo: TestServer;

beforeAll(() => {
  cpo = startTestServer();
});
afterAll(async () => {
  await cpo.stop();
  removeDir(cpo.dir);
});

/** An operator API request with exactly the headers given (no admin key added). */
async function call(method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
  const response = await fetch(cpo.url + path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as any) : undefined, headers: response.headers };
}

function expectUnauthorized(response: { status: number; body: any }) {
  expect(response.status).toBe(401);
  expect(response.body).toMatchObject({ error: 'unauthorized' });
  expect(typeof response.body.message).toBe('string');
  expect(response.body.message.length).toBeGreaterThan(0);
  // The operator API speaks plain JSON, not the OCPI envelope.
  expect(response.body.status_code).toBeUndefined();
}

/** The database file and its WAL, as bytes. */
async function databaseBytes(): Promise<Buffer> {
  const bytes = await storedBytes(cpo.config);
  expect(bytes.length).toBeGreaterThan(0);
  return bytes;
}

describe('API key authentication', () => {
  test('no key, a wrong key, or another scheme is 401 with {error, message}', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-key-0123456789abcdef' },
      { 'x-api-key': 'wrong-key-0123456789abcdef' },
      { authorization: `Basic ${Buffer.from(`admin:${ADMIN_KEY}`).toString('base64')}` },
      { authorization: `Token ${ADMIN_KEY}` },
      { authorization: 'Bearer ' },
      { authorization: `Bearer ${ADMIN_KEY.slice(0, -1)}` },
      { authorization: `Bearer ${ADMIN_KEY}x` },
    ];
    for (const headers of attempts) {
      for (const path of ['/api/v1/charge-points', '/api/v1/api-keys', '/api/v1/ocpi/partners', '/api/v1/locations']) {
        expectUnauthorized(await call('GET', path, headers));
      }
    }
    expectUnauthorized(await call('POST', '/api/v1/api-keys', {}, { name: 'sneaky' }));
    expectUnauthorized(await call('PUT', '/api/v1/charge-points/CP-NOAUTH', {}, { password: 'a-valid-password-123' }));
    // Nothing was created by the refused requests.
    expect((await cpo.api('GET', '/api/v1/api-keys')).body.map((k: any) => k.name)).not.toContain('sneaky');
    expect((await cpo.api('GET', '/api/v1/charge-points/CP-NOAUTH')).status).toBe(404);
  });

  test('the admin key works as "Authorization: Bearer" and as "X-API-Key"', async () => {
    const bearer = await call('GET', '/api/v1/charge-points', { authorization: `Bearer ${ADMIN_KEY}` });
    expect(bearer.status).toBe(200);
    expect(Array.isArray(bearer.body)).toBe(true);
    const header = await call('GET', '/api/v1/charge-points', { 'x-api-key': ADMIN_KEY });
    expect(header.status).toBe(200);
    expect(header.body).toEqual(bearer.body);
    // The scheme word is case-insensitive.
    expect((await call('GET', '/api/v1/charge-points', { authorization: `bearer ${ADMIN_KEY}` })).status).toBe(200);
  });
});

describe('API keys', () => {
  test('created key is shown once, works, is listed without the key, and stops working when revoked', async () => {
    const created = await cpo.api('POST', '/api/v1/api-keys', { name: 'ci pipeline' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'ci pipeline' });
    expect(typeof created.body.id).toBe('string');
    expect(typeof created.body.key).toBe('string');
    expect(created.body.key.length).toBeGreaterThanOrEqual(32);
    expect(Number.isNaN(Date.parse(created.body.created_at))).toBe(false);
    const { id, key } = created.body as { id: string; key: string };

    // The new key works both ways.
    expect((await call('GET', '/api/v1/charge-points', { authorization: `Bearer ${key}` })).status).toBe(200);
    expect((await call('GET', '/api/v1/charge-points', { 'x-api-key': key })).status).toBe(200);
    // ...and can itself manage keys.
    const second = await call('POST', '/api/v1/api-keys', { 'x-api-key': key }, { name: 'made by ci' });
    expect(second.status).toBe(201);

    // Listed, never with the key.
    const listed = await cpo.api('GET', '/api/v1/api-keys');
    expect(listed.status).toBe(200);
    const entry = listed.body.find((k: any) => k.id === id);
    expect(entry).toEqual({ id, name: 'ci pipeline', created_at: created.body.created_at });
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(JSON.stringify(listed.body)).not.toContain(second.body.key);

    // Revoked: 204, then 401 with that key; the listing shows when.
    const revoked = await cpo.api('DELETE', `/api/v1/api-keys/${id}`);
    expect(revoked.status).toBe(204);
    expectUnauthorized(await call('GET', '/api/v1/charge-points', { authorization: `Bearer ${key}` }));
    expectUnauthorized(await call('GET', '/api/v1/charge-points', { 'x-api-key': key }));
    const after = (await cpo.api('GET', '/api/v1/api-keys')).body.find((k: any) => k.id === id);
    expect(Number.isNaN(Date.parse(after.revoked_at))).toBe(false);
    // The other key is unaffected.
    expect((await call('GET', '/api/v1/charge-points', { 'x-api-key': second.body.key })).status).toBe(200);

    // Revoking again, or an unknown id, is 404.
    expect((await cpo.api('DELETE', `/api/v1/api-keys/${id}`)).status).toBe(404);
    const unknown = await cpo.api('DELETE', '/api/v1/api-keys/no-such-key');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('not_found');
  });

  test('each created key is different', async () => {
    const keys = new Set<string>();
    for (let i = 0; i < 3; i++) keys.add((await cpo.api('POST', '/api/v1/api-keys', { name: `k${i}` })).body.key);
    expect(keys.size).toBe(3);
  });

  test('a key needs a name', async () => {
    for (const body of [{}, { name: '' }, { name: 'x'.repeat(101) }]) {
      const response = await cpo.api('POST', '/api/v1/api-keys', body);
      expect(response.status).toBe(400);
      expect(response.body.message).toContain('name');
    }
  });

  test('the raw key never appears in the database (the SQLite file and its WAL, or every PostgreSQL row)', async () => {
    const created = await cpo.api('POST', '/api/v1/api-keys', { name: 'at rest' });
    expect(created.status).toBe(201);
    const key: string = created.body.key;
    // Make sure it is persisted and usable before looking at the bytes.
    expect((await call('GET', '/api/v1/api-keys', { 'x-api-key': key })).status).toBe(200);
    const bytes = await databaseBytes();
    expect(bytes.includes(Buffer.from('at rest'))).toBe(true); // the row is there...
    expect(bytes.includes(Buffer.from(key))).toBe(false); // ...but not the key
    expect(bytes.includes(Buffer.from(ADMIN_KEY))).toBe(false);
  });
});

describe('charge points', () => {
  const PASSWORD = 'basic-auth-password-0001';

  test('a password shorter than 16 or longer than 40 characters is 400 naming password, and nothing is created', async () => {
    for (const password of ['short-pass', 'x'.repeat(15), 'x'.repeat(41), '']) {
      const response = await cpo.api('PUT', '/api/v1/charge-points/CP-BADPASS', { password });
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('invalid_request');
      expect(response.body.message).toContain('password');
    }
    const missing = await cpo.api('PUT', '/api/v1/charge-points/CP-BADPASS', {});
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain('password');
    expect((await cpo.api('GET', '/api/v1/charge-points/CP-BADPASS')).status).toBe(404);
  });

  test('PUT creates (201) then replaces (200); GET never shows the password or its hash', async () => {
    const created = await cpo.api('PUT', '/api/v1/charge-points/CP-0001', { password: PASSWORD });
    expect(created.status).toBe(201);
    expect(created.body.id).toBe('CP-0001');
    expect(Number.isNaN(Date.parse(created.body.created_at))).toBe(false);
    expect(Number.isNaN(Date.parse(created.body.updated_at))).toBe(false);
    // Whatever else the view shows (live state), nothing about the credential.
    for (const key of Object.keys(created.body)) expect(key).not.toMatch(/pass|hash|secret|key/i);

    const replaced = await cpo.api('PUT', '/api/v1/charge-points/CP-0001', { password: 'basic-auth-password-0002' });
    expect(replaced.status).toBe(200);
    expect(replaced.body.id).toBe('CP-0001');
    expect(replaced.body.created_at).toBe(created.body.created_at);
    expect(Date.parse(replaced.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(created.body.updated_at));

    const one = await cpo.api('GET', '/api/v1/charge-points/CP-0001');
    expect(one.status).toBe(200);
    expect(one.body).toEqual(replaced.body);
    const list = await cpo.api('GET', '/api/v1/charge-points');
    expect(list.body).toContainEqual(replaced.body);

    const secrets = createSecrets(cpo.config.secretKey);
    for (const shown of [created.body, replaced.body, one.body, list.body]) {
      const text = JSON.stringify(shown);
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain('basic-auth-password-0002');
      expect(text).not.toContain(secrets.hash(PASSWORD));
      expect(text).not.toContain(secrets.hash('basic-auth-password-0002'));
      expect(text).not.toContain('password');
      expect(text).not.toContain('hash');
    }
    // At rest only the hash is kept.
    const bytes = await databaseBytes();
    expect(bytes.includes(Buffer.from('basic-auth-password-0002'))).toBe(false);
    expect(bytes.includes(Buffer.from(PASSWORD))).toBe(false);
  });

  test('DELETE is 204, then GET is 404; deleting again is 404', async () => {
    expect((await cpo.api('PUT', '/api/v1/charge-points/CP-DEL', { password: PASSWORD })).status).toBe(201);
    const deleted = await cpo.api('DELETE', '/api/v1/charge-points/CP-DEL');
    expect(deleted.status).toBe(204);
    const gone = await cpo.api('GET', '/api/v1/charge-points/CP-DEL');
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ error: 'not_found' });
    expect(typeof gone.body.message).toBe('string');
    expect((await cpo.api('GET', '/api/v1/charge-points')).body.map((c: any) => c.id)).not.toContain('CP-DEL');
    expect((await cpo.api('DELETE', '/api/v1/charge-points/CP-DEL')).status).toBe(404);
  });

  test('charge points survive a restart', async () => {
    expect((await cpo.api('PUT', '/api/v1/charge-points/CP-PERSIST', { password: PASSWORD })).status).toBe(201);
    cpo = await cpo.restart();
    const got = await cpo.api('GET', '/api/v1/charge-points/CP-PERSIST');
    expect(got.status).toBe(200);
    expect(got.body.id).toBe('CP-PERSIST');
  });
});
