import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { startFakeEmsp, type FakeEmsp } from '../support/fake-emsp.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

const DATETIME_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOCATIONS = '/ocpi/cpo/2.2.1/locations';

let cpo: TestServer;
let emsp: FakeEmsp;
/** Token C of the registered fake eMSP (role DE/EMS). */
let tokenC: string;
/** A still-unused token A (invited partner). */
let tokenA: string;

beforeAll(async () => {
  cpo = startTestServer();
  emsp = startFakeEmsp();
  const invitation = await cpo.api('POST', '/api/v1/ocpi/invitations', { name: 'Transport eMSP' });
  expect(invitation.status).toBe(201);
  tokenC = (await emsp.registerWith(invitation.body.versions_url, invitation.body.token)).cpo.token;
  tokenA = (await cpo.api('POST', '/api/v1/ocpi/invitations', { name: 'Not yet registered' })).body.token;
});

afterAll(async () => {
  await cpo.stop();
  emsp.stop();
  removeDir(cpo.dir);
});

/** A plain request, with exactly the headers given. */
async function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  const response = await fetch(cpo.url + path, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  let parsed: any;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

function expectEnvelope(body: any) {
  expect(typeof body).toBe('object');
  expect(Number.isInteger(body.status_code)).toBe(true);
  expect(String(body.status_code)).toMatch(/^[1-4]\d{3}$/);
  expect(typeof body.status_message).toBe('string');
  expect(body.timestamp).toMatch(DATETIME_Z);
  expect(Math.abs(Date.parse(body.timestamp) - Date.now())).toBeLessThan(60_000);
}

describe('the response envelope', () => {
  test('success responses carry {data, status_code 1000, status_message, timestamp in UTC with Z}', async () => {
    for (const [path, token] of [
      ['/ocpi/versions', tokenC],
      ['/ocpi/versions/2.2.1', tokenC],
      ['/ocpi/cpo/2.2.1/credentials', tokenC],
      [LOCATIONS, tokenC],
      ['/ocpi/cpo/2.2.1/tariffs', tokenC],
      ['/ocpi/versions', tokenA],
    ] as const) {
      const response = await cpo.ocpi('GET', path, token);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      expectEnvelope(response.body);
      expect(response.body.status_code).toBe(1000);
      expect(response.body.data).toBeDefined();
      expect(response.headers.get('content-type')).toContain('application/json');
    }
  });

  test('401s carry the envelope: no Authorization, a Bearer header, an unknown token, token A on a functional module', async () => {
    const cases: [string, Record<string, string>][] = [
      ['no header', {}],
      ['Bearer', { authorization: 'Bearer x' }],
      ['Bearer with the real token', { authorization: `Bearer ${tokenC}` }],
      ['Basic', { authorization: `Basic ${b64(`user:${tokenC}`)}` }],
      ['unknown token (base64)', { authorization: `Token ${b64('no-such-token')}` }],
      ['unknown token (raw)', { authorization: 'Token no-such-token' }],
      ['empty token', { authorization: 'Token ' }],
      ['token A on locations', { authorization: `Token ${b64(tokenA)}` }],
    ];
    for (const [name, headers] of cases) {
      const response = await raw('GET', LOCATIONS, headers);
      expect({ name, status: response.status }).toEqual({ name, status: 401 });
      expectEnvelope(response.body);
      expect(response.body.status_code).toBe(2000);
      expect(response.body.data).toBeUndefined();
    }
    // Configuration modules too.
    for (const path of ['/ocpi/versions', '/ocpi/versions/2.2.1', '/ocpi/cpo/2.2.1/credentials']) {
      const response = await raw('GET', path, { authorization: 'Token unknown' });
      expect({ path, status: response.status }).toEqual({ path, status: 401 });
      expectEnvelope(response.body);
    }
  });

  test('unknown routes under /ocpi get a 404 envelope, with and without a token', async () => {
    for (const path of ['/ocpi/nothing-here', '/ocpi/cpo/2.2.1/hubclientinfo', '/ocpi/cpo/2.1.1/locations', '/ocpi/emsp/2.2.1/tokens']) {
      for (const headers of [{}, { authorization: `Token ${b64(tokenC)}` }] as Record<string, string>[]) {
        const response = await raw('GET', path, headers);
        expect({ path, status: response.status }).toEqual({ path, status: 404 });
        expectEnvelope(response.body);
        expect(response.body.status_code).not.toBe(1000);
      }
    }
  });

  test('an invalid JSON body is HTTP 400 + OCPI 2001 in an envelope', async () => {
    const headers = { authorization: `Token ${b64(tokenC)}`, 'content-type': 'application/json' };
    for (const [method, path] of [
      ['PUT', '/ocpi/cpo/2.2.1/tokens/DE/EMS/BADJSON1'],
      ['PATCH', '/ocpi/cpo/2.2.1/tokens/DE/EMS/BADJSON1'],
      ['PUT', '/ocpi/cpo/2.2.1/credentials'],
    ] as const) {
      const response = await raw(method, path, headers, '{"uid": "BADJSON1", ');
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 400 });
      expectEnvelope(response.body);
      expect(response.body.status_code).toBe(2001);
    }
    // Nothing was stored, and the partner's registration is untouched.
    const got = await cpo.ocpi('GET', '/ocpi/cpo/2.2.1/tokens/DE/EMS/BADJSON1', tokenC);
    expect(got.status).toBe(404);
    expect((await cpo.ocpi('GET', LOCATIONS, tokenC)).status).toBe(200);
  });

  test('an invalid JSON body is 400 + 2001 also where the body is optional (authorize)', async () => {
    const headers = { authorization: `Token ${b64(tokenC)}`, 'content-type': 'application/json' };
    const response = await raw('POST', '/ocpi/cpo/2.2.1/tokens/BADJSON1/authorize', headers, '{"location_id": "LOC-1", ');
    expect(response.status).toBe(400);
    expectEnvelope(response.body);
    expect(response.body.status_code).toBe(2001);
  });

  test('a valid JSON body of the wrong shape is 400 + 2001', async () => {
    const response = await cpo.ocpi('PUT', '/ocpi/cpo/2.2.1/tokens/DE/EMS/SHAPE1', tokenC, [1, 2, 3]);
    expect(response.status).toBe(400);
    expectEnvelope(response.body);
    expect(response.body.status_code).toBe(2001);
  });
});

describe('the Authorization header', () => {
  test('the token is accepted Base64-encoded (2.2.1) and raw (legacy 2.1.1/2.2)', async () => {
    const encoded = await cpo.ocpi('GET', LOCATIONS, tokenC);
    expect(encoded.status).toBe(200);
    const legacy = await cpo.ocpi('GET', LOCATIONS, tokenC, undefined, { raw: true });
    expect(legacy.status).toBe(200);
    expect(legacy.body.status_code).toBe(1000);
  });

  test('the scheme word is matched case-insensitively', async () => {
    expect((await raw('GET', LOCATIONS, { authorization: `token ${b64(tokenC)}` })).status).toBe(200);
    expect((await raw('GET', LOCATIONS, { authorization: `TOKEN ${tokenC}` })).status).toBe(200);
  });

  test('Base64 of the token with a trailing newline (the spec examples’ mistake) is not the token', async () => {
    const response = await raw('GET', LOCATIONS, { authorization: `Token ${b64(`${tokenC}\n`)}` });
    expect(response.status).toBe(401);
    expectEnvelope(response.body);
  });
});

describe('X-Request-ID and X-Correlation-ID', () => {
  test('are echoed when sent, on success and on errors', async () => {
    const ids = { 'x-request-id': 'req-1234-abcd', 'x-correlation-id': 'corr-5678-efgh' };
    const requests = [
      () => cpo.ocpi('GET', LOCATIONS, tokenC, undefined, { headers: ids }),
      () => cpo.ocpi('GET', '/ocpi/versions', tokenC, undefined, { headers: ids }),
      () => raw('GET', LOCATIONS, ids), // 401
      () => raw('GET', '/ocpi/nothing-here', ids), // 404
      () => cpo.ocpi('GET', '/ocpi/cpo/2.2.1/tokens/DE/EMS/NOPE', tokenC, undefined, { headers: ids }), // 404 + 2004
      () => raw('PUT', '/ocpi/cpo/2.2.1/tokens/DE/EMS/X', { ...ids, authorization: `Token ${b64(tokenC)}`, 'content-type': 'application/json' }, '{'), // 400
    ];
    for (const request of requests) {
      const response = await request();
      expect({ status: response.status, request: response.headers.get('x-request-id'), correlation: response.headers.get('x-correlation-id') }).toEqual({
        status: response.status,
        request: ids['x-request-id'],
        correlation: ids['x-correlation-id'],
      });
    }
  });

  test('header names are case-insensitive', async () => {
    const response = await cpo.ocpi('GET', LOCATIONS, tokenC, undefined, { headers: { 'X-REQUEST-ID': 'Upper-1', 'X-Correlation-Id': 'Upper-2' } });
    expect(response.headers.get('x-request-id')).toBe('Upper-1');
    expect(response.headers.get('x-correlation-id')).toBe('Upper-2');
  });

  test('are generated as UUIDs when absent (a fresh pair per request), also on errors', async () => {
    const seen = new Set<string>();
    for (const request of [() => cpo.ocpi('GET', LOCATIONS, tokenC), () => cpo.ocpi('GET', LOCATIONS, tokenC), () => raw('GET', LOCATIONS), () => raw('GET', '/ocpi/nothing-here')]) {
      const response = await request();
      const requestId = response.headers.get('x-request-id');
      const correlationId = response.headers.get('x-correlation-id');
      expect(requestId).toMatch(UUID);
      expect(correlationId).toMatch(UUID);
      seen.add(requestId!);
      seen.add(correlationId!);
    }
    expect(seen.size).toBe(8);
  });

  test('only a missing correlation id is generated; a sent request id is kept', async () => {
    const response = await cpo.ocpi('GET', LOCATIONS, tokenC, undefined, { headers: { 'x-request-id': 'only-request-id' } });
    expect(response.headers.get('x-request-id')).toBe('only-request-id');
    expect(response.headers.get('x-correlation-id')).toMatch(UUID);
  });
});

describe('routing headers (OCPI-from-* / OCPI-to-*)', () => {
  test('without routing headers, a functional module answers FROM us (NL/DYN) TO the partner (DE/EMS)', async () => {
    const response = await cpo.ocpi('GET', LOCATIONS, tokenC);
    expect(response.status).toBe(200);
    expect(response.headers.get('ocpi-from-country-code')).toBe('NL');
    expect(response.headers.get('ocpi-from-party-id')).toBe('DYN');
    expect(response.headers.get('ocpi-to-country-code')).toBe('DE');
    expect(response.headers.get('ocpi-to-party-id')).toBe('EMS');
  });

  test('matching headers are accepted (case-insensitively) and the response swaps FROM and TO', async () => {
    for (const headers of <Record<string, string>[]>[
      { 'OCPI-from-country-code': 'DE', 'OCPI-from-party-id': 'EMS', 'OCPI-to-country-code': 'NL', 'OCPI-to-party-id': 'DYN' },
      { 'ocpi-from-country-code': 'de', 'ocpi-from-party-id': 'ems', 'ocpi-to-country-code': 'nl', 'ocpi-to-party-id': 'dyn' },
      { 'OCPI-from-country-code': 'DE', 'OCPI-from-party-id': 'EMS' },
      { 'OCPI-to-country-code': 'NL', 'OCPI-to-party-id': 'DYN' },
    ]) {
      const response = await cpo.ocpi('GET', LOCATIONS, tokenC, undefined, { headers });
      expect({ headers, status: response.status }).toEqual({ headers, status: 200 });
      expect(response.body.status_code).toBe(1000);
      expect(response.headers.get('ocpi-from-country-code')).toBe('NL');
      expect(response.headers.get('ocpi-from-party-id')).toBe('DYN');
      expect(response.headers.get('ocpi-to-country-code')?.toUpperCase()).toBe('DE');
      expect(response.headers.get('ocpi-to-party-id')?.toUpperCase()).toBe('EMS');
    }
  });

  test('OCPI-from-* that is not one of the partner’s roles is 400 + 2001', async () => {
    for (const headers of <Record<string, string>[]>[
      { 'OCPI-from-country-code': 'NL', 'OCPI-from-party-id': 'EMS' },
      { 'OCPI-from-country-code': 'DE', 'OCPI-from-party-id': 'XXX' },
      { 'OCPI-from-country-code': 'DE' },
    ]) {
      const response = await cpo.ocpi('GET', LOCATIONS, tokenC, undefined, { headers });
      expect({ headers, status: response.status }).toEqual({ headers, status: 400 });
      expectEnvelope(response.body);
      expect(response.body.status_code).toBe(2001);
      expect(response.body.status_message).toContain('OCPI-from');
      expect(response.body.data).toBeUndefined();
    }
  });

  test('OCPI-to-* that does not address us (NL/DYN) is 400 + 2001', async () => {
    for (const headers of <Record<string, string>[]>[
      { 'OCPI-to-country-code': 'DE', 'OCPI-to-party-id': 'EMS' },
      { 'OCPI-to-country-code': 'NL', 'OCPI-to-party-id': 'TNM' },
      { 'OCPI-to-party-id': 'DYN' },
    ]) {
      const response = await cpo.ocpi('GET', LOCATIONS, tokenC, undefined, { headers });
      expect({ headers, status: response.status }).toEqual({ headers, status: 400 });
      expectEnvelope(response.body);
      expect(response.body.status_code).toBe(2001);
      expect(response.body.status_message).toContain('OCPI-to');
    }
  });

  test('routing headers are checked on writes too, and a refused write stores nothing', async () => {
    const token = {
      country_code: 'DE',
      party_id: 'EMS',
      uid: 'ROUTED-1',
      type: 'RFID',
      contract_id: 'DE-EMS-C00001',
      issuer: 'Fake eMSP',
      valid: true,
      whitelist: 'ALLOWED',
      last_updated: '2022-01-01T00:00:00Z',
    };
    const path = '/ocpi/cpo/2.2.1/tokens/DE/EMS/ROUTED-1';
    const refused = await cpo.ocpi('PUT', path, tokenC, token, { headers: { 'OCPI-to-country-code': 'BE', 'OCPI-to-party-id': 'XYZ' } });
    expect(refused.status).toBe(400);
    expect(refused.body.status_code).toBe(2001);
    expect((await cpo.ocpi('GET', path, tokenC)).status).toBe(404);
    const accepted = await cpo.ocpi('PUT', path, tokenC, token, {
      headers: { 'OCPI-from-country-code': 'DE', 'OCPI-from-party-id': 'EMS', 'OCPI-to-country-code': 'NL', 'OCPI-to-party-id': 'DYN' },
    });
    expect(accepted.status).toBe(201);
    expect(accepted.headers.get('ocpi-from-party-id')).toBe('DYN');
    expect(accepted.headers.get('ocpi-to-party-id')).toBe('EMS');
  });

  test('configuration modules (versions, credentials) do not carry routing headers', async () => {
    for (const path of ['/ocpi/versions', '/ocpi/versions/2.2.1', '/ocpi/cpo/2.2.1/credentials']) {
      const response = await cpo.ocpi('GET', path, tokenC);
      expect(response.status).toBe(200);
      expect(response.headers.get('ocpi-from-country-code')).toBeNull();
      expect(response.headers.get('ocpi-to-party-id')).toBeNull();
    }
  });
});

describe('trailing slashes', () => {
  test('GET /ocpi/cpo/2.2.1/locations/ is served like /ocpi/cpo/2.2.1/locations (spec: accept both)', async () => {
    const withSlash = await cpo.ocpi('GET', `${LOCATIONS}/`, tokenC);
    const without = await cpo.ocpi('GET', LOCATIONS, tokenC);
    expect(withSlash.status).toBe(200);
    expect(withSlash.body.status_code).toBe(1000);
    expect(withSlash.body.data).toEqual(without.body.data);
    expect(withSlash.headers.get('x-total-count')).toBe(without.headers.get('x-total-count'));
  });

  test('versions with a trailing slash are served too', async () => {
    const response = await cpo.ocpi('GET', '/ocpi/versions/', tokenC);
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual((await cpo.ocpi('GET', '/ocpi/versions', tokenC)).body.data);
  });
});
