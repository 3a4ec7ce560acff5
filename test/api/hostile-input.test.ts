/**
 * Regressions of issue 16 (hostile input) on the operator API: limits before parsing, no coercion of objects into
 * strings, each failure a 4xx JSON body naming the field, and nothing stored by a refused write.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { aLocation } from '../support/mothers/network.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

let cpo: TestServer;

beforeAll(() => {
  cpo = startTestServer();
});
afterAll(async () => {
  await cpo.stop();
  removeDir(cpo.dir);
});

function expectRefused(response: { status: number; body: any }, status: number, field?: string) {
  expect(response.status).toBe(status);
  expect(typeof response.body?.error).toBe('string');
  expect(typeof response.body?.message).toBe('string');
  if (field !== undefined) expect(response.body.message).toContain(field);
}

describe('limits before parsing', () => {
  test('100,000 nested arrays are refused at once (400), and a station-sized request right after is not held up', async () => {
    const nested = '['.repeat(100_000) + ']'.repeat(100_000);
    const started = performance.now();
    expectRefused(await cpo.api('PUT', '/api/v1/locations/DEEP', nested), 400, 'nested');
    const small = performance.now();
    expect((await cpo.api('GET', '/api/v1/locations/DEEP')).status).toBe(404);
    // The refusal costs about as much as a plain read (both well under the 4–7 s a full parse took).
    expect(small - started).toBeLessThan(200);
    expect(performance.now() - small).toBeLessThan(200);
  });

  test('nesting inside strings does not count; 33 real levels do', async () => {
    const name = '['.repeat(200);
    expect((await cpo.api('PUT', '/api/v1/locations/BRACKETS', aLocation({ name: name.slice(0, 255) }))).status).toBe(201);
    const deep = JSON.stringify(aLocation({ extra: JSON.parse('['.repeat(33) + ']'.repeat(33)) }));
    expectRefused(await cpo.api('PUT', '/api/v1/locations/DEEP33', deep), 400, 'nested');
  });

  test('a body above 1 MiB is 413; more than 50,000 elements is 400', async () => {
    const big = JSON.stringify(aLocation({ name: 'x'.repeat(1024 * 1024) }));
    expect((await cpo.api('PUT', '/api/v1/locations/BIG', big)).status).toBe(413);
    const many = JSON.stringify(aLocation({ directions: Array.from({ length: 50_001 }, () => 0) }));
    expectRefused(await cpo.api('PUT', '/api/v1/locations/MANY', many), 400, 'elements');
    for (const id of ['BIG', 'MANY', 'DEEP33']) expect((await cpo.api('GET', `/api/v1/locations/${id}`)).status).toBe(404);
  });
});

describe('no coercion: a string field given an object is 400 naming the field', () => {
  const hostile = { toString: 'x' };
  test.each([
    ['PUT', '/api/v1/charge-points/HOSTILE-CP', { password: hostile }, '/password'],
    ['POST', '/api/v1/ocpi/invitations', { name: hostile }, '/name'],
    ['POST', '/api/v1/integration-requests', { integration_type: 'EMSP', partner_name: hostile }, '/partner_name'],
    ['POST', '/api/v1/sessions/guest/authorize', { charge_point_id: hostile, connector_id: 1, payment_method_id: 'pm_card_visa' }, '/charge_point_id'],
    ['PUT', '/api/v1/locations/HOSTILE-LOC', aLocation({ name: { valueOf: 1 } as any }), '/name'],
    ['PUT', '/api/v1/locations/HOSTILE-LOC', aLocation({ evses: [{ uid: hostile } as any] }), '/evses/0/uid'],
  ])('%s %s', async (method, path, body, field) => {
    expectRefused(await cpo.api(method, path, body), 400, field);
  });

  test('nothing was stored', async () => {
    expect((await cpo.api('GET', '/api/v1/charge-points/HOSTILE-CP')).status).toBe(404);
    expect((await cpo.api('GET', '/api/v1/locations/HOSTILE-LOC')).status).toBe(404);
    expect((await cpo.api('GET', '/api/v1/integration-requests')).body.total).toBe(0);
  });
});
