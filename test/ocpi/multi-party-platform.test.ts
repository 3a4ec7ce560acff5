/**
 * A platform hosting two eMSPs, DE*ABC and DE*XYZ, on one OCPI connection (OCPI 2.2.1 credentials: one role per
 * party). We register with it through the operator API; it speaks for exactly those two parties: a request names
 * one of them in OCPI-from-* or acts for both, and anything of another party is refused.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { eventually } from '../support/eventually.ts';
import { startFakeEmsp, type FakeEmsp } from '../support/fake-emsp.ts';
import { routedFrom, routingOf } from '../support/fake-hub.ts';
import { ABC, card, chargeCard, US, XYZ } from '../support/mothers/hub.ts';
import { aConnector, aLocation, aTariff, anEvse, putLocation, putTariff } from '../support/mothers/network.ts';
import { connectStation } from '../support/stations.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

const OTHER = { country_code: 'DE', party_id: 'OTH' };
const toParty = (party: typeof ABC) => ({ 'ocpi-to-country-code': party.country_code, 'ocpi-to-party-id': party.party_id });
const fromUs = { 'ocpi-from-country-code': US.country_code, 'ocpi-from-party-id': US.party_id };

let server: TestServer;
let platform: FakeEmsp;
let token: string;
let partnerId: string;
const as = (party: typeof ABC) => ({ headers: routedFrom(party) });

beforeAll(async () => {
  server = startTestServer({ env: { DELIVERY_BASE_DELAY_MS: '50', DELIVERY_MAX_DELAY_MS: '200' } });
  await putTariff(server, 'T-PLT', aTariff());
  await putLocation(server, 'LOC-PLT', aLocation({ evses: [1, 2].map((n) => anEvse(`PLT-${n}`, { connectors: [aConnector('1', { tariff_ids: ['T-PLT'] })], ocpp: { charge_point_id: 'CP-PLT', evse_id: n } })) }));
  platform = startFakeEmsp({ roles: [{ role: 'EMSP', ...ABC }, { role: 'EMSP', ...XYZ }] });
  platform.tokens.push(card(ABC, 'ABC-P1'), card(XYZ, 'XYZ-P1'));
  const registered = await server.api('POST', '/api/v1/ocpi/partners', { versions_url: platform.versionsUrl, token: platform.issueTokenA(), name: 'Two-eMSP platform' });
  expect(registered.status).toBe(201);
  partnerId = registered.body.id;
  // The platform answered our credentials POST with the token we present to it; it calls us with the one we gave.
  token = (platform.state.cpoCredentials as { token: string }).token;
});
afterAll(async () => {
  await server.stop();
  platform.stop();
  removeDir(server.dir);
});

describe('we register with a platform: one connection for both of its parties', () => {
  test('both roles are the connection’s, each a connected party', async () => {
    const view = (await server.api('GET', `/api/v1/ocpi/partners/${partnerId}`)).body;
    expect(view.status).toBe('registered');
    expect(view.parties.map((p: { party_id: string; role: string; status: string }) => [p.party_id, p.role, p.status])).toEqual([['ABC', 'EMSP', 'CONNECTED'], ['XYZ', 'EMSP', 'CONNECTED']]);
  });

  test('the token list is asked of each party; each token keeps its party', async () => {
    await eventually(() => {
      const pulls = platform.received.filter((r) => r.method === 'GET' && r.path === '/ocpi/emsp/2.2.1/tokens');
      expect(pulls.map((r) => routingOf(r.headers))).toEqual([{ ...fromUs, ...toParty(ABC) }, { ...fromUs, ...toParty(XYZ) }]);
    });
    await eventually(async () => {
      const xyz = await server.ocpi('GET', '/ocpi/cpo/2.2.1/tokens/DE/XYZ/XYZ-P1', token, undefined, as(XYZ));
      expect(xyz.body.data).toMatchObject({ party_id: 'XYZ', uid: 'XYZ-P1' });
    });
  });
});

describe('requests are checked against the parties the platform speaks for', () => {
  test('a request from a party it does not host is refused in the envelope: 400 + 2001', async () => {
    for (const headers of [routedFrom(OTHER), { 'ocpi-from-country-code': 'DE' }]) {
      const response = await server.ocpi('GET', '/ocpi/cpo/2.2.1/locations', token, undefined, { headers });
      expect([response.status, response.body.status_code]).toEqual([400, 2001]);
      expect(response.body.status_message).toContain('not a party this connection speaks for');
    }
  });

  test('a token of another party, pushed in one party’s name or for a party it does not host, is refused', async () => {
    const inXyzName = await server.ocpi('PUT', '/ocpi/cpo/2.2.1/tokens/DE/ABC/ABC-P2', token, card(ABC, 'ABC-P2'), as(XYZ));
    expect([inXyzName.status, inXyzName.body.status_code]).toEqual([403, 2000]);
    const foreign = await server.ocpi('PUT', '/ocpi/cpo/2.2.1/tokens/DE/OTH/OTH-1', token, card(OTHER, 'OTH-1'));
    expect([foreign.status, foreign.body.status_code]).toEqual([403, 2000]);
  });

  test('without OCPI-from-* a request acts for both parties, answered to the platform’s first eMSP role', async () => {
    const response = await server.ocpi('PUT', '/ocpi/cpo/2.2.1/tokens/DE/XYZ/XYZ-P2', token, card(XYZ, 'XYZ-P2'));
    expect([response.status, response.body.status_code]).toEqual([201, 1000]);
    expect(routingOf(response.headers)).toEqual({ ...fromUs, ...toParty(ABC) });
  });
});

describe('pushes to the platform', () => {
  test('the tariff and the location go once; each card’s session and CDR go to its party', async () => {
    const { client } = await connectStation(server, 'CP-PLT');
    await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
    await chargeCard(client, 'ABC-P1', 1, Date.parse('2026-11-24T09:00:00Z'));
    await chargeCard(client, 'XYZ-P1', 2, Date.parse('2026-11-24T10:00:00Z'));
    await client.close();
    await eventually(() => expect(platform.store.cdrs.map((c) => [c.cdr_token.uid, c.cdr_token.party_id])).toEqual([['ABC-P1', 'ABC'], ['XYZ-P1', 'XYZ']]));
    const network = platform.received.filter((r) => r.method === 'PUT' && /\/(tariffs|locations)\/NL\/DYN\//.test(r.path));
    expect(network.map((r) => r.path.split('/').slice(4).join('/'))).toEqual(['tariffs/NL/DYN/T-PLT', 'locations/NL/DYN/LOC-PLT']);
    for (const push of network) expect(routingOf(push.headers)).toEqual({ ...fromUs, ...toParty(ABC) });
    for (const cdr of platform.received.filter((r) => r.path.endsWith('/cdrs')))
      expect(routingOf(cdr.headers)).toEqual({ ...fromUs, ...toParty((cdr.body as { cdr_token: typeof ABC }).cdr_token.party_id === 'XYZ' ? XYZ : ABC) });
  });

  test('each party reads its sessions; the platform without OCPI-from-* reads both', async () => {
    const uids = async (options: { headers?: Record<string, string> }) =>
      (await server.ocpi('GET', '/ocpi/cpo/2.2.1/sessions', token, undefined, options)).body.data.map((s: { cdr_token: { uid: string } }) => s.cdr_token.uid);
    expect(await uids(as(XYZ))).toEqual(['XYZ-P1']);
    expect(await uids({})).toEqual(['ABC-P1', 'XYZ-P1']);
  });
});

describe('credentials listing a role twice', () => {
  test('are refused with 2001, and the invitation stays open', async () => {
    const invitation = (await server.api('POST', '/api/v1/ocpi/invitations')).body;
    const twice = { token: 'platform-token-b-0123456789', url: platform.versionsUrl, roles: [1, 2].map(() => ({ role: 'EMSP', ...ABC, business_details: { name: 'ABC' } })) };
    const response = await server.ocpi('POST', '/ocpi/cpo/2.2.1/credentials', invitation.token, twice);
    expect([response.status, response.body.status_code]).toEqual([400, 2001]);
    expect(response.body.status_message).toContain('EMSP DE/ABC is listed twice');
    expect((await server.api('GET', `/api/v1/ocpi/partners/${invitation.partner_id}`)).body.status).toBe('invited');
  });
});
