/**
 * Roaming through a hub (OCPI 2.2.1 transport_and_format "Message routing", credentials, HubClientInfo): one
 * connection, role HUB, speaking for the eMSPs DE*ABC and DE*XYZ behind it. Their requests name them in
 * OCPI-from-*, our answers and pushes name them in OCPI-to-*; what is theirs stays theirs.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { eventually } from '../support/eventually.ts';
import { routedFrom, routingOf, type FakeHub } from '../support/fake-hub.ts';
import type { ReceivedRequest } from '../support/fake-emsp.ts';
import { ABC, card, chargeCard, HUB, hubWithNetwork, US, XYZ } from '../support/mothers/hub.ts';
import { aLocation, anEvse, putLocation } from '../support/mothers/network.ts';
import { connectStation } from '../support/stations.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

const fromUsTo = (party: { country_code: string; party_id: string }) => ({
  'ocpi-from-country-code': US.country_code,
  'ocpi-from-party-id': US.party_id,
  'ocpi-to-country-code': party.country_code,
  'ocpi-to-party-id': party.party_id,
});
const iso = (ms: number) => new Date(ms).toISOString();
let server: TestServer;
let hub: FakeHub;
let token: string;
let partnerId: string;
type Party = { country_code: string; party_id: string };

/** A request of `party` through the hub (none: the hub in its own name); every answer is addressed back to it, from us. */
async function through(party: Party | undefined, method: string, path: string, body?: unknown) {
  const response = await server.ocpi(method, `/ocpi/cpo/2.2.1/${path}`, token, body, party ? { headers: routedFrom(party) } : {});
  expect(routingOf(response.headers)).toEqual(fromUsTo(party ?? HUB));
  return response;
}

beforeAll(async () => {
  // Every Session change is pushed as it happens: the test follows each push to its party.
  server = startTestServer({ env: { AUTHORIZE_TIMEOUT_MS: '1000', COMMAND_TIMEOUT_S: '1', DELIVERY_BASE_DELAY_MS: '50', DELIVERY_MAX_DELAY_MS: '200', SESSION_PATCH_INTERVAL_S: '0' } });
  ({ hub, token, partnerId } = await hubWithNetwork(server));
});
afterAll(async () => {
  await server.stop();
  hub.stop();
  removeDir(server.dir);
});

describe('a hub registers as one connection speaking for the parties behind it', () => {
  test('its one role is HUB; the parties come from its ClientInfo list, pulled without routing headers', async () => {
    const view = (await server.api('GET', `/api/v1/ocpi/partners/${partnerId}`)).body;
    expect(view.roles).toEqual([{ role: 'HUB', ...HUB, business_details: { name: 'Fake Hub' } }]);
    expect(view.parties).toEqual([
      { ...HUB, role: 'HUB', status: 'CONNECTED', last_updated: view.registered_at },
      { ...ABC, role: 'EMSP', status: 'CONNECTED', last_updated: '2026-01-01T00:00:00Z' },
      { ...XYZ, role: 'EMSP', status: 'CONNECTED', last_updated: '2026-01-01T00:00:00Z' },
    ]);
    const pulled = hub.received.filter((r) => r.path === '/ocpi/emsp/2.2.1/hubclientinfo');
    expect(pulled.map((r) => [r.method, routingOf(r.headers)])).toEqual([['GET', {}]]);
  });

  test('its token list is asked of the hub itself once, and keeps each token’s own party', async () => {
    const pulls = hub.received.filter((r) => r.method === 'GET' && r.path === '/ocpi/emsp/2.2.1/tokens');
    expect(pulls.map((r) => routingOf(r.headers))).toEqual([fromUsTo(HUB)]);
    const abc = await through(ABC, 'GET', 'tokens/DE/ABC/ABC-1');
    expect(abc.body.data).toMatchObject({ country_code: 'DE', party_id: 'ABC', uid: 'ABC-1' });
  });

  test('our version details list hubclientinfo as Receiver', async () => {
    const details = await server.ocpi('GET', '/ocpi/versions/2.2.1', token);
    expect(details.body.data.endpoints).toContainEqual({ identifier: 'hubclientinfo', role: 'RECEIVER', url: `${server.config.publicUrl}/ocpi/cpo/2.2.1/hubclientinfo` });
  });
});

describe('locations and tariffs go once per connection; a restricted location only to the party it allows', () => {
  test('the tariff and the location went once, addressed to the hub (a broadcast push)', async () => {
    await eventually(() => {
      const pushes = hub.received.filter((r) => r.method === 'PUT' && (r.path.endsWith('/tariffs/NL/DYN/T-HUB') || r.path.endsWith('/locations/NL/DYN/LOC-HUB')));
      expect(pushes.map((r) => [r.path.split('/')[4], routingOf(r.headers)])).toEqual([['tariffs', fromUsTo(HUB)], ['locations', fromUsTo(HUB)]]);
    });
  });

  test('a location for ABC’s card goes to ABC only, and only ABC reads it', async () => {
    await putLocation(server, 'LOC-ABC', aLocation({ publish: false, publish_allowed_to: [{ uid: 'ABC-1', type: 'RFID' }], evses: [anEvse('ABC-ONLY')] }));
    await eventually(() => {
      const pushes = hub.received.filter((r) => r.path.endsWith('/locations/NL/DYN/LOC-ABC'));
      expect(pushes.map((r) => [r.method, routingOf(r.headers)])).toEqual([['PUT', fromUsTo(ABC)]]);
    });
    expect((await through(ABC, 'GET', 'locations/LOC-ABC')).status).toBe(200);
    for (const other of [XYZ, HUB, undefined]) {
      const refused = await through(other, 'GET', 'locations/LOC-ABC');
      expect([refused.status, refused.body.status_code]).toEqual([404, 2003]);
    }
    const xyzList = await through(XYZ, 'GET', 'locations');
    expect(xyzList.body.data.map((l: { id: string }) => l.id)).toEqual(['LOC-HUB']);
  });
});

describe('requests through the hub are checked against the party they come from, and answered to it', () => {
  test('a party pushes its own token; the answer is addressed to it, from us', async () => {
    const response = await through(ABC, 'PUT', 'tokens/DE/ABC/ABC-2', card(ABC, 'ABC-2'));
    expect([response.status, response.body.status_code]).toEqual([201, 1000]);
  });

  test('a party cannot write or read another party’s token', async () => {
    const put = await through(ABC, 'PUT', 'tokens/DE/XYZ/XYZ-9', card(XYZ, 'XYZ-9'));
    expect([put.status, put.body.status_code]).toEqual([403, 2000]);
    expect(put.body.status_message).toContain('DE/XYZ');
    const get = await through(ABC, 'GET', 'tokens/DE/XYZ/XYZ-1');
    expect(get.status).toBe(403);
  });

  test('the hub itself may push a token of any party behind it (broadcast), answered to the hub', async () => {
    const response = await through(HUB, 'PUT', 'tokens/DE/XYZ/XYZ-2', card(XYZ, 'XYZ-2'));
    expect([response.status, response.body.status_code]).toEqual([201, 1000]);
  });

  test('a request addressed to another CPO is refused in the OCPI envelope', async () => {
    const response = await server.ocpi('GET', '/ocpi/cpo/2.2.1/tariffs', token, undefined, { headers: routedFrom(ABC, { country_code: 'NL', party_id: 'OTH' }) });
    expect([response.status, response.body.status_code]).toEqual([400, 2001]);
    expect(response.body.status_message).toContain('NL/OTH');
  });
});

describe('sessions and CDRs go back through the hub to the party whose token it is', () => {
  test('cards of both parties charge; every Session and CDR push is addressed to the card’s party', async () => {
    const { client, strictFailures } = await connectStation(server, 'CP-HUB');
    await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
    await chargeCard(client, 'ABC-1', 1, Date.parse('2026-11-24T09:00:00Z'));
    await chargeCard(client, 'XYZ-1', 2, Date.parse('2026-11-24T10:00:00Z'));
    await client.close();
    expect(strictFailures).toEqual([]);
    await eventually(() => expect(hub.store.cdrs.map((c) => c.cdr_token.uid)).toEqual(['ABC-1', 'XYZ-1']));
    for (const [uid, party] of [['ABC-1', ABC], ['XYZ-1', XYZ]] as const) {
      const pushes = hub.pushesFor(uid);
      expect(pushes.map((r) => `${r.method} ${r.path.split('/')[4]}`)).toEqual(['PUT sessions', 'PATCH sessions', 'PUT sessions', 'POST cdrs']);
      for (const push of pushes) expect(routingOf(push.headers)).toEqual(fromUsTo(party));
    }
  });

  test('each party reads its own sessions and CDRs; the hub as itself reads none', async () => {
    const uids = async (module: string, party: Party | undefined) =>
      (await through(party, 'GET', module)).body.data.map((o: { cdr_token: { uid: string } }) => o.cdr_token.uid);
    expect(await uids('sessions', ABC)).toEqual(['ABC-1']);
    expect(await uids('sessions', XYZ)).toEqual(['XYZ-1']);
    expect(await uids('cdrs', XYZ)).toEqual(['XYZ-1']);
    expect(await uids('sessions', HUB)).toEqual([]);
    expect(await uids('cdrs', undefined)).toEqual([]);
  });

  test('a card we never held is asked of the hub without OCPI-to-* (open routing); its session goes to the card’s party', async () => {
    hub.tokens.push(card(XYZ, 'XYZ-RT', { whitelist: 'NEVER' }));
    hub.authorizations.set('XYZ-RT', { allowed: 'ALLOWED', authorization_reference: 'REF-XYZ' });
    const { client } = await connectStation(server, 'CP-HUB', { register: false });
    expect(((await client.call('Authorize', { idTag: 'XYZ-RT' })) as { idTagInfo: { status: string } }).idTagInfo.status).toBe('Accepted');
    const asked = hub.received.filter((r) => r.path === '/ocpi/emsp/2.2.1/tokens/XYZ-RT/authorize');
    expect(asked.map((r) => routingOf(r.headers))).toEqual([{ 'ocpi-from-country-code': 'NL', 'ocpi-from-party-id': 'DYN' }]);
    const t0 = Date.parse('2026-11-25T09:00:00Z');
    const { transactionId } = (await client.call('StartTransaction', { connectorId: 1, idTag: 'XYZ-RT', meterStart: 0, timestamp: iso(t0) })) as { transactionId: number };
    await client.call('StopTransaction', { transactionId, meterStop: 1000, timestamp: iso(t0 + 600_000) });
    await client.close();
    const cdr = await eventually(() => {
      const pushes = hub.pushesFor('XYZ-RT').filter((r) => r.method === 'POST');
      expect(pushes).toHaveLength(1);
      return pushes[0]!;
    });
    expect(routingOf(cdr.headers)).toEqual(fromUsTo(XYZ));
    expect(cdr.body).toMatchObject({ auth_method: 'AUTH_REQUEST', authorization_reference: 'REF-XYZ' });
  });
});

describe('commands through the hub', () => {
  const start = (party: typeof ABC, uid: string, id: string) =>
    through(XYZ, 'POST', 'commands/START_SESSION', { response_url: hub.responseUrl(id), token: card(party, uid, { type: 'APP_USER', whitelist: 'NEVER' }), location_id: 'LOC-HUB', evse_uid: 'HUB-OFF' });

  test('the CommandResult goes back to the party that sent the command', async () => {
    const response = await start(XYZ, 'XYZ-APP', 'hub-start');
    expect(response.body.data.result).toBe('ACCEPTED');
    // The station was never connected: FAILED, through the outbox.
    await eventually(() => expect(hub.store.commandResults.get('hub-start')).toEqual({ result: 'FAILED' }));
    const posted = hub.received.find((r: ReceivedRequest) => r.path.endsWith('/commands/results/hub-start'));
    expect(routingOf(posted!.headers)).toEqual(fromUsTo(XYZ));
  });

  test('a party cannot command with another party’s token', async () => {
    const response = await start(ABC, 'ABC-APP', 'hub-start-abc');
    expect(response.body.data.result).toBe('REJECTED');
  });
});

describe('every exchange with the hub', () => {
  test('our calls to its functional modules came from us, addressed to the hub or a party behind it (open routing: to nobody); configuration calls carried no routing headers', () => {
    const configuration = /^\/ocpi\/(versions|2\.2\.1|emsp\/2\.2\.1\/(credentials|hubclientinfo))$/;
    const addressees = new Set<string>();
    for (const request of hub.received) {
      const routing = routingOf(request.headers);
      if (configuration.test(request.path)) {
        expect(routing).toEqual({});
        continue;
      }
      expect(routing).toMatchObject({ 'ocpi-from-country-code': 'NL', 'ocpi-from-party-id': 'DYN' });
      addressees.add(routing['ocpi-to-party-id'] ? `${routing['ocpi-to-country-code']}*${routing['ocpi-to-party-id']}` : `(open) ${request.method} ${request.path}`);
    }
    expect([...addressees].sort()).toEqual(['(open) POST /ocpi/emsp/2.2.1/tokens/XYZ-RT/authorize', 'BE*HUB', 'DE*ABC', 'DE*XYZ']);
  });
});
