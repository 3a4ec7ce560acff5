import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { startFakeEmsp, type FakeEmsp } from '../support/fake-emsp.ts';
import { example } from '../support/mothers/examples.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

const TOKENS = '/ocpi/cpo/2.2.1/tokens';
const DATETIME_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

let cpo: TestServer;
const emsps: FakeEmsp[] = [];
/** Token C of the eMSP with role DE/TNM (owner of token_example_1/2). */
let deTnm: string;
/** Token C of the eMSP with role NL/TNM (owner of token_put_example). */
let nlTnm: string;
/** Token C of an unrelated eMSP, DE/EMS. */
let deEms: string;

let appUser: Record<string, any>;
let fullRfid: Record<string, any>;
let putExample: Record<string, any>;
let patchExample: Record<string, any>;

async function register(countryCode: string, partyId: string): Promise<string> {
  const emsp = startFakeEmsp({ countryCode, partyId });
  emsps.push(emsp);
  const invitation = await cpo.api('POST', '/api/v1/ocpi/invitations', { name: `${countryCode}/${partyId}` });
  expect(invitation.status).toBe(201);
  const { cpo: ours } = await emsp.registerWith(invitation.body.versions_url, invitation.body.token);
  return ours.token;
}

const url = (t: Record<string, any>, type?: string) =>
  `${TOKENS}/${t.country_code}/${t.party_id}/${t.uid}${type ? `?type=${type}` : ''}`;

function expectEnvelope(body: any, statusCode: number) {
  expect(body).toMatchObject({ status_code: statusCode });
  expect(typeof body.timestamp).toBe('string');
  expect(body.timestamp).toMatch(DATETIME_Z);
}

/** An error envelope: HTTP status, OCPI status, no data. */
function expectFailure(response: { status: number; body: any }, http: number, ocpi: number) {
  expect({ http: response.status, ocpi: response.body?.status_code }).toEqual({ http, ocpi });
  expectEnvelope(response.body, ocpi);
  expect(response.body.data ?? undefined).toBeUndefined();
}

beforeAll(async () => {
  cpo = startTestServer();
  [appUser, fullRfid, putExample, patchExample] = [
    example('token_example_1_app_user.json'),
    example('token_example_2_full_rfid.json'),
    example('token_put_example.json'),
    example('token_patch_example.json'),
  ];
  expect([appUser.country_code, appUser.party_id, fullRfid.country_code, fullRfid.party_id]).toEqual(['DE', 'TNM', 'DE', 'TNM']);
  expect([putExample.country_code, putExample.party_id]).toEqual(['NL', 'TNM']);
  deTnm = await register('DE', 'TNM');
  nlTnm = await register('NL', 'TNM');
  deEms = await register('DE', 'EMS');
});

afterAll(async () => {
  await cpo.stop();
  for (const e of emsps) e.stop();
  removeDir(cpo.dir);
});

describe('Tokens Receiver: the official examples', () => {
  test('token_example_1_app_user: PUT with ?type=APP_USER creates (201), is served back exactly, PUT again replaces (200)', async () => {
    const created = await cpo.ocpi('PUT', url(appUser, 'APP_USER'), deTnm, appUser);
    expect(created.status).toBe(201);
    expectEnvelope(created.body, 1000);
    expect(created.body.data).toBeUndefined(); // the spec defines no data for a PUT response

    const got = await cpo.ocpi('GET', url(appUser, 'APP_USER'), deTnm);
    expect(got.status).toBe(200);
    expectEnvelope(got.body, 1000);
    expect(got.body.data).toEqual(appUser);

    const replaced = await cpo.ocpi('PUT', url(appUser, 'APP_USER'), deTnm, { ...appUser, whitelist: 'NEVER', last_updated: '2018-12-11T08:00:00Z' });
    expect(replaced.status).toBe(200);
    expectEnvelope(replaced.body, 1000);
    expect((await cpo.ocpi('GET', url(appUser, 'APP_USER'), deTnm)).body.data).toEqual({
      ...appUser,
      whitelist: 'NEVER',
      last_updated: '2018-12-11T08:00:00Z',
    });

    // Back to the example as published.
    expect((await cpo.ocpi('PUT', url(appUser, 'APP_USER'), deTnm, appUser)).status).toBe(200);
    expect((await cpo.ocpi('GET', url(appUser, 'APP_USER'), deTnm)).body.data).toEqual(appUser);
  });

  test('type defaults to RFID: the APP_USER token is not found without ?type=APP_USER', async () => {
    const withoutType = await cpo.ocpi('GET', url(appUser), deTnm);
    expectFailure(withoutType, 404, 2004);
    const asRfid = await cpo.ocpi('GET', url(appUser, 'RFID'), deTnm);
    expectFailure(asRfid, 404, 2004);
    expect((await cpo.ocpi('GET', url(appUser, 'APP_USER'), deTnm)).status).toBe(200);
  });

  test('token_example_2_full_rfid: PUT without ?type (RFID by default) and GET return every field as sent', async () => {
    const created = await cpo.ocpi('PUT', url(fullRfid), deTnm, fullRfid);
    expect(created.status).toBe(201);
    expectEnvelope(created.body, 1000);
    const got = await cpo.ocpi('GET', url(fullRfid), deTnm);
    expect(got.status).toBe(200);
    expect(got.body.data).toEqual(fullRfid);
    // ?type=RFID names the same token.
    expect((await cpo.ocpi('GET', url(fullRfid, 'RFID'), deTnm)).body.data).toEqual(fullRfid);
    expect((await cpo.ocpi('PUT', url(fullRfid, 'RFID'), deTnm, fullRfid)).status).toBe(200);
  });

  test('the same uid as RFID and as APP_USER are two tokens', async () => {
    const rfidTwin = { ...appUser, type: 'RFID', contract_id: 'DE8ACC12E46L90', last_updated: '2019-01-01T00:00:00Z' };
    expect((await cpo.ocpi('PUT', url(appUser), deTnm, rfidTwin)).status).toBe(201);
    expect((await cpo.ocpi('GET', url(appUser), deTnm)).body.data).toEqual(rfidTwin);
    expect((await cpo.ocpi('GET', url(appUser, 'APP_USER'), deTnm)).body.data).toEqual(appUser);
  });

  test('token_put_example + token_patch_example: PATCH changes only the given fields', async () => {
    const created = await cpo.ocpi('PUT', url(putExample), nlTnm, putExample);
    expect(created.status).toBe(201);
    expect((await cpo.ocpi('GET', url(putExample), nlTnm)).body.data).toEqual(putExample);

    const patched = await cpo.ocpi('PATCH', url(putExample), nlTnm, patchExample);
    expect(patched.status).toBe(200);
    expectEnvelope(patched.body, 1000);
    expect(patched.body.data).toBeUndefined();
    const got = await cpo.ocpi('GET', url(putExample), nlTnm);
    expect(got.body.data).toEqual({ ...putExample, valid: false, last_updated: '2019-06-19T02:11:11Z' });
  });

  test('PATCH without last_updated is 400 + 2001 and changes nothing', async () => {
    const before = (await cpo.ocpi('GET', url(putExample), nlTnm)).body.data;
    const response = await cpo.ocpi('PATCH', url(putExample), nlTnm, { valid: true, whitelist: 'NEVER' });
    expectFailure(response, 400, 2001);
    expect(response.body.status_message).toContain('last_updated');
    expect((await cpo.ocpi('GET', url(putExample), nlTnm)).body.data).toEqual(before);
  });

  test('PATCH of an unknown token is 404 + 2004 and creates nothing', async () => {
    const unknown = { country_code: 'NL', party_id: 'TNM', uid: 'NO-SUCH-TOKEN' };
    expectFailure(await cpo.ocpi('PATCH', url(unknown), nlTnm, patchExample), 404, 2004);
    // The existing RFID token is not found as APP_USER either.
    expectFailure(await cpo.ocpi('PATCH', url(putExample, 'APP_USER'), nlTnm, patchExample), 404, 2004);
    expectFailure(await cpo.ocpi('GET', url(unknown), nlTnm), 404, 2004);
    expectFailure(await cpo.ocpi('GET', url(putExample, 'APP_USER'), nlTnm), 404, 2004);
  });
});

describe('Tokens Receiver: CiString ids', () => {
  test('uid, country_code and party_id in the URL are case-insensitive', async () => {
    const upperUid = { ...appUser, uid: appUser.uid.toUpperCase() };
    expect(upperUid.uid).not.toBe(appUser.uid);
    const got = await cpo.ocpi('GET', url(upperUid, 'APP_USER'), deTnm);
    expect(got.status).toBe(200);
    expect(got.body.data).toEqual(appUser);

    const lower = { country_code: 'de', party_id: 'tnm', uid: appUser.uid };
    expect((await cpo.ocpi('GET', url(lower, 'APP_USER'), deTnm)).body.data).toEqual(appUser);
  });

  test('a token PUT with an upper-case uid is found with the lower-case uid, and a PUT on either replaces the same token', async () => {
    const token = { ...fullRfid, uid: 'ABCDEF0123', last_updated: '2020-01-01T00:00:00Z' };
    expect((await cpo.ocpi('PUT', url(token), deTnm, token)).status).toBe(201);
    const lowerUrl = url({ ...token, uid: 'abcdef0123' });
    expect((await cpo.ocpi('GET', lowerUrl, deTnm)).body.data).toEqual(token);
    const replacement = { ...token, uid: 'abcdef0123', valid: false, last_updated: '2020-01-02T00:00:00Z' };
    expect((await cpo.ocpi('PUT', lowerUrl, deTnm, replacement)).status).toBe(200);
    expect((await cpo.ocpi('GET', url(token), deTnm)).body.data).toEqual(replacement);
  });
});

describe('Tokens Receiver: ownership and validation', () => {
  test('a partner writing a token of another country_code/party_id gets 403 and nothing is stored', async () => {
    const foreign = { ...fullRfid, uid: 'FOREIGN-0001' };
    const response = await cpo.ocpi('PUT', url(foreign), deEms, foreign);
    expectFailure(response, 403, 2000);
    expect(typeof response.body.status_message).toBe('string');
    // The rightful owner (DE/TNM) does not find it.
    expectFailure(await cpo.ocpi('GET', url(foreign), deTnm), 404, 2004);
  });

  test('a partner cannot PATCH another party’s token', async () => {
    const response = await cpo.ocpi('PATCH', url(fullRfid), deEms, patchExample);
    expectFailure(response, 403, 2000);
    expect((await cpo.ocpi('GET', url(fullRfid), deTnm)).body.data).toEqual(fullRfid);
  });

  test('a second partner cannot read the first partner’s tokens', async () => {
    for (const [token, path] of [
      [deEms, url(fullRfid)],
      [deEms, url(appUser, 'APP_USER')],
      [nlTnm, url(fullRfid)],
      [deTnm, url(putExample)],
    ] as const) {
      const response = await cpo.ocpi('GET', path, token);
      expect([403, 404]).toContain(response.status);
      expect(response.body.status_code).not.toBe(1000);
      expectEnvelope(response.body, response.body.status_code);
      expect(response.body.data).toBeUndefined();
      expect(JSON.stringify(response.body)).not.toContain('DE8ACC12E46L89');
    }
  });

  test('a second connection claiming the same role cannot read, overwrite or take over the first partner’s tokens', async () => {
    const original = { ...fullRfid, uid: 'OWNED-BY-FIRST-1', last_updated: '2021-05-01T00:00:00Z' };
    expect((await cpo.ocpi('PUT', url(original), deTnm, original)).status).toBe(201);

    // Roles in a Credentials object are self-declared: a second platform says it is DE/TNM too.
    let impostor: string | undefined;
    try {
      impostor = await register('DE', 'TNM');
    } catch {
      impostor = undefined; // refusing the duplicate role at registration is an acceptable outcome
    }
    if (impostor) {
      const read = await cpo.ocpi('GET', url(original), impostor);
      expect(read.status).not.toBe(200);
      expect(read.body.data).toBeUndefined();
      const write = await cpo.ocpi('PUT', url(original), impostor, { ...original, valid: false, last_updated: '2021-05-02T00:00:00Z' });
      expect(write.status).not.toBe(200);
      expect(write.status).not.toBe(201);
      const patch = await cpo.ocpi('PATCH', url(original), impostor, { valid: false, last_updated: '2021-05-03T00:00:00Z' });
      expect(patch.body.status_code).not.toBe(1000);
    }
    // The first partner's token is unchanged and still its own.
    expect((await cpo.ocpi('GET', url(original), deTnm)).body.data).toEqual(original);
    const authorized = await cpo.ocpi('POST', `${TOKENS}/${original.uid}/authorize`, deTnm);
    expect(authorized.status).toBe(200);
    expect(authorized.body.data).toMatchObject({ allowed: 'ALLOWED', token: original });
  });

  test('body country_code/party_id differing from the URL is 400 + 2001 and nothing is stored', async () => {
    // The URL is the caller's own role, but the body claims another party.
    const token = { ...fullRfid, uid: 'MISMATCH-CC-1', country_code: 'DE', party_id: 'TNM' };
    const response = await cpo.ocpi('PUT', `${TOKENS}/DE/EMS/MISMATCH-CC-1`, deEms, token);
    expectFailure(response, 400, 2001);
    expect(response.body.status_message).toContain('party_id');
    expectFailure(await cpo.ocpi('GET', `${TOKENS}/DE/EMS/MISMATCH-CC-1`, deEms), 404, 2004);
    expectFailure(await cpo.ocpi('GET', url(token), deTnm), 404, 2004);
  });

  test('URL uid differing from the body is 400 + 2001 and nothing is stored', async () => {
    const token = { ...fullRfid, uid: 'BODY-UID-1' };
    const response = await cpo.ocpi('PUT', url({ ...token, uid: 'URL-UID-1' }), deTnm, token);
    expectFailure(response, 400, 2001);
    expect(response.body.status_message).toContain('uid');
    expectFailure(await cpo.ocpi('GET', url({ ...token, uid: 'URL-UID-1' }), deTnm), 404, 2004);
    expectFailure(await cpo.ocpi('GET', url(token), deTnm), 404, 2004);
  });

  test('URL type differing from the body type is 400 + 2001 and nothing is stored', async () => {
    const app = { ...appUser, uid: 'TYPE-MISMATCH-1' };
    // No ?type means RFID, the body says APP_USER.
    const implicit = await cpo.ocpi('PUT', url(app), deTnm, app);
    expectFailure(implicit, 400, 2001);
    expect(implicit.body.status_message).toContain('type');
    const explicit = await cpo.ocpi('PUT', url(app, 'AD_HOC_USER'), deTnm, app);
    expectFailure(explicit, 400, 2001);
    for (const type of [undefined, 'APP_USER', 'AD_HOC_USER']) expectFailure(await cpo.ocpi('GET', url(app, type), deTnm), 404, 2004);
  });

  test('an unknown ?type is 400 + 2001', async () => {
    const response = await cpo.ocpi('GET', url(fullRfid, 'CREDIT_CARD'), deTnm);
    expectFailure(response, 400, 2001);
    expect(response.body.status_message).toContain('type');
  });

  test('a malformed body is 400 + 2001 naming the field, and nothing is stored', async () => {
    const cases: [string, Record<string, unknown>][] = [
      ['whitelist', { ...fullRfid, uid: 'BAD-1', whitelist: 'SOMETIMES' }],
      ['issuer', (({ issuer: _, ...rest }) => ({ ...rest, uid: 'BAD-2' }))(fullRfid)],
      ['valid', { ...fullRfid, uid: 'BAD-3', valid: 'yes' }],
      ['last_updated', { ...fullRfid, uid: 'BAD-4', last_updated: '2018-12-10T17:25:10+01:00' }],
      ['contract_id', { ...fullRfid, uid: 'BAD-5', contract_id: 'X'.repeat(37) }],
      ['supplier_name', { ...fullRfid, uid: 'BAD-6', energy_contract: { contract_id: '1' } }],
    ];
    for (const [field, body] of cases) {
      const response = await cpo.ocpi('PUT', url(body as any), deTnm, body);
      expectFailure(response, 400, 2001);
      expect({ field, message: response.body.status_message }).toEqual({ field, message: expect.stringContaining(field) });
      expectFailure(await cpo.ocpi('GET', url(body as any), deTnm), 404, 2004);
    }
  });

  test('POST and DELETE on a token are not offered (tokens are invalidated, never deleted)', async () => {
    for (const method of ['DELETE', 'POST']) {
      const response = await cpo.ocpi(method, url(fullRfid), deTnm, method === 'POST' ? fullRfid : undefined);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.body.status_code).not.toBe(1000);
    }
    expect((await cpo.ocpi('GET', url(fullRfid), deTnm)).body.data).toEqual(fullRfid);
  });
});

describe('real-time authorization extension: POST {tokens}/{uid}/authorize', () => {
  const LOCATION_ID = 'TOK-AUTH-LOC-1';
  const authToken = () => ({ ...fullRfid, uid: 'AUTH-RFID-1', valid: true, last_updated: '2021-03-01T10:00:00Z' });

  beforeAll(async () => {
    const connector = { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 16 };
    const location = await cpo.api('PUT', `/api/v1/locations/${LOCATION_ID}`, {
      publish: true,
      name: 'Token authorization test site',
      address: 'Stationsplein 1',
      city: 'Amsterdam',
      postal_code: '1012 AB',
      country: 'NLD',
      coordinates: { latitude: '52.37403', longitude: '4.88969' },
      time_zone: 'Europe/Amsterdam',
      evses: [
        { uid: 'TOK-EVSE-1', status: 'AVAILABLE', connectors: [connector] },
        { uid: 'TOK-EVSE-2', status: 'CHARGING', connectors: [connector] },
        { uid: 'TOK-EVSE-3', status: 'REMOVED', connectors: [connector] },
      ],
    });
    expect(location.status).toBe(201);
    expect((await cpo.ocpi('PUT', url(authToken()), deTnm, authToken())).status).toBe(201);
  });

  const authorize = (uid: string, token: string, body?: unknown, type?: string) =>
    cpo.ocpi('POST', `${TOKENS}/${uid}/authorize${type ? `?type=${type}` : ''}`, token, body);

  test('a valid token is ALLOWED and AuthorizationInfo.token is the full token', async () => {
    const response = await authorize('AUTH-RFID-1', deTnm);
    expect(response.status).toBe(200);
    expectEnvelope(response.body, 1000);
    expect(response.body.data.allowed).toBe('ALLOWED');
    expect(response.body.data.token).toEqual(authToken());
    expect(response.body.data.location).toBeUndefined();
    // The uid is a CiString.
    expect((await authorize('auth-rfid-1', deTnm)).body.data.allowed).toBe('ALLOWED');
  });

  test('type defaults to RFID: the APP_USER example needs ?type=APP_USER', async () => {
    // Only an APP_USER token with this uid: without ?type it is unknown.
    const appOnly = { ...appUser, uid: 'APP-ONLY-0001' };
    expect((await cpo.ocpi('PUT', url(appOnly, 'APP_USER'), deTnm, appOnly)).status).toBe(201);
    expectFailure(await authorize(appOnly.uid, deTnm), 404, 2004);
    const app = await authorize(appOnly.uid, deTnm, undefined, 'APP_USER');
    expect(app.status).toBe(200);
    expect(app.body.data.token).toEqual(appOnly);

    // The example's uid exists both as APP_USER and (from an earlier test) as RFID: ?type picks the token.
    const rfid = await authorize(appUser.uid, deTnm);
    expect(rfid.body.data.token).toMatchObject({ uid: appUser.uid, type: 'RFID', contract_id: 'DE8ACC12E46L90' });
    const response = await authorize(appUser.uid, deTnm, undefined, 'APP_USER');
    expect(response.status).toBe(200);
    expect(response.body.data.allowed).toBe('ALLOWED');
    expect(response.body.data.token).toEqual(appUser);
  });

  test('with an existing location: the location is echoed with the usable EVSE uids', async () => {
    const all = await authorize('AUTH-RFID-1', deTnm, { location_id: LOCATION_ID });
    expect(all.status).toBe(200);
    expectEnvelope(all.body, 1000);
    expect(all.body.data.allowed).toBe('ALLOWED');
    expect(all.body.data.token).toEqual(authToken());
    expect(all.body.data.location.location_id).toBe(LOCATION_ID);
    expect([...all.body.data.location.evse_uids].sort()).toEqual(['TOK-EVSE-1', 'TOK-EVSE-2']);

    const one = await authorize('AUTH-RFID-1', deTnm, { location_id: LOCATION_ID, evse_uids: ['TOK-EVSE-2'] });
    expect(one.body.data).toMatchObject({ allowed: 'ALLOWED', location: { location_id: LOCATION_ID, evse_uids: ['TOK-EVSE-2'] } });
  });

  test('an unknown location is 404 + 2003', async () => {
    expectFailure(await authorize('AUTH-RFID-1', deTnm, { location_id: 'NO-SUCH-LOCATION' }), 404, 2003);
  });

  test('an unknown token is 404 + 2004, also with a location', async () => {
    expectFailure(await authorize('NO-SUCH-TOKEN', deTnm), 404, 2004);
    expectFailure(await authorize('NO-SUCH-TOKEN', deTnm, { location_id: LOCATION_ID }), 404, 2004);
  });

  test('another partner cannot authorize the token (it is unknown to them)', async () => {
    expectFailure(await authorize('AUTH-RFID-1', deEms), 404, 2004);
    expectFailure(await authorize('AUTH-RFID-1', nlTnm, { location_id: LOCATION_ID }), 404, 2004);
  });

  test('a malformed LocationReferences body is 400 + 2001', async () => {
    const response = await authorize('AUTH-RFID-1', deTnm, { evse_uids: ['TOK-EVSE-1'] });
    expectFailure(response, 400, 2001);
    expectFailure(await authorize('AUTH-RFID-1', deTnm, { location_id: 42 }), 400, 2001);
  });

  test('a body that is not valid JSON is 400 + 2001, never an authorization that skipped the location check', async () => {
    // A truncated LocationReferences naming a location that does not exist.
    const response = await fetch(`${cpo.url}${TOKENS}/AUTH-RFID-1/authorize`, {
      method: 'POST',
      headers: { authorization: `Token ${Buffer.from(deTnm).toString('base64')}`, 'content-type': 'application/json' },
      body: '{"location_id": "NO-SUCH-LOCATION"',
    });
    const body = (await response.json()) as any;
    expect({ http: response.status, ocpi: body.status_code, allowed: body.data?.allowed }).toEqual({ http: 400, ocpi: 2001, allowed: undefined });
  });

  test('after PATCH valid=false the token is BLOCKED, with or without a location', async () => {
    const patch = await cpo.ocpi('PATCH', url(authToken()), deTnm, { valid: false, last_updated: '2021-03-02T10:00:00Z' });
    expect(patch.status).toBe(200);
    const blocked = await authorize('AUTH-RFID-1', deTnm);
    expect(blocked.status).toBe(200);
    expectEnvelope(blocked.body, 1000);
    expect(blocked.body.data.allowed).toBe('BLOCKED');
    expect(blocked.body.data.token).toEqual({ ...authToken(), valid: false, last_updated: '2021-03-02T10:00:00Z' });
    const atLocation = await authorize('AUTH-RFID-1', deTnm, { location_id: LOCATION_ID });
    expect(atLocation.body.data.allowed).toBe('BLOCKED');
    expect(atLocation.body.data.location).toBeUndefined();
  });
});
