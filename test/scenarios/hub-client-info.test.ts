/**
 * HubClientInfo (OCPI 2.2.1, we are Receiver): a hub reports how the parties behind it are connected. A party it
 * reports SUSPENDED or OFFLINE gets nothing meanwhile — its pushes wait in the outbox, neither dead-lettered nor
 * counted as failed attempts — and once it is CONNECTED again they go, each once, in the order they were made.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { eventually } from '../support/eventually.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { routingOf, type FakeHub } from '../support/fake-hub.ts';
import { registerInvited, startFakeEmsp } from '../support/fake-emsp.ts';
import { ABC, chargeCard, hubWithNetwork, XYZ } from '../support/mothers/hub.ts';
import { connectStation } from '../support/stations.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let hub: FakeHub;
let token: string;
let partnerId: string;
const clientInfo = (party: typeof ABC, status: string, last_updated = '2026-02-01T00:00:00Z') => ({ ...party, role: 'EMSP', status, last_updated });
const report = (body: Record<string, unknown>, as = token, path = `${body.country_code}/${body.party_id}`) => server.ocpi('PUT', `/ocpi/cpo/2.2.1/hubclientinfo/${path}`, as, body);
const partyStatus = async (party: typeof ABC) =>
  (await server.api('GET', `/api/v1/ocpi/partners/${partnerId}`)).body.parties.find((p: typeof ABC) => p.party_id === party.party_id)?.status;
const deliveries = async (state: string) => (await server.api('GET', `/api/v1/ocpi/partners/${partnerId}/deliveries?state=${state}`)).body;

beforeAll(async () => {
  // Every Session change is its own push (no PATCH coalesced into a waiting row): the test follows each one.
  server = startTestServer({ env: { DELIVERY_BASE_DELAY_MS: '50', DELIVERY_MAX_DELAY_MS: '200', SESSION_PATCH_INTERVAL_S: '0' } });
  ({ hub, token, partnerId } = await hubWithNetwork(server));
});
afterAll(async () => {
  await server.stop();
  hub.stop();
  removeDir(server.dir);
});

describe('a party the hub suspends', () => {
  test('the report is stored and shown (a configuration module: no routing headers)', async () => {
    const response = await report(clientInfo(XYZ, 'SUSPENDED'));
    expect([response.status, response.body.status_code]).toEqual([200, 1000]);
    expect(routingOf(response.headers)).toEqual({});
    const held = await server.ocpi('GET', '/ocpi/cpo/2.2.1/hubclientinfo/de/xyz', token);
    expect(held.body.data).toEqual(clientInfo(XYZ, 'SUSPENDED'));
    expect(await partyStatus(XYZ)).toBe('SUSPENDED');
    expect(await partyStatus(ABC)).toBe('CONNECTED');
  });

  test('its pushes wait untouched while the other party’s go; OFFLINE holds them too; CONNECTED sends each once, in order', async () => {
    const { client } = await connectStation(server, 'CP-HUB');
    await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
    await chargeCard(client, 'XYZ-1', 1, Date.parse('2026-11-24T09:00:00Z'));
    await chargeCard(client, 'ABC-1', 2, Date.parse('2026-11-24T10:00:00Z'));
    await client.close();
    // ABC's session was queued after XYZ's: once its CDR is in, the queue has been worked past XYZ's rows.
    await eventually(() => expect(hub.store.cdrs.map((c) => c.cdr_token.uid)).toEqual(['ABC-1']));
    // …and the hub's answer to it is back (its row marked delivered, a moment after the hub stored it): only XYZ's rows wait.
    const waiting = await eventually(async () => {
      const rows = (await deliveries('pending,failed,dead')).toReversed();
      expect(rows.filter((d: { to: typeof XYZ }) => d.to.party_id !== XYZ.party_id)).toEqual([]);
      return rows;
    });
    expect(waiting.map((d: { object: string; method: string }) => `${d.method} ${d.object.split(':')[0]}`)).toEqual(['PUT session', 'PATCH session', 'PUT session', 'POST cdr']);
    for (const row of waiting) expect(row).toMatchObject({ state: 'pending', attempts: 0, to: XYZ });
    expect(hub.pushesFor('XYZ-1')).toEqual([]);

    expect((await report(clientInfo(XYZ, 'OFFLINE', '2026-02-01T01:00:00Z'))).status).toBe(200);
    expect(await partyStatus(XYZ)).toBe('OFFLINE');
    expect((await deliveries('pending')).length).toBe(4);
    expect(hub.pushesFor('XYZ-1')).toEqual([]);

    expect((await report(clientInfo(XYZ, 'CONNECTED', '2026-02-01T02:00:00Z'))).status).toBe(200);
    await eventually(async () => expect(await deliveries('pending,failed,dead')).toEqual([]));
    const sent = hub.pushesFor('XYZ-1');
    expect(sent.map((r) => `${r.method} ${r.path.split('/')[4]}`)).toEqual(['PUT sessions', 'PATCH sessions', 'PUT sessions', 'POST cdrs']);
    for (const push of sent) expect(routingOf(push.headers)).toMatchObject({ 'ocpi-to-country-code': 'DE', 'ocpi-to-party-id': 'XYZ' });
    const delivered = (await deliveries('delivered')).filter((d: { id: number }) => waiting.some((w: { id: number }) => w.id === d.id));
    expect(delivered.map((d: { attempts: number }) => d.attempts)).toEqual([1, 1, 1, 1]);
    expect(hub.store.cdrs.map((c) => c.cdr_token.uid)).toEqual(['ABC-1', 'XYZ-1']);
  });
});

describe('the HubClientInfo Receiver interface', () => {
  test('a party the hub did not list before is created (201) and shown with the others', async () => {
    const newcomer = { country_code: 'FR', party_id: 'NEW' };
    const response = await report({ ...clientInfo(newcomer, 'PLANNED'), role: 'CPO' });
    expect(response.status).toBe(201);
    expect(await partyStatus(newcomer)).toBe('PLANNED');
  });

  test('refused: a body for another party than the URL, an unknown status, a missing last_updated', async () => {
    for (const [body, path] of [
      [clientInfo(ABC, 'CONNECTED'), 'DE/XYZ'],
      [clientInfo(ABC, 'GONE'), 'DE/ABC'],
      [{ ...ABC, role: 'EMSP', status: 'CONNECTED' }, 'DE/ABC'],
    ] as const) {
      const response = await report(body, token, path);
      expect([response.status, response.body.status_code]).toEqual([400, 2001]);
    }
    expect(await partyStatus(ABC)).toBe('CONNECTED');
  });

  test('an unknown party is 404; a registration token is 401', async () => {
    const unknown = await server.ocpi('GET', '/ocpi/cpo/2.2.1/hubclientinfo/FR/NOP', token);
    expect([unknown.status, unknown.body.status_code]).toEqual([404, 2000]);
    const invitation = (await server.api('POST', '/api/v1/ocpi/invitations')).body;
    expect((await report(clientInfo(ABC, 'SUSPENDED'), invitation.token)).status).toBe(401);
  });

  test('a connection that is no hub cannot report on parties', async () => {
    const emsp = startFakeEmsp({ partyId: 'DIR' });
    try {
      const direct = (await registerInvited(server, emsp)).cpo.token;
      const response = await report(clientInfo(ABC, 'SUSPENDED'), direct);
      expect([response.status, response.body.status_code]).toEqual([403, 2000]);
      expect(await partyStatus(ABC)).toBe('CONNECTED');
    } finally {
      emsp.stop();
    }
  });
});

describe('a party suspended for longer than DELIVERY_MAX_AGE_S', () => {
  test('its pushes age from their first failed attempt, not from when they were queued: a failure after the hold is retried', async () => {
    const clock = new ManualClock('2026-11-24T08:00:00Z');
    const aged = startTestServer({ clock, env: { DELIVERY_MAX_AGE_S: '60', DELIVERY_BASE_DELAY_MS: '1000', DELIVERY_MAX_DELAY_MS: '1000', SESSION_PATCH_INTERVAL_S: '0' } });
    try {
      const net = await hubWithNetwork(aged);
      const held = async (state: string) => (await aged.api('GET', `/api/v1/ocpi/partners/${net.partnerId}/deliveries?state=${state}`)).body;
      expect((await aged.ocpi('PUT', '/ocpi/cpo/2.2.1/hubclientinfo/DE/XYZ', net.token, clientInfo(XYZ, 'SUSPENDED'))).status).toBe(200);
      const { client } = await connectStation(aged, 'CP-HUB');
      await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
      await chargeCard(client, 'XYZ-1', 1, Date.parse('2026-11-24T06:00:00Z'));
      await client.close();
      await eventually(async () => expect((await held('pending')).filter((d: { to: unknown }) => JSON.stringify(d.to) === JSON.stringify(XYZ))).toHaveLength(4));

      // Held for an hour, sixty times the maximum age; then the party is back but the hub fails the first push.
      clock.advance(3_600_000);
      net.hub.state.failWith = 503;
      expect((await aged.ocpi('PUT', '/ocpi/cpo/2.2.1/hubclientinfo/DE/XYZ', net.token, clientInfo(XYZ, 'CONNECTED', '2026-02-01T02:00:00Z'))).status).toBe(200);
      // Its first failure starts its age: it waits for the next attempt instead of becoming a dead letter.
      await eventually(async () => expect((await held('failed')).some((d: { to?: unknown }) => JSON.stringify(d.to) === JSON.stringify(XYZ))).toBe(true));
      expect(await held('dead')).toEqual([]);

      net.hub.state.failWith = undefined;
      // Time moves on while we wait: each retry falls due within a second (the backoff here).
      await eventually(async () => {
        clock.advance(1_000);
        expect(await held('pending,failed,dead')).toEqual([]);
      });
      // The two refused during the outage (the session's PUT, the CDR), then everything once, in order.
      expect(net.hub.pushesFor('XYZ-1').map((r) => r.method)).toEqual(['PUT', 'POST', 'PUT', 'PATCH', 'PUT', 'POST']);
      expect(net.hub.store.cdrs.map((c) => c.cdr_token.uid)).toEqual(['XYZ-1']);
      net.hub.stop();
    } finally {
      await aged.stop();
      removeDir(aged.dir);
    }
  });
});
