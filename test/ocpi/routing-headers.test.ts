/**
 * OCPI 2.2.1 §1.9: every request we make to a partner's functional module (Locations, Tariffs, Sessions, CDRs,
 * Tokens, Commands) carries OCPI-from-* (us, the CPO) and OCPI-to-* (the partner's role); calls to configuration
 * modules (versions, version details, credentials) carry none. Checked on what a real eMSP receives over HTTP.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { eventually } from '../support/eventually.ts';
import { startFakeEmsp, type FakeEmsp, type ReceivedRequest, registerInvited } from '../support/fake-emsp.ts';
import { aConnector, aLocation, aTariff, anEvse, putLocation, putTariff } from '../support/mothers/network.ts';
import { connectStation, STATION_PASSWORD } from '../support/stations.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

/** The test server is CPO NL/DYN (test/support/server.ts); the fake eMSP's one role is DE/EMS. */
const fromUs = { 'ocpi-from-country-code': 'NL', 'ocpi-from-party-id': 'DYN' };
const toEmsp = { 'ocpi-to-country-code': 'DE', 'ocpi-to-party-id': 'EMS' };
const routingOf = (r: ReceivedRequest) => Object.fromEntries(Object.entries(r.headers).filter(([name]) => name.startsWith('ocpi-')));
const card = (uid: string, whitelist: string, type = 'RFID') => ({
  country_code: 'DE', party_id: 'EMS', uid, type, contract_id: `C-${uid}`, issuer: 'Fake eMSP', valid: true, whitelist, last_updated: '2026-01-01T00:00:00Z',
});
const iso = (ms: number) => new Date(ms).toISOString();

let server: TestServer;
let emsp: FakeEmsp;
let token: string;

beforeAll(async () => {
  server = startTestServer({ env: { AUTHORIZE_TIMEOUT_MS: '1000', COMMAND_TIMEOUT_S: '1', DELIVERY_BASE_DELAY_MS: '50', DELIVERY_MAX_DELAY_MS: '200' } });
  emsp = startFakeEmsp();
  // Five tokens at two per page: the pull follows Link over three pages.
  emsp.tokens.push(card('RH1', 'ALWAYS'), card('RH2', 'ALWAYS'), card('RH3', 'ALWAYS'), card('RH4', 'ALWAYS'), card('RHNEVER', 'NEVER'));
  emsp.authorizations.set('RHNEVER', { allowed: 'ALLOWED', authorization_reference: 'REF-RH' });
  await putTariff(server, 'T-RH', aTariff());
  const connector = aConnector('1', { tariff_ids: ['T-RH'] });
  const remote = { capabilities: ['REMOTE_START_STOP_CAPABLE'], connectors: [connector] };
  await putLocation(server, 'LOC-RH', aLocation({
    evses: [anEvse('RH-1', { ...remote, ocpp: { charge_point_id: 'CP-RH', evse_id: 1 } }), anEvse('RH-OFF', { ...remote, ocpp: { charge_point_id: 'CP-RH-OFF', evse_id: 1 } })],
  }));
  await server.api('PUT', '/api/v1/charge-points/CP-RH-OFF', { password: STATION_PASSWORD });
  token = (await registerInvited(server, emsp)).cpo.token;
});
afterAll(async () => {
  await server.stop();
  emsp.stop();
  removeDir(server.dir);
});

describe('requests to functional modules carry OCPI-from (us) and OCPI-to (the partner)', () => {
  test('every page of the token list pull', async () => {
    const pages = await eventually(() => {
      const found = emsp.received.filter((r) => r.method === 'GET' && r.path === '/ocpi/emsp/2.2.1/tokens');
      expect(found).toHaveLength(3);
      return found;
    });
    for (const page of pages) expect(routingOf(page)).toEqual({ ...fromUs, ...toEmsp });
  });

  test('real-time authorization, and the session and CDR pushes of the session it allowed', async () => {
    await eventually(async () => expect((await server.ocpi('GET', '/ocpi/cpo/2.2.1/tokens/DE/EMS/RHNEVER', token)).status).toBe(200));
    const { client, strictFailures } = await connectStation(server, 'CP-RH');
    await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
    expect(((await client.call('Authorize', { idTag: 'RHNEVER' })) as { idTagInfo: { status: string } }).idTagInfo.status).toBe('Accepted');
    const asked = emsp.received.find((r) => r.method === 'POST' && r.path === '/ocpi/emsp/2.2.1/tokens/RHNEVER/authorize');
    expect(asked && routingOf(asked)).toEqual({ ...fromUs, ...toEmsp });

    const t0 = Date.parse('2026-11-24T09:00:00Z');
    const { transactionId } = (await client.call('StartTransaction', { connectorId: 1, idTag: 'RHNEVER', meterStart: 0, timestamp: iso(t0) })) as { transactionId: number };
    await client.call('StopTransaction', { transactionId, meterStop: 3000, timestamp: iso(t0 + 600_000) });
    await eventually(() => expect(emsp.store.cdrs).toHaveLength(1));
    await client.close();
    expect(strictFailures).toEqual([]);

    const pushes = emsp.received.filter((r) => /^\/ocpi\/emsp\/2\.2\.1\/(tariffs|locations|sessions|cdrs)(\/|$)/.test(r.path));
    // Tariff and location at registration, an EVSE status PATCH, session PUT/PATCH/PUT, the CDR POST.
    const kinds = new Set(pushes.map((r) => `${r.method} ${r.path.split('/')[4]}`));
    for (const kind of ['PUT tariffs', 'PUT locations', 'PUT sessions', 'POST cdrs']) expect(kinds).toContain(kind);
    for (const push of pushes) expect(routingOf(push)).toEqual({ ...fromUs, ...toEmsp });
  });

  test('a CommandResult POSTed to the eMSP’s response_url', async () => {
    const response = await server.ocpi('POST', '/ocpi/cpo/2.2.1/commands/START_SESSION', token, {
      response_url: emsp.responseUrl('rh-start'),
      token: card('RH-APP', 'NEVER', 'APP_USER'),
      location_id: 'LOC-RH',
      evse_uid: 'RH-OFF',
    });
    expect(response.body.data.result).toBe('ACCEPTED');
    // The station was never connected: the result is FAILED, delivered through the outbox.
    await eventually(() => expect(emsp.store.commandResults.get('rh-start')).toEqual({ result: 'FAILED' }));
    const posted = emsp.received.find((r) => r.method === 'POST' && r.path.endsWith('/commands/results/rh-start'));
    expect(posted && routingOf(posted)).toEqual({ ...fromUs, ...toEmsp });
  });
});

describe('requests to configuration modules carry no routing headers', () => {
  test('versions and version details when the eMSP registered with us', () => {
    const config = emsp.received.filter((r) => r.path === '/ocpi/versions' || r.path === '/ocpi/2.2.1');
    expect(config.length).toBeGreaterThanOrEqual(2);
    for (const call of config) expect(routingOf(call)).toEqual({});
  });

  test('versions, details, credentials POST and DELETE when we register with an eMSP and unregister', async () => {
    const other = startFakeEmsp({ partyId: 'CFG' });
    try {
      const registered = await server.api('POST', '/api/v1/ocpi/partners', { versions_url: other.versionsUrl, token: other.issueTokenA() });
      expect(registered.status).toBe(201);
      expect((await server.api('DELETE', `/api/v1/ocpi/partners/${registered.body.id}`)).status).toBeLessThan(300);
      const config = other.received.filter((r) => r.path === '/ocpi/versions' || r.path === '/ocpi/2.2.1' || r.path === '/ocpi/emsp/2.2.1/credentials');
      expect(config.map((r) => `${r.method} ${r.path}`)).toEqual(
        expect.arrayContaining(['GET /ocpi/versions', 'GET /ocpi/2.2.1', 'POST /ocpi/emsp/2.2.1/credentials', 'DELETE /ocpi/emsp/2.2.1/credentials']),
      );
      for (const call of config) expect(routingOf(call)).toEqual({});
    } finally {
      other.stop();
    }
  });
});
