/**
 * Regressions of issue 16 (hostile input) on the OCPI interfaces: each case a fuzzer found is answered 400/2001
 * in the envelope, naming the field, and a refused write leaves nothing behind.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { aLocation, anEvse, putLocation } from '../support/mothers/network.ts';
import { expectOcpiError, ocpiData } from '../support/mothers/ocpi.ts';
import { aDriverToken, partnerPool, pushToken, type Partner } from '../support/mothers/partners.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

const BASE = '/ocpi/cpo/2.2.1';
const partners = partnerPool();
let cpo: TestServer;
let partner: Partner;

beforeAll(async () => {
  cpo = startTestServer();
  partner = await partners.registered(cpo);
  await pushToken(cpo, partner, aDriverToken(partner, { uid: 'HOSTILE1' }));
});
afterAll(async () => {
  await cpo.stop();
  partners.stopAll();
  removeDir(cpo.dir);
});

describe('every OCPI list pages alike', () => {
  test.each(['locations', 'tariffs', 'sessions', 'cdrs'])('%s: 25 per page without limit (X-Limit 25); a larger limit is capped at 100', async (module) => {
    const plain = await cpo.ocpi('GET', `${BASE}/${module}`, partner.token);
    ocpiData(plain);
    expect(plain.headers.get('x-limit')).toBe('25');
    const capped = await cpo.ocpi('GET', `${BASE}/${module}?limit=5000`, partner.token);
    ocpiData(capped);
    expect(capped.headers.get('x-limit')).toBe('100');
  });

  test.each(['locations', 'tariffs', 'sessions', 'cdrs'])('%s: offset=1e+308 is 400/2001 naming offset, not 500', async (module) => {
    for (const offset of ['1e%2B308', '1e+21', '-0', '99999999999999999999']) {
      const response = await cpo.ocpi('GET', `${BASE}/${module}?offset=${offset}`, partner.token);
      expectOcpiError(response, 400, 2001);
      expect(response.body.status_message).toContain('/offset');
    }
  });
});

describe('real-time authorization of a stored token', () => {
  const authorize = (query: string, body?: unknown) => cpo.ocpi('POST', `${BASE}/tokens/HOSTILE1/authorize${query}`, partner.token, body);

  test('without ?type= the token is looked up as RFID', async () => {
    const data = ocpiData(await authorize(''));
    expect(data.allowed).toBe('ALLOWED');
    expect(data.token.type).toBe('RFID');
  });

  test.each([['{}', 'location_id'], ['true', '(root)'], ['[]', '(root)'], ['{"location_id":{"toString":"x"}}', 'location_id']])(
    'a body of %s is 400/2001 naming the field, not 500',
    async (body, field) => {
      const response = await authorize('?type=RFID', body);
      expectOcpiError(response, 400, 2001);
      expect(response.body.status_message).toContain(field);
    },
  );
});

describe('values the spec constrains', () => {
  const tokenPath = () => `${BASE}/tokens/${partner.countryCode}/${partner.partyId}`;

  test('a token PATCH dated 2026-06-31 (no such day) is refused and the token keeps its last_updated', async () => {
    const response = await cpo.ocpi('PATCH', `${tokenPath()}/HOSTILE1`, partner.token, { valid: false, last_updated: '2026-06-31T00:00:00Z' });
    expectOcpiError(response, 400, 2001);
    expect(response.body.status_message).toContain('/last_updated');
    const stored = ocpiData(await cpo.ocpi('GET', `${tokenPath()}/HOSTILE1`, partner.token));
    expect({ valid: stored.valid, last_updated: stored.last_updated }).toEqual({ valid: true, last_updated: '2024-01-01T00:00:00Z' });
  });

  test.each([['١'], ['xx'], ['english'], ['']])('a token with language %p is refused and not stored', async (language) => {
    const token = aDriverToken(partner, { uid: 'LANG1', language });
    const response = await cpo.ocpi('PUT', `${tokenPath()}/LANG1`, partner.token, token);
    expectOcpiError(response, 400, 2001);
    expect(response.body.status_message).toContain('/language');
    expect((await cpo.ocpi('GET', `${tokenPath()}/LANG1`, partner.token)).status).toBe(404);
  });

  test.each([['not a url'], ['http://'], ['file:///etc/passwd'], ['ftp://emsp.example.com/'], ['data:,x'], ['http://emsp.example.com:65536/']])(
    'a credentials PUT with url %p is 400/2001, not a 3001 after trying to call it',
    async (url) => {
      const response = await cpo.ocpi('PUT', `${BASE}/credentials`, partner.token, { ...partner.emsp.credentials('whatever-token'), url });
      expectOcpiError(response, 400, 2001);
      expect(response.body.status_message).toContain('/url');
    },
  );

  test.each([['http://'], ['not a url'], ['file:///tmp/result']])('a STOP_SESSION with response_url %p is refused, not ACCEPTED', async (responseUrl) => {
    const response = await cpo.ocpi('POST', `${BASE}/commands/STOP_SESSION`, partner.token, { response_url: responseUrl, session_id: 'S1' });
    expectOcpiError(response, 400, 2001);
    expect(response.body.status_message).toContain('/response_url');
  });

  test('everything the partner can read back validates: a location stored with valid values is served as stored', async () => {
    await putLocation(cpo, 'VALID1', aLocation({ time_zone: 'Europe/Berlin', evses: [anEvse('VALID1-E1')] }));
    const location = ocpiData(await cpo.ocpi('GET', `${BASE}/locations/VALID1`, partner.token));
    expect(location.time_zone).toBe('Europe/Berlin');
  });
});
