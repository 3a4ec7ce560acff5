/**
 * Regressions of issue 16 (hostile input) on the operator API: limits before parsing, no coercion of objects into
 * strings, each failure a 4xx JSON body naming the field, and nothing stored by a refused write.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { aConnector, aLocation, anEvse, aTariff } from '../support/mothers/network.ts';
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

describe('values the spec constrains are refused naming the field, and not stored', () => {
  const vat = (value: number) => aTariff({ elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, vat: value, step_size: 1 }] }] });
  test.each([
    ['tariff vat -1', '/api/v1/tariffs/BAD-VAT', vat(-1), '/vat'],
    ['tariff vat 101', '/api/v1/tariffs/BAD-VAT', vat(101), '/vat'],
    ['tariff restriction start_date 2025-02-29', '/api/v1/tariffs/BAD-DATE', aTariff({ elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }], restrictions: { start_date: '2025-02-29' } }] }), '/start_date'],
    ['tariff_alt_text language ١', '/api/v1/tariffs/BAD-LANG', aTariff({ tariff_alt_text: [{ language: '١', text: 'x' }] }), '/language'],
    ['tariff_alt_url javascript:', '/api/v1/tariffs/BAD-URL', aTariff({ tariff_alt_url: 'javascript:alert(1)' }), '/tariff_alt_url'],
    ['time_zone Europe/Amsterdamx', '/api/v1/locations/BAD-TZ', aLocation({ time_zone: 'Europe/Amsterdamx' }), '/time_zone'],
    ['time_zone -1', '/api/v1/locations/BAD-TZ', aLocation({ time_zone: '-1' }), '/time_zone'],
    ['max_voltage -1e308', '/api/v1/locations/BAD-V', aLocation({ evses: [anEvse('E1', { connectors: [aConnector('1', { max_voltage: -1e308 })] })] }), '/max_voltage'],
    ['max_amperage -1', '/api/v1/locations/BAD-A', aLocation({ evses: [anEvse('E1', { connectors: [aConnector('1', { max_amperage: -1 })] })] }), '/max_amperage'],
    ['max_electric_power 1e12', '/api/v1/locations/BAD-P', aLocation({ evses: [anEvse('E1', { connectors: [aConnector('1', { max_electric_power: 1e12 })] })] }), '/max_electric_power'],
    ['max_voltage as a numeric string', '/api/v1/locations/BAD-S', aLocation({ evses: [anEvse('E1', { connectors: [aConnector('1', { max_voltage: '230' as any })] })] }), '/max_voltage'],
    ['step_size as a numeric string', '/api/v1/tariffs/BAD-STEP', aTariff({ elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, step_size: '1' as any }] }] }), '/step_size'],
  ])('%s', async (_case, path, body, field) => {
    expectRefused(await cpo.api('PUT', path, body), 400, field);
    expect((await cpo.api('GET', path)).status).toBe(404);
  });

  test.each([['not a url'], [''], ['ws://emsp.example.com/versions'], ['ftp://emsp.example.com/'], ['file:///etc/passwd'], ['data:,x'], ['http://emsp.example.com:65536/versions']])(
    'registering with versions_url %p is 400 (not 502 partner_unreachable) and creates no partner',
    async (url) => {
      expectRefused(await cpo.api('POST', '/api/v1/ocpi/partners', { versions_url: url, token: 'token-a' }), 400, '/versions_url');
      expect((await cpo.api('GET', '/api/v1/ocpi/partners')).body).toEqual([]);
    },
  );

  test('a well-formed URL nobody answers on stays 502 partner_unreachable', async () => {
    const response = await cpo.api('POST', '/api/v1/ocpi/partners', { versions_url: 'http://127.0.0.1:9/versions', token: 'token-a' });
    expect(response.status).toBe(502);
    expect(response.body.error).toBe('partner_unreachable');
  });
});
