/**
 * The simulated eMSP against the real Dynamo server over real HTTP: the credentials handshake both ways, its
 * tokens at the CPO, pushes arriving, a command's result, real-time authorization and CDR duplicate detection.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { tokenHeader } from '../../../src/domain/credentials-token.ts';
import type { CDR } from '../../../src/model/ocpi/cdr.ts';
import type { Session } from '../../../src/model/ocpi/session.ts';
import { startSimEmsp, type SimEmsp, type SimEmspEvent, type SimEmspRegistration } from '../../../src/sim/emsp/sim-emsp.ts';
import { createRandom } from '../../../src/sim/random.ts';
import { eventually } from '../../support/eventually.ts';
import { removeDir, startTestServer, type TestServer } from '../../support/server.ts';

let server: TestServer;
let emsp: SimEmsp;
let registration: SimEmspRegistration;
const events: SimEmspEvent[] = [];

const connector = { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, tariff_ids: ['T-SIM'] };
const location = (id: string, evses: { uid: string; chargePoint: string }[]) => ({
  publish: true,
  address: 'Simulatieweg 1',
  city: 'Delft',
  country: 'NLD',
  time_zone: 'Europe/Amsterdam',
  coordinates: { latitude: '52.01160', longitude: '4.35710' },
  evses: evses.map((e, i) => ({
    uid: e.uid,
    status: 'AVAILABLE',
    capabilities: ['REMOTE_START_STOP_CAPABLE', 'RFID_READER'],
    connectors: [connector],
    ocpp: { charge_point_id: e.chargePoint, evse_id: i + 1 },
  })),
});

/** A call to the simulated eMSP, as the CPO would make it. */
async function callEmsp(method: string, url: string, token: string | undefined, body?: unknown) {
  const response = await fetch(url, {
    method,
    headers: { ...(token === undefined ? {} : { authorization: tokenHeader(token) }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as any, headers: response.headers };
}

/** Our module endpoint as the eMSP publishes it, read the way a partner does: versions, then 2.2.1 details. */
async function endpoint(identifier: string, token: string): Promise<string> {
  const versions = await callEmsp('GET', emsp.versionsUrl, token);
  const details = await callEmsp('GET', versions.body.data.find((v: any) => v.version === '2.2.1').url, token);
  return details.body.data.endpoints.find((e: any) => e.identifier === identifier).url;
}

beforeAll(async () => {
  server = startTestServer({ env: { DELIVERY_BASE_DELAY_MS: '50', COMMAND_TIMEOUT_S: '2' } });
  await server.api('PUT', '/api/v1/tariffs/T-SIM', { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.4, vat: 21, step_size: 1 }] }] });
  await server.api('PUT', '/api/v1/locations/LOC-SIM-OFF', location('LOC-SIM-OFF', [{ uid: 'SIM-OFF-1', chargePoint: 'CP-SIM-OFF' }]));
  // Registered but never connected: a command for it fails at once.
  await server.api('PUT', '/api/v1/charge-points/CP-SIM-OFF', { password: 'station-password-0123456789' });
  emsp = startSimEmsp({ name: 'Test eMSP', tokens: 20, random: createRandom(7), onEvent: (e) => events.push(e) });
  const invitation = (await server.api('POST', '/api/v1/ocpi/invitations')).body;
  registration = await emsp.registerWith(invitation.versions_url, invitation.token);
});
afterAll(async () => {
  await emsp.stop();
  await server.stop();
  removeDir(server.dir);
});

describe('registration and tokens', () => {
  test('a mix of RFID cards (some blocked) and app users of its own party', () => {
    const cards = emsp.rfidTokens();
    const apps = emsp.appTokens();
    expect(cards.length + apps.length).toBe(20);
    expect(apps.length).toBeGreaterThan(0);
    for (const card of cards) {
      expect(card.uid.length).toBeLessThanOrEqual(20);
      expect(['ALWAYS', 'ALLOWED_OFFLINE']).toContain(card.whitelist);
    }
    expect(cards.some((c) => !c.valid)).toBe(true);
    for (const app of apps) expect(app).toMatchObject({ whitelist: 'NEVER', valid: true, country_code: 'NL', party_id: 'SIM' });
    // The same seed gives the same drivers.
    const again = startSimEmsp({ name: 'Test eMSP', tokens: 20, random: createRandom(7) });
    expect(again.rfidTokens().map((t) => t.uid)).toEqual(cards.map((t) => t.uid));
    void again.stop();
  });

  test('the handshake gives it token C, and the CPO holds every token it pushed and pulled', async () => {
    expect(registration).toMatchObject({ tokensPushed: 20, tokensFailed: 0 });
    expect(registration.cpoRoles[0]).toMatchObject({ role: 'CPO', country_code: 'NL', party_id: 'DYN' });
    expect(emsp.view().registered).toBe(true);
    for (const token of [...emsp.rfidTokens().slice(0, 2), ...emsp.appTokens().slice(0, 2)]) {
      const held = await server.ocpi('GET', `/ocpi/cpo/2.2.1/tokens/NL/SIM/${token.uid}?type=${token.type}`, registration.cpoToken);
      expect(held.status).toBe(200);
      expect(held.body.data).toEqual(token);
    }
    // The CPO also read the Sender list, following Link over both pages (20 tokens, 10 a page).
    await eventually(() => expect(events.filter((e) => e.kind === 'tokens' && e.message.startsWith('the CPO read')).length).toBeGreaterThanOrEqual(2));
  });
});

describe('pushes from the CPO', () => {
  test('locations published before and after registration arrive with their EVSE statuses', async () => {
    await server.api('PUT', '/api/v1/locations/LOC-SIM-NEW', location('LOC-SIM-NEW', [{ uid: 'SIM-NEW-1', chargePoint: 'CP-SIM-NEW' }, { uid: 'SIM-NEW-2', chargePoint: 'CP-SIM-NEW' }]));
    const held = await eventually(() => {
      const found = emsp.view().locations.find((l) => l.id === 'LOC-SIM-NEW');
      expect(found).toBeDefined();
      return found!;
    });
    expect(held).toMatchObject({ country_code: 'NL', party_id: 'DYN', city: 'Delft' });
    expect(held.evses?.map((e) => [e.uid, e.status])).toEqual([['SIM-NEW-1', 'AVAILABLE'], ['SIM-NEW-2', 'AVAILABLE']]);
    expect(emsp.view().locations.some((l) => l.id === 'LOC-SIM-OFF')).toBe(true);
    await eventually(() => expect(emsp.view().tariffs.map((t) => t.id)).toContain('T-SIM'));
  });

  test('EVSE and connector PATCHes merge and bump the location; a session PATCH appends charging periods', async () => {
    const locations = await endpoint('locations', registration.tokenB);
    const url = `${locations}/NL/DYN/LOC-SIM-NEW`;
    const patched = await callEmsp('PATCH', `${url}/SIM-NEW-2`, registration.tokenB, { status: 'CHARGING', last_updated: '2030-01-01T00:00:00Z' });
    expect(patched.status).toBe(200);
    await callEmsp('PATCH', `${url}/SIM-NEW-1/1`, registration.tokenB, { max_amperage: 16, last_updated: '2030-01-02T00:00:00Z' });
    const held = (await callEmsp('GET', url, registration.tokenB)).body.data;
    expect(held.evses.map((e: any) => e.status)).toEqual(['AVAILABLE', 'CHARGING']);
    expect(held.evses[0].connectors[0]).toMatchObject({ max_amperage: 16, standard: 'IEC_62196_T2' });
    expect(held.evses[0].last_updated).toBe('2030-01-02T00:00:00Z');
    expect(held.last_updated).toBe('2030-01-02T00:00:00Z');
    expect((await callEmsp('PATCH', `${url}/NO-SUCH-EVSE`, registration.tokenB, { status: 'CHARGING', last_updated: '2030-01-01T00:00:00Z' })).body.status_code).toBe(2003);

    const sessions = await endpoint('sessions', registration.tokenB);
    const period = (at: string, kwh: number) => ({ start_date_time: at, dimensions: [{ type: 'ENERGY' as const, volume: kwh }] });
    const session = {
      country_code: 'NL', party_id: 'DYN', id: 'S-PATCH', start_date_time: '2030-01-01T10:00:00Z', kwh: 0, auth_method: 'WHITELIST',
      cdr_token: { country_code: 'NL', party_id: 'SIM', uid: 'X', type: 'RFID', contract_id: 'NL-SIM-C00000001' },
      location_id: 'LOC-SIM-NEW', evse_uid: 'SIM-NEW-1', connector_id: '1', currency: 'EUR', status: 'ACTIVE',
      charging_periods: [period('2030-01-01T10:00:00Z', 1)], last_updated: '2030-01-01T10:00:00Z',
    } satisfies Session;
    expect((await callEmsp('PUT', `${sessions}/NL/DYN/S-PATCH`, registration.tokenB, session)).status).toBe(201);
    await callEmsp('PATCH', `${sessions}/NL/DYN/S-PATCH`, registration.tokenB, { kwh: 3, charging_periods: [period('2030-01-01T10:15:00Z', 2)], last_updated: '2030-01-01T10:30:00Z' });
    const stored = emsp.view().sessions.find((s) => s.id === 'S-PATCH')!;
    expect(stored.kwh).toBe(3);
    expect(stored.charging_periods?.map((p) => p.start_date_time)).toEqual(['2030-01-01T10:00:00Z', '2030-01-01T10:15:00Z']);
    const noStamp = await callEmsp('PATCH', `${sessions}/NL/DYN/S-PATCH`, registration.tokenB, { kwh: 4 });
    expect({ status: noStamp.status, code: noStamp.body.status_code }).toEqual({ status: 400, code: 2001 });
    expect(noStamp.body.status_message).toContain('last_updated');
  });
});

describe('commands', () => {
  test('START_SESSION at an EVSE whose charge point is offline: ACCEPTED, then the CommandResult FAILED', async () => {
    const { response, result } = await emsp.startSession({ locationId: 'LOC-SIM-OFF', evseUid: 'SIM-OFF-1', token: emsp.appTokens()[0]! });
    expect(response).toEqual({ result: 'ACCEPTED', timeout: 2 });
    expect(await result).toEqual({ result: 'FAILED' });
    expect(emsp.view().commandResults.at(-1)).toMatchObject({ command: 'START_SESSION', result: { result: 'FAILED' } });
  });

  test('STOP_SESSION for a session the CPO does not know: UNKNOWN_SESSION, and no result to wait for', async () => {
    const { response, result } = await emsp.stopSession('no-such-session');
    expect(response.result).toBe('UNKNOWN_SESSION');
    expect(await result).toBeUndefined();
  });
});

describe('its own OCPI interface', () => {
  test('real-time authorization: ALLOWED with a reference for a NEVER token, BLOCKED for a blocked card, 2004 for an unknown one', async () => {
    const tokens = await endpoint('tokens', registration.tokenB);
    const app = emsp.appTokens()[0]!;
    const where = { location_id: 'LOC-SIM-NEW', evse_uids: ['SIM-NEW-1'] };
    const allowed = await callEmsp('POST', `${tokens}/${app.uid}/authorize?type=APP_USER`, registration.tokenB, where);
    expect(allowed.status).toBe(200);
    expect(allowed.body).toMatchObject({ status_code: 1000, data: { allowed: 'ALLOWED', token: app, location: where } });
    expect(allowed.body.data.authorization_reference).toMatch(/^AUTH-/);
    expect(allowed.body.data.authorization_reference.length).toBeLessThanOrEqual(36);

    const blocked = emsp.rfidTokens().find((t) => !t.valid)!;
    expect((await callEmsp('POST', `${tokens}/${blocked.uid.toLowerCase()}/authorize`, registration.tokenB)).body.data.allowed).toBe('BLOCKED');
    const unknown = await callEmsp('POST', `${tokens}/NOBODY/authorize?type=RFID`, registration.tokenB, where);
    expect({ status: unknown.status, code: unknown.body.status_code }).toEqual({ status: 404, code: 2004 });
    // As an RFID card the app user's uid is unknown: the type is part of a token's identity.
    expect((await callEmsp('POST', `${tokens}/${app.uid}/authorize`, registration.tokenB)).body.status_code).toBe(2004);
  });

  test('the token list pages with offset/limit, X-Total-Count and a Link to the next page', async () => {
    const tokens = await endpoint('tokens', registration.tokenB);
    const first = await callEmsp('GET', `${tokens}?limit=8`, registration.tokenB);
    expect(first.body.data).toHaveLength(8);
    expect(first.headers.get('x-total-count')).toBe('20');
    expect(first.headers.get('x-limit')).toBe('10');
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
    expect(next).toBe(`${tokens}?limit=8&offset=8`);
    const last = await callEmsp('GET', `${tokens}?offset=16&limit=8`, registration.tokenB);
    expect(last.body.data).toHaveLength(4);
    expect(last.headers.get('link')).toBeNull();
  });

  test('a CDR POSTed twice is answered with a Location each time and reported as a duplicate', async () => {
    const cdrs = await endpoint('cdrs', registration.tokenB);
    const cdr = (id: string) =>
      ({
        country_code: 'NL', party_id: 'DYN', id, start_date_time: '2030-01-01T10:00:00Z', end_date_time: '2030-01-01T11:00:00Z', session_id: 'S-1',
        cdr_token: { country_code: 'NL', party_id: 'SIM', uid: 'X', type: 'RFID', contract_id: 'NL-SIM-C00000001' }, auth_method: 'WHITELIST',
        cdr_location: {
          id: 'LOC-SIM-NEW', address: 'Simulatieweg 1', city: 'Delft', country: 'NLD', coordinates: { latitude: '52.01160', longitude: '4.35710' },
          evse_uid: 'SIM-NEW-1', evse_id: 'NL*DYN*E1', connector_id: '1', connector_standard: 'IEC_62196_T2', connector_format: 'SOCKET', connector_power_type: 'AC_3_PHASE',
        },
        currency: 'EUR', charging_periods: [{ start_date_time: '2030-01-01T10:00:00Z', dimensions: [{ type: 'ENERGY', volume: 5 }] }],
        total_cost: { excl_vat: 2, incl_vat: 2.42 }, total_energy: 5, total_time: 1, last_updated: '2030-01-01T11:00:00Z',
      }) satisfies CDR;
    const first = await callEmsp('POST', cdrs, registration.tokenB, cdr('CDR-TWICE'));
    expect(first.status).toBe(201);
    const readBack = await callEmsp('GET', first.headers.get('location')!, registration.tokenB);
    expect(readBack.body.data).toEqual(cdr('CDR-TWICE'));
    expect(emsp.cdrReceivedOnce('CDR-TWICE')).toBe(true);
    expect(emsp.view().duplicateCdrIds).toEqual([]);

    const second = await callEmsp('POST', cdrs, registration.tokenB, cdr('CDR-TWICE'));
    expect(second.body.status_code).toBe(1000);
    expect(second.headers.get('location')).not.toBe(first.headers.get('location'));
    await callEmsp('POST', cdrs, registration.tokenB, cdr('CDR-ONCE'));
    expect(emsp.view().duplicateCdrIds).toEqual(['CDR-TWICE']);
    expect(emsp.cdrReceivedOnce('CDR-TWICE')).toBe(false);
    expect(emsp.cdrReceivedOnce('CDR-ONCE')).toBe(true);
    expect(events.some((e) => e.kind === 'duplicate-cdr' && e.message.includes('CDR-TWICE'))).toBe(true);
  });

  test('every answer is an envelope: 401 without its token, 404 for unknown routes, 2001 for bad bodies', async () => {
    const locations = `${emsp.url}/ocpi/emsp/2.2.1/locations/NL/DYN/LOC-X`;
    const noToken = await callEmsp('GET', emsp.versionsUrl, undefined);
    expect({ status: noToken.status, code: noToken.body.status_code }).toEqual({ status: 401, code: 2000 });
    // Token C is what we present to the CPO, not what it presents to us.
    expect((await callEmsp('GET', emsp.versionsUrl, registration.cpoToken)).status).toBe(401);
    const nowhere = await callEmsp('GET', `${emsp.url}/ocpi/emsp/2.2.1/nowhere`, registration.tokenB);
    expect({ status: nowhere.status, code: nowhere.body.status_code }).toEqual({ status: 404, code: 2000 });
    const brokenJson = await callEmsp('PUT', locations, registration.tokenB, '{"id": ');
    expect({ status: brokenJson.status, code: brokenJson.body.status_code }).toEqual({ status: 400, code: 2001 });
    const wrongId = await callEmsp('PUT', locations, registration.tokenB, { ...emsp.view().locations[0], id: 'LOC-Y' });
    expect(wrongId.body.status_code).toBe(2001);
    const notAnObject = await callEmsp('POST', `${emsp.url}/ocpi/emsp/2.2.1/cdrs`, registration.tokenB, [1, 2]);
    expect(notAnObject.body.status_code).toBe(2001);
    expect(typeof notAnObject.body.timestamp).toBe('string');
    // Request ids are echoed; functional answers name us as sender and the CPO as addressee.
    const traced = await fetch(`${emsp.url}/ocpi/emsp/2.2.1/tokens?limit=1`, { headers: { authorization: tokenHeader(registration.tokenB), 'x-request-id': 'req-1' } });
    expect([traced.headers.get('x-request-id'), traced.headers.get('ocpi-from-party-id'), traced.headers.get('ocpi-to-party-id')]).toEqual(['req-1', 'SIM', 'DYN']);
    // A push addressed to another party is refused rather than stored.
    const misrouted = await fetch(locations, { method: 'PATCH', headers: { authorization: tokenHeader(registration.tokenB), 'ocpi-to-country-code': 'DE', 'ocpi-to-party-id': 'EMS' }, body: '{}' });
    expect(((await misrouted.json()) as any).status_code).toBe(2001);
    // Still up and answering.
    expect((await callEmsp('GET', emsp.versionsUrl, registration.tokenB)).status).toBe(200);
  });
});

test('a CPO can take the initiative: it registers with a token A, pulls the tokens, pushes, and unregisters', async () => {
  const heard: SimEmspEvent[] = [];
  const other = startSimEmsp({ name: 'Other eMSP', partyId: 'OTH', tokens: 4, random: createRandom(11), onEvent: (e) => heard.push(e) });
  try {
    const tokenA = other.issueTokenA();
    const created = await server.api('POST', '/api/v1/ocpi/partners', { versions_url: other.versionsUrl, token: tokenA });
    expect(created.body.status).toBe('registered');
    expect(other.view().registered).toBe(true);
    // Token A is spent once the CPO holds its own token.
    expect((await callEmsp('GET', other.versionsUrl, tokenA)).status).toBe(401);
    await eventually(() => expect(heard.some((e) => e.kind === 'tokens' && e.message.startsWith('the CPO read 4 of our 4'))).toBe(true));
    await eventually(() => expect(other.view().locations.map((l) => l.id)).toContain('LOC-SIM-OFF'));
    const deleted = await server.api('DELETE', `/api/v1/ocpi/partners/${created.body.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.remote_error).toBeUndefined();
    expect(other.view().registered).toBe(false);
  } finally {
    await other.stop();
  }
});
