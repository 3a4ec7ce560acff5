import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { ADMIN_KEY, removeDir, startTestServer, type TestServer } from '../support/server.ts';

const BASE = '/api/v1/integration-requests';
const ID = /^ireq_[0-9A-HJKMNP-TV-Z]{26}$/;

let cpo: TestServer;

beforeAll(() => {
  cpo = startTestServer();
});
afterAll(async () => {
  await cpo.stop();
  removeDir(cpo.dir);
});

const isoTime = (value: unknown) => typeof value === 'string' && !Number.isNaN(Date.parse(value));

async function submit(body: Record<string, unknown>, headers?: Record<string, string>) {
  const response = await cpo.api('POST', BASE, body, headers);
  expect(response.status).toBe(201);
  return response.body as { id: string; status: string; partner_name: string; created_at: string };
}

async function total(status?: string): Promise<number> {
  const response = await cpo.api('GET', `${BASE}?limit=1000${status ? `&status=${status}` : ''}`);
  expect(response.status).toBe(200);
  return response.body.total;
}

function expectInvalid(response: { status: number; body: any }, field: string) {
  expect(response.status).toBe(400);
  expect(response.body.error).toBe('invalid_request');
  expect(response.body.message).toContain(field);
}

describe('authentication', () => {
  test('every route is 401 without a valid API key, and nothing is created', async () => {
    const created = await submit({ integration_type: 'emsp', partner_name: 'Auth Target' });
    const before = await total();
    const routes: [string, string, unknown?][] = [
      ['POST', BASE, { integration_type: 'emsp', partner_name: 'Sneaky' }],
      ['GET', BASE],
      ['GET', `${BASE}/${created.id}`],
      ['PATCH', `${BASE}/${created.id}`, { status: 'accepted' }],
    ];
    for (const [method, path, body] of routes) {
      for (const headers of [{}, { authorization: 'Bearer wrong-key-0123456789abcdef' }, { 'x-api-key': `${ADMIN_KEY}x` }] as Record<string, string>[]) {
        const response = await fetch(cpo.url + path, {
          method,
          headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        expect(response.status).toBe(401);
        expect(((await response.json()) as any).error).toBe('unauthorized');
      }
    }
    expect(await total()).toBe(before);
    const after = await cpo.api('GET', `${BASE}/${created.id}`);
    expect(after.body.status).toBe('submitted');
    expect(after.body.history).toHaveLength(1);
  });
});

describe('submitting', () => {
  test('201 with id, status, partner_name and created_at; GET adds integration_type, description and the creation in history', async () => {
    const response = await cpo.api('POST', BASE, { integration_type: 'roaming_hub', partner_name: 'Hubject', description: 'OCPI 2.2.1 via hub' });
    expect(response.status).toBe(201);
    expect(Object.keys(response.body).sort()).toEqual(['created_at', 'id', 'partner_name', 'status']);
    expect(response.body.id).toMatch(ID);
    expect(response.body.status).toBe('submitted');
    expect(response.body.partner_name).toBe('Hubject');
    expect(isoTime(response.body.created_at)).toBe(true);

    const one = await cpo.api('GET', `${BASE}/${response.body.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual({
      id: response.body.id,
      integration_type: 'roaming_hub',
      partner_name: 'Hubject',
      description: 'OCPI 2.2.1 via hub',
      status: 'submitted',
      created_at: response.body.created_at,
      updated_at: response.body.created_at,
      history: [{ status: 'submitted', by: 'admin', at: response.body.created_at }],
    });
  });

  test('every integration type is accepted; the description is optional and then absent', async () => {
    for (const type of ['emsp', 'roaming_hub', 'payment', 'other']) {
      const created = await submit({ integration_type: type, partner_name: `Partner ${type}` });
      const one = (await cpo.api('GET', `${BASE}/${created.id}`)).body;
      expect(one.integration_type).toBe(type);
      expect('description' in one).toBe(false);
    }
  });

  test('ids are distinct ULIDs, ordered like their creation', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await submit({ integration_type: 'other', partner_name: `Burst ${i}` })).id);
    for (const id of ids) expect(id).toMatch(ID);
    expect(new Set(ids).size).toBe(5);
    // ULIDs sort by their millisecond timestamp: never earlier than a previous request's.
    for (let i = 1; i < ids.length; i++) expect(ids[i]!.slice(5, 15) >= ids[i - 1]!.slice(5, 15)).toBe(true);
  });

  test('the boundaries are allowed: a 1- and a 200-character name, a 5,000-character description', async () => {
    const long = await submit({ integration_type: 'payment', partner_name: 'n'.repeat(200), description: 'd'.repeat(5000) });
    const one = (await cpo.api('GET', `${BASE}/${long.id}`)).body;
    expect(one.partner_name).toHaveLength(200);
    expect(one.description).toHaveLength(5000);
    expect((await submit({ integration_type: 'payment', partner_name: 'X' })).partner_name).toBe('X');
  });

  test('each invalid field is 400 naming it, and nothing is stored', async () => {
    const valid = { integration_type: 'emsp', partner_name: 'Valid Name', description: 'ok' };
    const cases: [string, Record<string, unknown>][] = [
      ['integration_type', { ...valid, integration_type: 'bank' }],
      ['integration_type', { ...valid, integration_type: 'EMSP' }],
      ['integration_type', { ...valid, integration_type: '' }],
      ['integration_type', { ...valid, integration_type: 3 }],
      ['integration_type', { partner_name: 'Valid Name' }],
      ['partner_name', { integration_type: 'emsp' }],
      ['partner_name', { ...valid, partner_name: '' }],
      ['partner_name', { ...valid, partner_name: '   ' }],
      ['partner_name', { ...valid, partner_name: 'n'.repeat(201) }],
      ['partner_name', { ...valid, partner_name: 42 }],
      ['partner_name', { ...valid, partner_name: null }],
      ['description', { ...valid, description: 'd'.repeat(5001) }],
      ['description', { ...valid, description: 7 }],
    ];
    const before = await total();
    for (const [field, body] of cases) expectInvalid(await cpo.api('POST', BASE, body), field);
    expect(await total()).toBe(before);
  });

  test('a body that is not JSON is 400, and nothing is stored', async () => {
    const before = await total();
    const response = await cpo.api('POST', BASE, '{"integration_type": "emsp",');
    expect(response.status).toBe(400);
    expect(await total()).toBe(before);
  });

  test('an unknown id is 404 with a JSON error, for GET and PATCH', async () => {
    for (const id of ['ireq_01ARZ3NDEKTSV4RRFFQ69G5FAV', 'nope']) {
      const got = await cpo.api('GET', `${BASE}/${id}`);
      expect(got.status).toBe(404);
      expect(got.body.error).toBe('not_found');
      expect(got.body.message).toContain(id);
      const patched = await cpo.api('PATCH', `${BASE}/${id}`, { status: 'accepted' });
      expect(patched.status).toBe(404);
      expect(patched.body.error).toBe('not_found');
    }
  });
});

describe('listing', () => {
  // Its own server: totals and filters are exact only on a database nothing else writes to.
  let own: TestServer;
  const ids: string[] = [];
  beforeAll(async () => {
    own = startTestServer();
    for (let i = 0; i < 5; i++) {
      const response = await own.api('POST', BASE, { integration_type: i % 2 ? 'payment' : 'emsp', partner_name: `List ${i}` });
      ids.push(response.body.id);
    }
    expect((await own.api('PATCH', `${BASE}/${ids[1]}`, { status: 'in_review' })).status).toBe(200);
    expect((await own.api('PATCH', `${BASE}/${ids[3]}`, { status: 'in_review' })).status).toBe(200);
    expect((await own.api('PATCH', `${BASE}/${ids[4]}`, { status: 'rejected' })).status).toBe(200);
  });
  afterAll(async () => {
    await own.stop();
    removeDir(own.dir);
  });

  test('{data, total}: all requests oldest first, with type and description but without history', async () => {
    const list = await own.api('GET', BASE);
    expect(list.status).toBe(200);
    expect(Object.keys(list.body).sort()).toEqual(['data', 'total']);
    expect(list.body.total).toBe(5);
    expect(list.body.data.map((r: any) => r.id)).toEqual(ids);
    expect(list.body.data[0]).toMatchObject({ id: ids[0], integration_type: 'emsp', partner_name: 'List 0', status: 'submitted' });
    expect(list.body.data[1]).toMatchObject({ integration_type: 'payment', status: 'in_review' });
    for (const item of list.body.data) expect(item.history).toBeUndefined();
  });

  test('offset and limit page through; total stays the full count', async () => {
    const first = await own.api('GET', `${BASE}?limit=2`);
    expect(first.body.data.map((r: any) => r.id)).toEqual(ids.slice(0, 2));
    expect(first.body.total).toBe(5);
    const second = await own.api('GET', `${BASE}?offset=2&limit=2`);
    expect(second.body.data.map((r: any) => r.id)).toEqual(ids.slice(2, 4));
    expect(second.body.total).toBe(5);
    const last = await own.api('GET', `${BASE}?offset=4&limit=2`);
    expect(last.body.data.map((r: any) => r.id)).toEqual(ids.slice(4));
    const beyond = await own.api('GET', `${BASE}?offset=10`);
    expect(beyond.body).toEqual({ data: [], total: 5 });
  });

  test('status filters both the page and the total', async () => {
    const inReview = await own.api('GET', `${BASE}?status=in_review`);
    expect(inReview.body.total).toBe(2);
    expect(inReview.body.data.map((r: any) => r.id)).toEqual([ids[1], ids[3]]);
    const paged = await own.api('GET', `${BASE}?status=in_review&offset=1&limit=1`);
    expect(paged.body).toMatchObject({ total: 2, data: [{ id: ids[3] }] });
    expect((await own.api('GET', `${BASE}?status=submitted`)).body.data.map((r: any) => r.id)).toEqual([ids[0], ids[2]]);
    expect((await own.api('GET', `${BASE}?status=rejected`)).body.total).toBe(1);
    expect((await own.api('GET', `${BASE}?status=completed`)).body).toEqual({ data: [], total: 0 });
  });

  test('a bad status, offset or limit is 400 naming it', async () => {
    expectInvalid(await own.api('GET', `${BASE}?status=done`), 'status');
    expectInvalid(await own.api('GET', `${BASE}?offset=-1`), 'offset');
    expectInvalid(await own.api('GET', `${BASE}?limit=0`), 'limit');
    expectInvalid(await own.api('GET', `${BASE}?limit=many`), 'limit');
    expectInvalid(await own.api('GET', `${BASE}?offset=1.5`), 'offset');
    expectInvalid(await own.api('GET', `${BASE}?offset=1e20`), 'offset');
  });

  test('a limit above 1000 is capped, not refused', async () => {
    const response = await own.api('GET', `${BASE}?limit=5000`);
    expect(response.status).toBe(200);
    expect(response.body.data).toHaveLength(5);
  });
});

describe('status changes', () => {
  test('each PATCH is recorded with who (the API key name, "admin" for the bootstrap key) and when', async () => {
    const key = await cpo.api('POST', '/api/v1/api-keys', { name: 'ops-alice' });
    expect(key.status).toBe(201);
    const alice = { authorization: `Bearer ${key.body.key}` };
    const created = await submit({ integration_type: 'emsp', partner_name: 'Shell Recharge', description: 'eMSP wants our locations' });

    const reviewed = await cpo.api('PATCH', `${BASE}/${created.id}`, { status: 'in_review', note: 'Checking their OCPI endpoints' }, alice);
    expect(reviewed.status).toBe(200);
    expect(reviewed.body.status).toBe('in_review');
    const accepted = await cpo.api('PATCH', `${BASE}/${created.id}`, { status: 'accepted' });
    expect(accepted.status).toBe(200);
    // X-API-Key works too (cpo.api would add the admin Bearer key, so plain fetch).
    const completed = await fetch(`${cpo.url}${BASE}/${created.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'x-api-key': key.body.key },
      body: JSON.stringify({ status: 'completed', note: 'Live' }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
    expect(completed.status).toBe(200);

    const one = await cpo.api('GET', `${BASE}/${created.id}`);
    expect(one.body).toEqual(completed.body);
    expect(one.body).toMatchObject({ status: 'completed', integration_type: 'emsp', partner_name: 'Shell Recharge', description: 'eMSP wants our locations', created_at: created.created_at });
    const history = one.body.history as any[];
    expect(history.map(({ at, ...rest }) => rest)).toEqual([
      { status: 'submitted', by: 'admin' },
      { status: 'in_review', note: 'Checking their OCPI endpoints', by: 'ops-alice' },
      { status: 'accepted', by: 'admin' },
      { status: 'completed', note: 'Live', by: 'ops-alice' },
    ]);
    expect(history[0].at).toBe(created.created_at);
    for (const entry of history) expect(isoTime(entry.at)).toBe(true);
    for (let i = 1; i < history.length; i++) expect(Date.parse(history[i].at)).toBeGreaterThanOrEqual(Date.parse(history[i - 1].at));
    expect(one.body.updated_at).toBe(history.at(-1).at);
    // The key id, hash or secret never appears where a name is expected.
    expect(JSON.stringify(one.body)).not.toContain(key.body.key);
    expect(JSON.stringify(one.body)).not.toContain(key.body.id);
  });

  test('a request submitted with an API key records that key as its creator; the name outlives the key', async () => {
    const key = await cpo.api('POST', '/api/v1/api-keys', { name: 'partner-portal' });
    const created = await submit({ integration_type: 'payment', partner_name: 'Adyen' }, { authorization: `Bearer ${key.body.key}` });
    expect((await cpo.api('DELETE', `/api/v1/api-keys/${key.body.id}`)).status).toBe(204);
    await cpo.api('PATCH', `${BASE}/${created.id}`, { status: 'rejected', note: 'Payments go through Stripe' });
    const history = (await cpo.api('GET', `${BASE}/${created.id}`)).body.history;
    expect(history.map((e: any) => [e.status, e.by])).toEqual([
      ['submitted', 'partner-portal'],
      ['rejected', 'admin'],
    ]);
  });

  test('an invalid status or note is 400 naming it; the request and its history stay as they were', async () => {
    const created = await submit({ integration_type: 'other', partner_name: 'Unchanged' });
    const before = (await cpo.api('GET', `${BASE}/${created.id}`)).body;
    const cases: [string, unknown][] = [
      ['status', { status: 'done' }],
      ['status', { status: 'IN_REVIEW' }],
      ['status', { note: 'no status' }],
      ['status', { status: null }],
      ['note', { status: 'accepted', note: 'x'.repeat(5001) }],
      ['note', { status: 'accepted', note: 5 }],
    ];
    for (const [field, body] of cases) expectInvalid(await cpo.api('PATCH', `${BASE}/${created.id}`, body), field);
    expect((await cpo.api('GET', `${BASE}/${created.id}`)).body).toEqual(before);
  });
});

describe('persistence', () => {
  test('requests and their history survive a restart', async () => {
    const created = await submit({ integration_type: 'roaming_hub', partner_name: 'Gireve', description: 'French hub' });
    await cpo.api('PATCH', `${BASE}/${created.id}`, { status: 'in_review', note: 'before restart' });
    const before = (await cpo.api('GET', `${BASE}/${created.id}`)).body;
    const listed = (await cpo.api('GET', `${BASE}?status=in_review&limit=1000`)).body;

    cpo = await cpo.restart();

    const after = await cpo.api('GET', `${BASE}/${created.id}`);
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before);
    expect(after.body.history).toHaveLength(2);
    expect((await cpo.api('GET', `${BASE}?status=in_review&limit=1000`)).body).toEqual(listed);
    // Still writable, and new ids still have the ULID shape.
    expect((await cpo.api('PATCH', `${BASE}/${created.id}`, { status: 'accepted' })).body.history).toHaveLength(3);
    expect((await submit({ integration_type: 'other', partner_name: 'After restart' })).id).toMatch(ID);
  });
});

describe('OpenAPI', () => {
  test('every route is documented under its tag with a summary and API key security', async () => {
    const doc = (await cpo.api('GET', '/swagger/json')).body;
    const operations = [doc.paths[BASE]?.post, doc.paths[BASE]?.get, doc.paths[`${BASE}/{id}`]?.get, doc.paths[`${BASE}/{id}`]?.patch];
    for (const op of operations) {
      expect(op).toBeDefined();
      expect(op.tags).toEqual(['Integration requests']);
      expect(typeof op.summary).toBe('string');
      expect(op.security).toEqual([{ bearer: [] }, { apiKey: [] }]);
    }
  });
});
