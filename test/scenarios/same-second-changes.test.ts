/**
 * Changes an operator makes within one second carry the same `last_updated`, yet each is news for the eMSP: the
 * latest content must reach it. The server's clock stands still here, so every change falls in the same second.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { eventually } from '../support/eventually.ts';
import { registerInvited, startFakeEmsp, type FakeEmsp } from '../support/fake-emsp.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let emsp: FakeEmsp;
const tariff = (price: number) => ({ currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price, step_size: 1 }] }] });
const location = (address: string) => ({
  publish: true, address, city: 'Assen', country: 'NLD', time_zone: 'Europe/Amsterdam', coordinates: { latitude: '52.99280', longitude: '6.56420' },
  evses: [{ uid: 'SS-1', status: 'AVAILABLE', connectors: [{ id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 16, tariff_ids: ['T-SS'] }] }],
});

beforeAll(async () => {
  server = startTestServer({ clock: new ManualClock('2026-12-01T10:00:00.000Z') });
  emsp = startFakeEmsp();
  await server.api('PUT', '/api/v1/tariffs/T-SS', tariff(0.3));
  await server.api('PUT', '/api/v1/locations/LOC-SS', location('Brink 1'));
  await registerInvited(server, emsp);
  await eventually(() => expect(emsp.store.locations.get('NL/DYN/LOC-SS')).toMatchObject({ address: 'Brink 1' }));
});
afterAll(async () => {
  await server.stop();
  emsp.stop();
  removeDir(server.dir);
});

test('a tariff and a location changed in the same second as before reach the eMSP with their new content', async () => {
  expect((await server.api('PUT', '/api/v1/tariffs/T-SS', tariff(0.35))).status).toBe(200);
  expect((await server.api('PUT', '/api/v1/locations/LOC-SS', location('Brink 2'))).status).toBe(200);
  await eventually(() => {
    expect(emsp.store.tariffs.get('NL/DYN/T-SS').elements[0].price_components[0].price).toBe(0.35);
    expect(emsp.store.locations.get('NL/DYN/LOC-SS').address).toBe('Brink 2');
  });
});

test('an identical PUT sends nothing', async () => {
  const before = emsp.received.length;
  await server.api('PUT', '/api/v1/tariffs/T-SS', tariff(0.35));
  await server.api('PUT', '/api/v1/locations/LOC-SS', location('Brink 2'));
  // A marker change queued after them: once it arrived, anything the identical PUTs queued would have too.
  await server.api('PUT', '/api/v1/tariffs/T-SS', tariff(0.4));
  await eventually(() => expect(emsp.store.tariffs.get('NL/DYN/T-SS').elements[0].price_components[0].price).toBe(0.4));
  expect(emsp.received.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(['PUT /ocpi/emsp/2.2.1/tariffs/NL/DYN/T-SS']);
});
