/**
 * Fuzzing the operator API's write routes (issue 16): never a 5xx; a refusal is a 4xx `{ error, message }` and
 * left no row; what was accepted reads back valid against the OCPI schema.
 */
import { expect, test } from 'bun:test';
import fc from 'fast-check';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { OperatorLocation } from '../../src/model/api/network-input.ts';
import { Tariff } from '../../src/model/ocpi/tariff.ts';
import { aConnector, aLocation, anEvse, aTariff } from '../support/mothers/network.ts';
import type { TestServer } from '../support/server.ts';
import { fuzzedServer, fuzzOptions, hostileJson, hostileString, mutated } from './fuzz-support.ts';

const validLocation = TypeCompiler.Compile(OperatorLocation);
const validTariff = TypeCompiler.Compile(Tariff);
let cpo: TestServer;
let n = 0;

const stats = fuzzedServer('operator REST', async (server) => {
  cpo = server;
});

async function send(method: string, path: string, body: unknown) {
  const response = await stats.timed(() => cpo.api(method, path, body === undefined ? 'null' : JSON.stringify(body)));
  expect(response.status).toBeLessThan(500);
  if (response.status >= 400) {
    expect(typeof response.body?.error).toBe('string');
    expect(typeof response.body?.message).toBe('string');
  }
  return response;
}

const location = aLocation({ evses: [anEvse('E1', { connectors: [aConnector('1', { max_electric_power: 11000, tariff_ids: ['T1'] })], ocpp: { charge_point_id: 'CP1', evse_id: 1 } })] });
const tariff = aTariff({ tariff_alt_text: [{ language: 'en', text: 'x' }], elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, vat: 21, step_size: 1 }], restrictions: { start_date: '2026-01-31', max_power: 22 } }] });

test('PUT /locations/{id}: refused leaves no row, accepted reads back valid', async () => {
  await fc.assert(
    fc.asyncProperty(mutated(location), async (body) => {
      const id = `FL${++n}`;
      const put = await send('PUT', `/api/v1/locations/${id}`, body);
      const back = await cpo.api('GET', `/api/v1/locations/${id}`);
      if (put.status >= 400) expect(back.status).toBe(404);
      else expect(validLocation.Check(back.body)).toBe(true);
    }),
    fuzzOptions,
  );
});

test('PUT /tariffs/{id}: refused leaves no row, accepted reads back valid', async () => {
  await fc.assert(
    fc.asyncProperty(mutated(tariff), async (body) => {
      const id = `FT${++n}`;
      const put = await send('PUT', `/api/v1/tariffs/${id}`, body);
      const back = await cpo.api('GET', `/api/v1/tariffs/${id}`);
      if (put.status >= 400) expect(back.status).toBe(404);
      else expect(validTariff.Check(back.body)).toBe(true);
    }),
    fuzzOptions,
  );
});

test('charge points, invitations, integration requests, partners, guest authorize: never 5xx', async () => {
  const route = fc.oneof(
    mutated({ password: 'station-password-0123456789' }).map((body) => ['PUT', `/api/v1/charge-points/FCP${++n}`, body] as const),
    mutated({ name: 'Fuzz eMSP' }).map((body) => ['POST', '/api/v1/ocpi/invitations', body] as const),
    mutated({ integration_type: 'EMSP', partner_name: 'Fuzz', description: 'x' }).map((body) => ['POST', '/api/v1/integration-requests', body] as const),
    // Never a reachable URL: a well-formed one would make the server call out (its own 502 path is tested elsewhere).
    fc.record({ versions_url: hostileString, token: hostileJson }).map((body) => ['POST', '/api/v1/ocpi/partners', body] as const),
    mutated({ charge_point_id: 'NOPE', connector_id: 1, payment_method_id: 'pm_card_visa' }).map((body) => ['POST', '/api/v1/sessions/guest/authorize', body] as const),
  );
  await fc.assert(
    fc.asyncProperty(route, async ([method, path, body]) => {
      const response = await send(method, path, body);
      if (path.startsWith('/api/v1/charge-points/') && response.status >= 400) expect((await cpo.api('GET', path)).status).toBe(404);
    }),
    fuzzOptions,
  );
});
