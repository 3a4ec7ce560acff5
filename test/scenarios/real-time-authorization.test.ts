import { afterAll, beforeAll, expect, test } from 'bun:test';
import { eventually } from '../support/eventually.ts';
import { registerInvited, startFakeEmsp, type FakeEmsp } from '../support/fake-emsp.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { connectStation } from '../support/stations.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

/** The server's clock: the authorization timeout (300 ms) passes when the test moves it. */
const clock = new ManualClock('2026-11-24T09:00:00.000Z');
let server: TestServer;
let emsp: FakeEmsp;
let token: string;
const card = (uid: string, whitelist: string, valid = true) => ({
  country_code: 'DE', party_id: 'EMS', uid, type: 'RFID', contract_id: `C-${uid}`, issuer: 'Fake eMSP', valid, whitelist, last_updated: '2026-01-01T00:00:00Z',
});
const iso = (ms: number) => new Date(ms).toISOString();

beforeAll(async () => {
  server = startTestServer({ env: { AUTHORIZE_TIMEOUT_MS: '300' }, clock });
  emsp = startFakeEmsp();
  emsp.tokens.push(card('NEVER1', 'NEVER'), card('NEVERBLK', 'NEVER'), card('OFFLINE1', 'ALLOWED_OFFLINE'), card('NEVERHANG', 'NEVER'), card('LISTED5', 'ALWAYS'));
  emsp.authorizations.set('NEVER1', { allowed: 'ALLOWED', authorization_reference: 'REF-NEVER1' });
  emsp.authorizations.set('NEVERBLK', { allowed: 'BLOCKED' });
  emsp.authorizations.set('OFFLINE1', 'hang');
  emsp.authorizations.set('NEVERHANG', 'hang');
  emsp.authorizations.set('GHOST', 'unknown');
  await server.api('PUT', '/api/v1/locations/LOC-RTA', {
    publish: true, address: 'Authstraat 2', city: 'Leiden', country: 'NLD', time_zone: 'Europe/Amsterdam', coordinates: { latitude: '52.16010', longitude: '4.49700' },
    evses: [{ uid: 'RTA-1', status: 'AVAILABLE', ocpp: { charge_point_id: 'CP-RTA', evse_id: 1 },
      connectors: [{ id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 16 }] }],
  });
  token = (await registerInvited(server, emsp)).cpo.token;
});
afterAll(async () => {
  await server.stop();
  emsp.stop();
  removeDir(server.dir);
});

test('after registration the eMSP’s token list is pulled to the end of its Link pages', async () => {
  await eventually(async () => expect((await server.ocpi('GET', '/ocpi/cpo/2.2.1/tokens/DE/EMS/LISTED5', token)).status).toBe(200));
  const pages = emsp.received.filter((r) => r.method === 'GET' && r.path === '/ocpi/emsp/2.2.1/tokens');
  expect(pages).toHaveLength(3); // 5 tokens, 2 per page
});

test('real-time authorization: allowed, blocked, unknown and timeouts as the whitelist allows', async () => {
  await eventually(async () => expect((await server.ocpi('GET', '/ocpi/cpo/2.2.1/tokens/DE/EMS/NEVER1', token)).status).toBe(200));
  const { client, strictFailures } = await connectStation(server, 'CP-RTA');
  const status = async (idTag: string) => ((await client.call('Authorize', { idTag })) as { idTagInfo: { status: string } }).idTagInfo.status;
  expect(await status('NEVER1')).toBe('Accepted');
  expect(await status('NEVERBLK')).toBe('Blocked');
  expect(await status('GHOST')).toBe('Invalid');
  /** Asks for a token the eMSP never answers on: once our request reached it, time moves past the timeout. */
  const unanswered = async (idTag: string) => {
    const answer = status(idTag);
    await eventually(() => expect(emsp.received.some((r) => r.method === 'POST' && r.path === `/ocpi/emsp/2.2.1/tokens/${idTag}/authorize`)).toBe(true));
    clock.advance(300);
    return answer;
  };
  // ALLOWED_OFFLINE: the eMSP does not answer in time, the cached valid token is enough.
  expect(await unanswered('OFFLINE1')).toBe('Accepted');
  // NEVER: no answer, no charging.
  expect(await unanswered('NEVERHANG')).toBe('Invalid');

  const asked = emsp.received.find((r) => r.method === 'POST' && r.path === '/ocpi/emsp/2.2.1/tokens/NEVER1/authorize');
  expect(asked?.body).toEqual({ location_id: 'LOC-RTA', evse_uids: ['RTA-1'] });
  expect(strictFailures).toEqual([]);

  // The reference the eMSP gave travels into the Session and the CDR.
  const t0 = Date.parse('2026-11-24T18:00:00Z');
  const { transactionId } = (await client.call('StartTransaction', { connectorId: 1, idTag: 'NEVER1', meterStart: 0, timestamp: iso(t0) })) as { transactionId: number };
  await client.call('StopTransaction', { transactionId, meterStop: 2000, timestamp: iso(t0 + 600_000) });
  const cdr = (await server.ocpi('GET', '/ocpi/cpo/2.2.1/cdrs', token)).body.data[0];
  expect(cdr).toMatchObject({ authorization_reference: 'REF-NEVER1', auth_method: 'AUTH_REQUEST', cdr_token: { uid: 'NEVER1' } });
  // Authorize then StartTransaction asked the eMSP once.
  expect(emsp.received.filter((r) => r.path === '/ocpi/emsp/2.2.1/tokens/NEVER1/authorize')).toHaveLength(1);
  await client.close();
});
