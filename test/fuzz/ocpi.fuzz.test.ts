/**
 * Fuzzing the OCPI interfaces with a registered partner's token (issue 16): Receiver bodies (tokens, commands,
 * charging profiles, authorize) and Sender query strings. Never a 5xx; a refusal is 4xx with the envelope (2001 for bad input); a
 * refused token left no row; what was stored or listed validates against the OCPI schema.
 */
import { expect, test } from 'bun:test';
import fc from 'fast-check';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { t } from 'elysia';
import { Location } from '../../src/model/ocpi/location.ts';
import { Tariff } from '../../src/model/ocpi/tariff.ts';
import { Token } from '../../src/model/ocpi/token.ts';
import { aLocation, anEvse, aTariff, putLocation, putTariff } from '../support/mothers/network.ts';
import { aDriverToken, partnerPool, type Partner } from '../support/mothers/partners.ts';
import type { TestServer } from '../support/server.ts';
import { fuzzedServer, fuzzOptions, hostileString, mutated } from './fuzz-support.ts';

const BASE = '/ocpi/cpo/2.2.1';
const validToken = TypeCompiler.Compile(Token);
const validList = { locations: TypeCompiler.Compile(t.Array(Location)), tariffs: TypeCompiler.Compile(t.Array(Tariff)) } as Record<string, { Check(v: unknown): boolean }>;
const partners = partnerPool();
let cpo: TestServer;
let partner: Partner;
let n = 0;

const stats = fuzzedServer('OCPI', async (server) => {
  cpo = server;
  partner = await partners.registered(cpo);
  await putTariff(cpo, 'T1', aTariff());
  await putLocation(cpo, 'L1', aLocation({ evses: [anEvse('E1')] }));
}, () => partners.stopAll());

async function send(method: string, path: string, body?: unknown) {
  const response = await stats.timed(() => cpo.ocpi(method, path, partner.token, body === undefined ? undefined : JSON.stringify(body)));
  expect(response.status).toBeLessThan(500);
  expect(typeof response.body?.status_code).toBe('number');
  expect(typeof response.body?.timestamp).toBe('string');
  if (response.status === 400) expect(response.body.status_code).toBe(2001);
  return response;
}

test('Tokens Receiver PUT: refused leaves no row; stored reads back valid', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constant(null).chain(() => {
        const uid = `FZ${++n}`;
        return mutated(aDriverToken(partner, { uid, language: 'nl' })).map((body) => ({ uid, body }));
      }),
      async ({ uid, body }) => {
        const path = `${BASE}/tokens/${partner.countryCode}/${partner.partyId}/${uid}`;
        const put = await send('PUT', path, body);
        const back = await cpo.ocpi('GET', path, partner.token);
        if (put.status >= 400) expect(back.status).toBe(404);
        else expect(validToken.Check(back.body.data)).toBe(true);
      },
    ),
    fuzzOptions,
  );
});

test('Tokens PATCH, authorize, commands and charging profiles: never 5xx, bad input 400/2001, stored token stays valid', async () => {
  const path = `${BASE}/tokens/${partner.countryCode}/${partner.partyId}/FZBASE`;
  expect((await cpo.ocpi('PUT', path, partner.token, aDriverToken(partner, { uid: 'FZBASE' }))).status).toBe(201);
  const request = fc.oneof(
    mutated({ valid: false, language: 'en', last_updated: '2026-02-28T00:00:00Z' }).map((body) => ['PATCH', path, body] as const),
    mutated({ location_id: 'L1', evse_uids: ['E1'] }).map((body) => ['POST', `${BASE}/tokens/FZBASE/authorize?type=RFID`, body] as const),
    mutated({ response_url: 'http://127.0.0.1:9/result', session_id: 'S1' }).map((body) => ['POST', `${BASE}/commands/STOP_SESSION`, body] as const),
    mutated({ response_url: 'http://127.0.0.1:9/result', location_id: 'L1', connector_id: '1' }).map((body) => ['POST', `${BASE}/commands/UNLOCK_CONNECTOR`, body] as const),
    mutated({ charging_profile: { charging_rate_unit: 'W', min_charging_rate: 1400, charging_profile_period: [{ start_period: 0, limit: 7400 }] }, response_url: 'http://127.0.0.1:9/result' }).map(
      (body) => ['PUT', `${BASE}/chargingprofiles/S1`, body] as const,
    ),
  );
  await fc.assert(
    fc.asyncProperty(request, async ([method, target, body]) => {
      await send(method, target, body);
      expect(validToken.Check((await cpo.ocpi('GET', path, partner.token)).body.data)).toBe(true);
    }),
    fuzzOptions,
  );
});

test('Sender lists: any query string is a valid page or 400/2001', async () => {
  const value = fc.oneof(hostileString, fc.integer().map(String), fc.constantFrom('1e+308', '-0', '25', '2024-01-01T00:00:00Z', '2026-06-31T00:00:00Z'));
  const query = fc.dictionary(fc.constantFrom('offset', 'limit', 'date_from', 'date_to', 'type', 'x'), value, { maxKeys: 3 });
  const module = fc.constantFrom('locations', 'tariffs', 'sessions', 'cdrs');
  await fc.assert(
    fc.asyncProperty(module, query, async (name, params) => {
      const response = await send('GET', `${BASE}/${name}?${new URLSearchParams(params)}`);
      if (response.status !== 200) return expect(response.status).toBe(400);
      expect(Number(response.headers.get('x-limit'))).toBeLessThanOrEqual(100);
      if (validList[name]) expect(validList[name].Check(response.body.data)).toBe(true);
    }),
    fuzzOptions,
  );
});
