import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { startFakeEmsp, type FakeEmsp } from '../support/fake-emsp.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

const TTL_SECONDS = 3600;

let cpo: TestServer;
const emsps: FakeEmsp[] = [];

beforeAll(() => {
  cpo = startTestServer({ env: { INVITATION_TTL_S: String(TTL_SECONDS) } });
});
afterAll(async () => {
  await cpo.stop();
  for (const e of emsps) e.stop();
  removeDir(cpo.dir);
});

interface Invitation {
  partner_id: string;
  token: string;
  versions_url: string;
  expires_at: string;
}

async function invite(name?: string): Promise<Invitation> {
  const response = await cpo.api('POST', '/api/v1/ocpi/invitations', name === undefined ? undefined : { name });
  expect(response.status).toBe(201);
  return response.body as Invitation;
}

describe('invitations', () => {
  test('POST returns {partner_id, token, versions_url, expires_at} and the token opens GET /ocpi/versions', async () => {
    const before = Date.now();
    const invitation = await invite('Invited eMSP');
    expect(Object.keys(invitation).sort()).toEqual(['expires_at', 'partner_id', 'token', 'versions_url']);
    expect(invitation.versions_url).toBe(`${cpo.config.publicUrl}/ocpi/versions`);
    expect(invitation.token.length).toBeGreaterThanOrEqual(32);
    expect(invitation.token.length).toBeLessThanOrEqual(64);
    expect(invitation.token).toMatch(/^[\x21-\x7e]+$/);
    const expires = Date.parse(invitation.expires_at);
    expect(expires).toBeGreaterThanOrEqual(before + TTL_SECONDS * 1000 - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + TTL_SECONDS * 1000 + 1000);

    const versions = await cpo.ocpi('GET', '/ocpi/versions', invitation.token);
    expect(versions.status).toBe(200);
    expect(versions.body.status_code).toBe(1000);
    expect(versions.body.data).toContainEqual({ version: '2.2.1', url: expect.stringContaining('/2.2.1') });
    // The versions URL handed out is the one that works (raw legacy header too).
    expect((await cpo.ocpi('GET', new URL(invitation.versions_url).pathname, invitation.token, undefined, { raw: true })).status).toBe(200);
  });

  test('the name is optional and every invitation gets its own partner and token', async () => {
    const a = await invite();
    const b = await invite('Second');
    expect(a.partner_id).not.toBe(b.partner_id);
    expect(a.token).not.toBe(b.token);
    const view = await cpo.api('GET', `/api/v1/ocpi/partners/${a.partner_id}`);
    expect(view.status).toBe(200);
    expect(view.body.name).toBeUndefined();
  });

  test('creating an invitation needs an API key', async () => {
    const response = await fetch(`${cpo.url}/api/v1/ocpi/invitations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'no key' }),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as any).error).toBe('unauthorized');
    const names = (await cpo.api('GET', '/api/v1/ocpi/partners')).body.map((p: any) => p.name);
    expect(names).not.toContain('no key');
  });

  test('a body that is not valid JSON is 400 and creates no partner', async () => {
    const count = (await cpo.api('GET', '/api/v1/ocpi/partners')).body.length;
    const response = await cpo.api('POST', '/api/v1/ocpi/invitations', '{"name": "broken');
    expect(response.status).toBe(400);
    expect(typeof response.body.error).toBe('string');
    expect(response.body.token).toBeUndefined();
    expect((await cpo.api('GET', '/api/v1/ocpi/partners')).body.length).toBe(count);
  });

  test('a name longer than 100 characters is 400 naming name', async () => {
    const response = await cpo.api('POST', '/api/v1/ocpi/invitations', { name: 'n'.repeat(101) });
    expect(response.status).toBe(400);
    expect(response.body.message).toContain('name');
  });
});

describe('partners', () => {
  test('list and get show an invited partner as invited, without its token', async () => {
    const invitation = await invite('Listed eMSP');
    const list = await cpo.api('GET', '/api/v1/ocpi/partners');
    expect(list.status).toBe(200);
    const listed = list.body.find((p: any) => p.id === invitation.partner_id);
    expect(listed).toMatchObject({ id: invitation.partner_id, name: 'Listed eMSP', status: 'invited', initiated_by: 'emsp', roles: [], endpoints: [] });
    expect(Number.isNaN(Date.parse(listed.created_at))).toBe(false);

    const one = await cpo.api('GET', `/api/v1/ocpi/partners/${invitation.partner_id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(listed);
    expect(JSON.stringify(list.body)).not.toContain(invitation.token);
    expect(JSON.stringify(one.body)).not.toContain(invitation.token);
  });

  test('DELETE of an invited partner unregisters it and its token A stops working', async () => {
    const invitation = await invite('Withdrawn');
    expect((await cpo.ocpi('GET', '/ocpi/versions', invitation.token)).status).toBe(200);
    const removed = await cpo.api('DELETE', `/api/v1/ocpi/partners/${invitation.partner_id}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ id: invitation.partner_id, status: 'unregistered' });
    expect(removed.body.remote_error).toBeUndefined();

    for (const path of ['/ocpi/versions', '/ocpi/versions/2.2.1', '/ocpi/cpo/2.2.1/credentials']) {
      const refused = await cpo.ocpi('GET', path, invitation.token);
      expect({ path, status: refused.status }).toEqual({ path, status: 401 });
      expect(refused.body.status_code).toBe(2000);
    }
    // Nor can it be used to register.
    const emsp = startFakeEmsp({ partyId: 'WDR' });
    emsps.push(emsp);
    await expect(emsp.registerWith(invitation.versions_url, invitation.token)).rejects.toThrow();
    expect((await cpo.api('GET', `/api/v1/ocpi/partners/${invitation.partner_id}`)).body.status).toBe('unregistered');
    // Deleting again is harmless.
    const again = await cpo.api('DELETE', `/api/v1/ocpi/partners/${invitation.partner_id}`);
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('unregistered');
  });

  test('an unknown partner id is 404 {error, message} on GET and DELETE', async () => {
    for (const method of ['GET', 'DELETE']) {
      const response = await cpo.api(method, '/api/v1/ocpi/partners/00000000-0000-4000-8000-000000000000');
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ error: 'not_found' });
      expect(typeof response.body.message).toBe('string');
    }
  });

  test('a registered partner is shown with its roles and endpoints, and DELETE calls its credentials DELETE and stops token C', async () => {
    const emsp = startFakeEmsp({ countryCode: 'BE', partyId: 'REG' });
    emsps.push(emsp);
    const invitation = await invite('Registered eMSP');
    const { cpo: ours, tokenB } = await emsp.registerWith(invitation.versions_url, invitation.token);

    const view = await cpo.api('GET', `/api/v1/ocpi/partners/${invitation.partner_id}`);
    expect(view.body).toMatchObject({ status: 'registered', initiated_by: 'emsp', version: '2.2.1', versions_url: emsp.versionsUrl });
    expect(view.body.roles).toEqual([{ role: 'EMSP', country_code: 'BE', party_id: 'REG', business_details: { name: 'Fake eMSP' } }]);
    expect(view.body.endpoints.map((e: any) => e.identifier)).toContain('credentials');
    expect(Number.isNaN(Date.parse(view.body.registered_at))).toBe(false);
    for (const secret of [ours.token, tokenB, invitation.token]) expect(JSON.stringify(view.body)).not.toContain(secret);

    expect((await cpo.ocpi('GET', '/ocpi/cpo/2.2.1/locations', ours.token)).status).toBe(200);
    const removed = await cpo.api('DELETE', `/api/v1/ocpi/partners/${invitation.partner_id}`);
    expect(removed.status).toBe(200);
    expect(removed.body.status).toBe('unregistered');
    expect(removed.body.remote_error).toBeUndefined();
    const call = emsp.received.at(-1)!;
    expect(`${call.method} ${call.path}`).toBe('DELETE /ocpi/emsp/2.2.1/credentials');
    expect(call.token).toBe(tokenB);
    expect((await cpo.ocpi('GET', '/ocpi/cpo/2.2.1/locations', ours.token)).status).toBe(401);
    expect((await cpo.ocpi('GET', '/ocpi/versions', ours.token)).status).toBe(401);
  });

  test('an invitation whose TTL passed no longer opens versions', async () => {
    const clock = new ManualClock('2026-11-20T12:00:00.000Z');
    const short = startTestServer({ env: { INVITATION_TTL_S: '1' }, clock });
    try {
      const response = await short.api('POST', '/api/v1/ocpi/invitations', { name: 'Expiring' });
      expect(response.status).toBe(201);
      expect((await short.ocpi('GET', '/ocpi/versions', response.body.token)).status).toBe(200);
      // Up to the last millisecond before expires_at the invitation still opens versions; at expires_at it no longer does.
      clock.advance(Date.parse(response.body.expires_at) - clock.now().getTime() - 1);
      expect((await short.ocpi('GET', '/ocpi/versions', response.body.token)).status).toBe(200);
      clock.advance(1);
      const expired = await short.ocpi('GET', '/ocpi/versions', response.body.token);
      expect(expired.status).toBe(401);
      expect(expired.body.status_code).toBe(2000);
    } finally {
      await short.stop();
      removeDir(short.dir);
    }
  });
});
