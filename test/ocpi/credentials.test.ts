import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { startFakeEmsp, type FakeEmsp } from '../support/fake-emsp.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';
import { storedBytes } from '../support/test-database.ts';

let cpo: TestServer;
const emsps: FakeEmsp[] = [];
const fakeEmsp = (o?: Parameters<typeof startFakeEmsp>[0]) => {
  const e = startFakeEmsp(o);
  emsps.push(e);
  return e;
};

beforeAll(() => {
  cpo = startTestServer();
});
afterAll(async () => {
  await cpo.stop();
  for (const e of emsps) e.stop();
  removeDir(cpo.dir);
});

async function invite() {
  const { status, body } = await cpo.api('POST', '/api/v1/ocpi/invitations', { name: 'Fake eMSP' });
  expect(status).toBe(201);
  return body as { partner_id: string; token: string; versions_url: string; expires_at: string };
}

describe('an eMSP registers with us using token A', () => {
  test('the whole handshake: versions, details and POST with token A; we call back with token B; token C works', async () => {
    const emsp = fakeEmsp();
    const invitation = await invite();
    expect(invitation.versions_url).toBe(`${cpo.config.publicUrl}/ocpi/versions`);

    const { cpo: ours, tokenB } = await emsp.registerWith(invitation.versions_url, invitation.token);
    expect(ours.url).toBe(invitation.versions_url);
    expect((ours as any).roles).toEqual([
      { role: 'CPO', country_code: 'NL', party_id: 'DYN', business_details: { name: 'Dynamo Test CPO' } },
    ]);
    // We read their versions and details with their token B, base64-encoded.
    // (After registration we also pull their token list with it.)
    const callbacks = emsp.received.filter((r) => r.token === tokenB && r.path !== '/ocpi/emsp/2.2.1/tokens');
    expect(callbacks.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /ocpi/versions', 'GET /ocpi/2.2.1']);
    expect(callbacks[0]!.authorization).toBe(`Token ${Buffer.from(tokenB).toString('base64')}`);

    // Token C opens the functional modules; token A is retired.
    expect((await cpo.ocpi('GET', '/ocpi/cpo/2.2.1/locations', ours.token)).status).toBe(200);
    const retired = await cpo.ocpi('GET', '/ocpi/versions', invitation.token);
    expect(retired.status).toBe(401);
    expect(retired.body.status_code).toBe(2000);

    const partner = await cpo.api('GET', `/api/v1/ocpi/partners/${invitation.partner_id}`);
    expect(partner.body.status).toBe('registered');
    expect(partner.body.roles[0]).toMatchObject({ role: 'EMSP', country_code: 'DE', party_id: 'EMS' });
    expect(partner.body.endpoints.map((e: any) => e.identifier)).toContain('cdrs');
    expect(JSON.stringify(partner.body)).not.toContain(tokenB);

    // GET credentials returns ours with the token the partner uses now.
    const got = await cpo.ocpi('GET', '/ocpi/cpo/2.2.1/credentials', ours.token);
    expect(got.body.data.token).toBe(ours.token);
  });

  test('a partner sending raw (legacy) tokens registers and is served the same', async () => {
    const emsp = fakeEmsp({ rawTokens: true, partyId: 'RAW' });
    const invitation = await invite();
    const { cpo: ours } = await emsp.registerWith(invitation.versions_url, invitation.token);
    const raw = await cpo.ocpi('GET', '/ocpi/cpo/2.2.1/locations', ours.token, undefined, { raw: true });
    expect(raw.status).toBe(200);
    const encoded = await cpo.ocpi('GET', '/ocpi/cpo/2.2.1/locations', ours.token);
    expect(encoded.status).toBe(200);
  });

  test('token A opens only versions and credentials', async () => {
    const invitation = await invite();
    expect((await cpo.ocpi('GET', '/ocpi/versions', invitation.token)).status).toBe(200);
    expect((await cpo.ocpi('GET', '/ocpi/versions/2.2.1', invitation.token)).status).toBe(200);
    expect((await cpo.ocpi('GET', '/ocpi/cpo/2.2.1/credentials', invitation.token)).status).toBe(200);
    for (const path of ['/ocpi/cpo/2.2.1/locations', '/ocpi/cpo/2.2.1/tariffs', '/ocpi/cpo/2.2.1/tokens/DE/EMS/abc']) {
      const response = await cpo.ocpi('GET', path, invitation.token);
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ status_code: 2000 });
      expect(typeof response.body.timestamp).toBe('string');
    }
  });

  test('PUT and DELETE before registering are 405; POST after registering is 405', async () => {
    const emsp = fakeEmsp({ partyId: 'NOT' });
    const invitation = await invite();
    const url = '/ocpi/cpo/2.2.1/credentials';
    const put = await cpo.ocpi('PUT', url, invitation.token, emsp.credentials('x'));
    expect(put.status).toBe(405);
    expect(put.body.status_code).toBe(2000);
    expect((await cpo.ocpi('DELETE', url, invitation.token)).status).toBe(405);

    const { cpo: ours } = await emsp.registerWith(invitation.versions_url, invitation.token);
    const again = await cpo.ocpi('POST', url, ours.token, emsp.credentials('y'));
    expect(again.status).toBe(405);
    // The registration is untouched.
    expect((await cpo.ocpi('GET', '/ocpi/cpo/2.2.1/locations', ours.token)).status).toBe(200);
  });

  test('PUT rotates: endpoints re-read, a new token C issued, the old one stops working', async () => {
    const emsp = fakeEmsp({ partyId: 'ROT' });
    const invitation = await invite();
    const { credentialsUrl } = await emsp.registerWith(invitation.versions_url, invitation.token);
    const before = emsp.received.length;
    const { cpo: rotated, previous, tokenB } = await emsp.rotate(credentialsUrl);
    expect(rotated.token).not.toBe(previous);
    // Versions and details read again, with the new token B'.
    expect(emsp.received.slice(before).filter((r) => r.token === tokenB && r.method === 'GET' && !r.path.includes('/emsp/')).map((r) => r.path)).toEqual(['/ocpi/versions', '/ocpi/2.2.1']);
    expect((await cpo.ocpi('GET', '/ocpi/cpo/2.2.1/locations', previous!)).status).toBe(401);
    expect((await cpo.ocpi('GET', '/ocpi/cpo/2.2.1/locations', rotated.token)).status).toBe(200);
  });

  test('DELETE unregisters: our token for them and theirs for us both stop', async () => {
    const emsp = fakeEmsp({ partyId: 'DEL' });
    const invitation = await invite();
    const { credentialsUrl } = await emsp.registerWith(invitation.versions_url, invitation.token);
    const token = emsp.state.tokenForCpo!;
    const deleted = await cpo.ocpi('DELETE', '/ocpi/cpo/2.2.1/credentials', token);
    expect(deleted.status).toBe(200);
    expect(deleted.body.status_code).toBe(1000);
    expect((await cpo.ocpi('GET', '/ocpi/cpo/2.2.1/locations', token)).status).toBe(401);
    // Once unregistered, every credentials method is refused (the token no longer identifies anyone).
    expect((await cpo.ocpi('DELETE', credentialsUrl.replace(/.*\/ocpi/, '/ocpi'), token)).status).toBe(401);
    const partner = await cpo.api('GET', `/api/v1/ocpi/partners/${invitation.partner_id}`);
    expect(partner.body.status).toBe('unregistered');
  });

  test('an eMSP whose versions cannot be read gets 3001 and stays unregistered', async () => {
    const invitation = await invite();
    const response = await cpo.ocpi('POST', '/ocpi/cpo/2.2.1/credentials', invitation.token, {
      token: 'unreachable-b',
      url: 'http://127.0.0.1:1/ocpi/versions',
      roles: [{ role: 'EMSP', country_code: 'DE', party_id: 'UNR', business_details: { name: 'Unreachable' } }],
    });
    expect(response.body.status_code).toBe(3001);
    expect((await cpo.api('GET', `/api/v1/ocpi/partners/${invitation.partner_id}`)).body.status).toBe('invited');
    // Token A still works for a second attempt.
    expect((await cpo.ocpi('GET', '/ocpi/versions', invitation.token)).status).toBe(200);
  });

  test('no common version gives 3002; no useful endpoints gives 3003', async () => {
    const old = fakeEmsp({ versions: ['2.1.1'], partyId: 'OLD' });
    const a1 = await invite();
    const tokenB = 'b-for-old';
    const accepted = old.issueTokenA(); // any token the fake accepts will do as B
    const r1 = await cpo.ocpi('POST', '/ocpi/cpo/2.2.1/credentials', a1.token, { ...old.credentials(accepted), token: accepted });
    expect(r1.body.status_code).toBe(3002);
    expect(tokenB).toBeTruthy();

    const bare = fakeEmsp({ endpoints: [{ identifier: 'credentials', role: 'SENDER' }], partyId: 'BAR' });
    const a2 = await invite();
    const b2 = bare.issueTokenA();
    const r2 = await cpo.ocpi('POST', '/ocpi/cpo/2.2.1/credentials', a2.token, bare.credentials(b2));
    expect(r2.body.status_code).toBe(3003);
  });

  test('a malformed credentials body is 2001 naming the field, and nothing changes', async () => {
    const invitation = await invite();
    const response = await cpo.ocpi('POST', '/ocpi/cpo/2.2.1/credentials', invitation.token, { token: 'x', url: 'http://x' });
    expect(response.status).toBe(400);
    expect(response.body.status_code).toBe(2001);
    expect(response.body.status_message).toContain('roles');
    expect((await cpo.api('GET', `/api/v1/ocpi/partners/${invitation.partner_id}`)).body.status).toBe('invited');
  });
});

describe('we register with an eMSP using its token A', () => {
  test('versions, details and POST with their token A; they call back with our token B; we keep their token C', async () => {
    const emsp = fakeEmsp({ partyId: 'OUT' });
    const tokenA = emsp.issueTokenA();
    const created = await cpo.api('POST', '/api/v1/ocpi/partners', { versions_url: emsp.versionsUrl, token: tokenA, name: 'Outbound' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'registered', initiated_by: 'cpo', version: '2.2.1' });
    expect(created.body.roles[0]).toMatchObject({ role: 'EMSP', party_id: 'OUT' });

    const withA = emsp.received.filter((r) => r.token === tokenA).map((r) => `${r.method} ${r.path}`);
    expect(withA).toEqual(['GET /ocpi/versions', 'GET /ocpi/2.2.1', 'POST /ocpi/emsp/2.2.1/credentials']);
    const tokenB = (emsp.state.cpoCredentials as { token: string }).token;
    // Token B works on functional modules now that registration is complete.
    expect((await cpo.ocpi('GET', '/ocpi/cpo/2.2.1/locations', tokenB)).status).toBe(200);

    // Unregistering from the operator API calls their DELETE with the token they gave us.
    const removed = await cpo.api('DELETE', `/api/v1/ocpi/partners/${created.body.id}`);
    expect(removed.status).toBe(200);
    expect(removed.body.status).toBe('unregistered');
    const del = emsp.received.at(-1)!;
    expect(del.method).toBe('DELETE');
    expect(del.token).toMatch(/^emsp-c-/);
    expect((await cpo.ocpi('GET', '/ocpi/cpo/2.2.1/locations', tokenB)).status).toBe(401);
  });

  test('an eMSP that refuses our token A gives 502 and leaves no partner behind', async () => {
    const emsp = fakeEmsp({ partyId: 'REF' });
    const before = (await cpo.api('GET', '/api/v1/ocpi/partners')).body.length;
    const created = await cpo.api('POST', '/api/v1/ocpi/partners', { versions_url: emsp.versionsUrl, token: 'not-their-token' });
    expect(created.status).toBe(502);
    expect(created.body.error).toBe('partner_unreachable');
    expect(created.body.message).toContain('versions');
    expect((await cpo.api('GET', '/api/v1/ocpi/partners')).body).toHaveLength(before);
  });

  test('an eMSP whose credentials POST fails after its versions were read gives 502 and leaves no partner behind', async () => {
    // Versions and details answer; the registration itself fails on their side.
    const envelope = (data: unknown) => Response.json({ data, status_code: 1000, timestamp: new Date().toISOString() });
    const broken: ReturnType<typeof Bun.serve> = Bun.serve({
      port: 0,
      hostname: '127.0.0.1',
      fetch(request) {
        const base = `http://127.0.0.1:${broken.port}`;
        const path = new URL(request.url).pathname;
        if (path === '/ocpi/versions') return envelope([{ version: '2.2.1', url: `${base}/ocpi/2.2.1` }]);
        const modules = [['credentials', 'SENDER'], ['locations', 'RECEIVER'], ['sessions', 'RECEIVER'], ['cdrs', 'RECEIVER'], ['tariffs', 'RECEIVER'], ['tokens', 'SENDER']];
        if (path === '/ocpi/2.2.1') return envelope({ version: '2.2.1', endpoints: modules.map(([identifier, role]) => ({ identifier, role, url: `${base}/ocpi/emsp/2.2.1/${identifier}` })) });
        return Response.json({ status_code: 3000, status_message: 'Broken', timestamp: new Date().toISOString() }, { status: 500 });
      },
    });
    const before = (await cpo.api('GET', '/api/v1/ocpi/partners')).body as { id: string }[];
    const created = await cpo.api('POST', '/api/v1/ocpi/partners', { versions_url: `http://127.0.0.1:${broken.port}/ocpi/versions`, token: 'their-token-a' });
    broken.stop(true);
    expect(created.status).toBe(502);
    expect(created.body.message).toContain('Credentials POST');
    expect((await cpo.api('GET', '/api/v1/ocpi/partners')).body).toEqual(before);
  });

  test('an unreachable versions URL gives 502 and leaves no partner behind', async () => {
    // A port nobody listens on: bound, then closed again.
    const closed = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() });
    const versionsUrl = `http://127.0.0.1:${closed.port}/ocpi/versions`;
    await closed.stop(true);
    const before = (await cpo.api('GET', '/api/v1/ocpi/partners')).body as { id: string }[];
    const created = await cpo.api('POST', '/api/v1/ocpi/partners', { versions_url: versionsUrl, token: 'their-token-a', name: 'Nowhere' });
    expect(created.status).toBe(502);
    expect(created.body.message).toContain(versionsUrl);
    expect((await cpo.api('GET', '/api/v1/ocpi/partners')).body).toEqual(before);
  });
});

describe('persistence', () => {
  test('a registered partner survives a restart, with its tokens still hashed at rest', async () => {
    const emsp = fakeEmsp({ partyId: 'RST' });
    const invitation = await invite();
    const { cpo: ours, tokenB } = await emsp.registerWith(invitation.versions_url, invitation.token);
    cpo = await cpo.restart();
    expect((await cpo.ocpi('GET', '/ocpi/cpo/2.2.1/locations', ours.token)).status).toBe(200);
    expect((await cpo.api('GET', `/api/v1/ocpi/partners/${invitation.partner_id}`)).body.status).toBe('registered');
    const bytes = await storedBytes(cpo.config);
    expect(bytes.includes(Buffer.from(invitation.partner_id))).toBe(true); // the partner is there...
    expect(bytes.includes(Buffer.from(ours.token))).toBe(false);
    expect(bytes.includes(Buffer.from(tokenB))).toBe(false);
  });
});

describe('unregistration forgets the partner’s tokens', () => {
  test('a new connection for the same party can push the same tokens again', async () => {
    const first = startFakeEmsp({ partyId: 'TOK' });
    emsps.push(first);
    const a1 = (await cpo.api('POST', '/api/v1/ocpi/invitations')).body;
    const c1 = (await first.registerWith(a1.versions_url, a1.token)).cpo.token;
    const token = { country_code: 'DE', party_id: 'TOK', uid: 'CARD1', type: 'RFID', contract_id: 'C1', issuer: 'x', valid: true, whitelist: 'ALWAYS', last_updated: '2026-01-01T00:00:00Z' };
    expect((await cpo.ocpi('PUT', '/ocpi/cpo/2.2.1/tokens/DE/TOK/CARD1', c1, token)).status).toBe(201);
    expect((await cpo.api('DELETE', `/api/v1/ocpi/partners/${a1.partner_id}`)).status).toBe(200);

    const second = startFakeEmsp({ partyId: 'TOK' });
    emsps.push(second);
    const a2 = (await cpo.api('POST', '/api/v1/ocpi/invitations')).body;
    const c2 = (await second.registerWith(a2.versions_url, a2.token)).cpo.token;
    expect((await cpo.ocpi('PUT', '/ocpi/cpo/2.2.1/tokens/DE/TOK/CARD1', c2, token)).status).toBe(201);
  });
});
