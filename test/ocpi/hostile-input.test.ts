/**
 * Regressions of issue 16 (hostile input) on the OCPI interfaces: each case a fuzzer found is answered 400/2001
 * in the envelope, naming the field, and a refused write leaves nothing behind.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
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
