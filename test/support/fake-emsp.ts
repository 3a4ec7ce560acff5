/**
 * A small but real OCPI 2.2.1 eMSP on its own port, for tests: versions, version details and credentials
 * (both as server and as client), with every request it receives recorded. It checks the tokens it is
 * called with, so a test fails when we send the wrong one.
 */
import { PUBLISHED_ENDPOINTS } from '../../src/sim/emsp/paths.ts';

export interface ReceivedRequest {
  method: string;
  path: string;
  authorization: string | null;
  /** The token as the eMSP understood it (base64-decoded when the header is in the 2.2.1 form). */
  token: string | undefined;
  body: unknown;
  /** Every request header, names lower-cased (to check e.g. the OCPI routing headers we send). */
  headers: Record<string, string>;
}

export interface FakeEmspOptions {
  countryCode?: string;
  partyId?: string;
  /** Versions the eMSP offers (default only 2.2.1). */
  versions?: string[];
  /** Module endpoints published in its 2.2.1 details (default: the usual eMSP set). */
  endpoints?: { identifier: string; role: 'SENDER' | 'RECEIVER' }[];
  /** Send `Authorization: Token <raw>` instead of base64 when the eMSP calls us. */
  rawTokens?: boolean;
  /** The roles in its credentials (default: one EMSP role with countryCode/partyId). */
  roles?: { role: string; country_code: string; party_id: string; name?: string }[];
  /** Further routes, tried before the eMSP's own (e.g. a hub's hubclientinfo Sender list). */
  routes?: (request: { method: string; path: string; url: URL; body: any }) => Response | undefined;
}

/** A success envelope, as the fake platform answers. */
export const ok = (data?: unknown, status = 200) =>
  Response.json({ ...(data === undefined ? {} : { data }), status_code: 1000, status_message: 'Success', timestamp: new Date().toISOString() }, { status });


export function startFakeEmsp(options: FakeEmspOptions = {}) {
  const countryCode = options.countryCode ?? 'DE';
  const partyId = options.partyId ?? 'EMS';
  const received: ReceivedRequest[] = [];
  /** Tokens we (the eMSP) accept from the CPO. */
  const accepted = new Set<string>();
  /** What the CPO pushed to our Receiver interfaces, as an eMSP would store it. */
  const store = {
    locations: new Map<string, any>(),
    tariffs: new Map<string, any>(),
    sessions: new Map<string, any>(),
    cdrs: [] as any[],
    /** CommandResults posted to our response_urls, by the id at the end of the URL. */
    commandResults: new Map<string, any>(),
    /** Charging-profile results posted to our response_urls, in arrival order (duplicates included). */
    profileResults: [] as { id: string; body: any }[],
    /** ActiveChargingProfiles PUT to our ChargingProfiles Sender interface, in arrival order. */
    activeProfiles: [] as { sessionId: string; body: any }[],
  };
  /** Our driver tokens (Sender list) and how we answer real-time authorization per uid. */
  const tokens: any[] = [];
  const authorizations = new Map<string, { allowed: string; authorization_reference?: string } | 'unknown' | 'hang'>();
  const state = {
    /** The token the CPO gave us, which we present to it. */
    tokenForCpo: undefined as string | undefined,
    cpoVersionsUrl: undefined as string | undefined,
    cpoCredentials: undefined as unknown,
    failWith: undefined as number | undefined,
  };
  const fail = (http: number, code: number, message: string) =>
    Response.json({ status_code: code, status_message: message, timestamp: new Date().toISOString() }, { status: http });

  const server: ReturnType<typeof Bun.serve> = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request): Promise<Response> {
      const url = new URL(request.url);
      const authorization = request.headers.get('authorization');
      const sent = /^Token (\S+)$/.exec(authorization ?? '')?.[1];
      const token = sent && Buffer.from(sent, 'base64').toString('base64') === sent ? Buffer.from(sent, 'base64').toString('utf8') : sent;
      const body = request.method === 'GET' || request.method === 'DELETE' ? undefined : await request.json().catch(() => undefined);
      received.push({ method: request.method, path: url.pathname, authorization, token, body, headers: Object.fromEntries(request.headers) });
      if (state.failWith) return fail(state.failWith, 3000, 'Simulated outage');
      if (!token || !accepted.has(token)) return fail(401, 2000, 'Unknown token');
      const routed = options.routes?.({ method: request.method, path: url.pathname, url, body });
      if (routed) return routed;
      if (url.pathname === '/ocpi/versions' && request.method === 'GET')
        return ok((options.versions ?? ['2.2.1']).map((v) => ({ version: v, url: `${base}/ocpi/${v}` })));
      if (url.pathname === '/ocpi/2.2.1' && request.method === 'GET')
        return ok({
          version: '2.2.1',
          endpoints: (options.endpoints ?? PUBLISHED_ENDPOINTS).map((e) => ({ ...e, url: `${base}/ocpi/emsp/2.2.1/${e.identifier}` })),
        });
      if (url.pathname === '/ocpi/emsp/2.2.1/credentials') {
        if (request.method === 'POST') {
          // CPO-initiated registration: read the CPO's versions with the token it sent, answer with ours.
          const theirs = body as { token: string; url: string };
          const versions = (await cpoCall('GET', theirs.url, theirs.token)) as { version: string; url: string }[];
          await cpoCall('GET', versions.find((v) => v.version === '2.2.1')!.url, theirs.token);
          state.tokenForCpo = theirs.token;
          state.cpoVersionsUrl = theirs.url;
          state.cpoCredentials = theirs;
          accepted.clear();
          const tokenC = `emsp-c-${crypto.randomUUID()}`;
          accepted.add(tokenC);
          return ok(credentials(tokenC));
        }
        if (request.method === 'DELETE') {
          accepted.clear();
          state.tokenForCpo = undefined;
          return ok();
        }
        if (request.method === 'GET') return ok(credentials(token));
      }
      if (url.pathname === '/ocpi/emsp/2.2.1/tokens' && request.method === 'GET') return tokenPage(url);
      const authorize = /^\/ocpi\/emsp\/2\.2\.1\/tokens\/([^/]+)\/authorize$/.exec(url.pathname);
      if (authorize && request.method === 'POST') return answerAuthorization(decodeURIComponent(authorize[1]!), url.searchParams.get('type') ?? 'RFID', body);
      const pushed = receive(request.method, url.pathname, body);
      if (pushed) return pushed;
      return fail(404, 2000, `No route ${request.method} ${url.pathname}`);
    },
  });
  const base: string = `http://127.0.0.1:${server.port}`;

  /** Tokens Sender list, paginated with Link headers like a real eMSP (limit capped at 2). */
  function tokenPage(url: URL) {
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 2), 2);
    const page = tokens.slice(offset, offset + limit);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-total-count': String(tokens.length), 'x-limit': '2' };
    if (offset + limit < tokens.length) headers.link = `<${base}/ocpi/emsp/2.2.1/tokens?offset=${offset + limit}&limit=${limit}>; rel="next"`;
    return new Response(JSON.stringify({ data: page, status_code: 1000, timestamp: new Date().toISOString() }), { headers });
  }

  async function answerAuthorization(uid: string, type: string, where: any): Promise<Response> {
    const configured = authorizations.get(uid);
    const token = tokens.find((t) => t.uid === uid && t.type === type) ?? { country_code: countryCode, party_id: partyId, uid, type, contract_id: `C-${uid}`, issuer: 'Fake eMSP', valid: true, whitelist: 'NEVER', last_updated: new Date().toISOString() };
    if (configured === 'hang') await Bun.sleep(60_000);
    if (configured === undefined || configured === 'unknown') return fail(404, 2004, 'Unknown token');
    return ok({ ...(configured as object), token, ...(where ? { location: where } : {}) });
  }

  /** Receiver side of locations, tariffs, sessions and cdrs (OCPI 2.2.1 eMSP interfaces). */
  function receive(method: string, path: string, body: any): Response | undefined {
    const result = /^\/ocpi\/emsp\/2\.2\.1\/commands\/results\/([^/]+)$/.exec(path);
    if (result && method === 'POST') {
      store.commandResults.set(decodeURIComponent(result[1]!), body);
      return ok();
    }
    const profileResult = /^\/ocpi\/emsp\/2\.2\.1\/chargingprofiles\/results\/([^/]+)$/.exec(path);
    if (profileResult && method === 'POST') {
      store.profileResults.push({ id: decodeURIComponent(profileResult[1]!), body });
      return ok();
    }
    const active = /^\/ocpi\/emsp\/2\.2\.1\/chargingprofiles\/([^/]+)$/.exec(path);
    if (active && method === 'PUT') {
      store.activeProfiles.push({ sessionId: decodeURIComponent(active[1]!), body });
      return ok();
    }
    const match = /^\/ocpi\/emsp\/2\.2\.1\/(locations|tariffs|sessions|cdrs)(?:\/(.*))?$/.exec(path);
    if (!match) return undefined;
    const [, module, rest = ''] = match;
    const ids = rest.split('/').filter(Boolean).map(decodeURIComponent);
    if (module === 'cdrs' && method === 'POST') {
      store.cdrs.push(body);
      return new Response(JSON.stringify({ status_code: 1000, timestamp: new Date().toISOString() }), {
        status: 201,
        headers: { 'content-type': 'application/json', location: `${base}/ocpi/emsp/2.2.1/cdrs/${store.cdrs.length}` },
      });
    }
    if (module === 'tariffs') {
      const key = ids.join('/');
      if (method === 'PUT') store.tariffs.set(key, body);
      else if (method === 'DELETE') store.tariffs.delete(key);
      else return undefined;
      return ok();
    }
    if (module === 'sessions') {
      const key = ids.join('/');
      if (method === 'PUT') store.sessions.set(key, body);
      else if (method === 'PATCH') {
        const current = store.sessions.get(key);
        if (!current) return fail(404, 2001, 'Unknown session: PUT it first');
        // PATCH appends charging_periods (OCPI 2.2.1 sessions); other fields replace.
        const { charging_periods, ...fields } = body;
        store.sessions.set(key, { ...current, ...fields, charging_periods: [...(current.charging_periods ?? []), ...(charging_periods ?? [])] });
      } else return undefined;
      return ok();
    }
    if (module === 'locations') {
      const [cc, pid, locationId, evseUid] = ids;
      const key = `${cc}/${pid}/${locationId}`;
      if (method === 'PUT' && !evseUid) store.locations.set(key, body);
      else if (method === 'PATCH' && evseUid) {
        const location = store.locations.get(key);
        const evse = location?.evses?.find((e: any) => e.uid === evseUid);
        if (!evse) return fail(404, 2003, 'Unknown EVSE: PUT the location first');
        Object.assign(evse, body);
        location.last_updated = body.last_updated;
      } else return undefined;
      return ok();
    }
    return undefined;
  }

  function credentials(token: string) {
    return {
      token,
      url: `${base}/ocpi/versions`,
      roles: (options.roles ?? [{ role: 'EMSP', country_code: countryCode, party_id: partyId }]).map(({ name, ...r }) => ({ ...r, business_details: { name: name ?? 'Fake eMSP' } })),
    };
  }

  async function cpoCall(method: string, url: string, token: string, body?: unknown): Promise<unknown> {
    const header = options.rawTokens ? token : Buffer.from(token).toString('base64');
    const response = await fetch(url, {
      method,
      headers: { authorization: `Token ${header}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as { status_code: number; status_message?: string; data?: unknown };
    if (!response.ok || json.status_code !== 1000) throw new Error(`${method} ${url}: HTTP ${response.status} ${json.status_code} ${json.status_message}`);
    return json.data;
  }

  return {
    base,
    versionsUrl: `${base}/ocpi/versions`,
    countryCode,
    partyId,
    received,
    store,
    tokens,
    authorizations,
    state,
    credentials,
    /** A response_url for a command we send, whose CommandResult lands in store.commandResults under `id`. */
    responseUrl: (id: string) => `${base}/ocpi/emsp/2.2.1/commands/results/${id}`,
    /** A response_url for a charging-profile request, whose result lands in store.profileResults under `id`. */
    profileResponseUrl: (id: string) => `${base}/ocpi/emsp/2.2.1/chargingprofiles/results/${id}`,
    /** Hand out a token A for a CPO to register with us (CPO-initiated flow). */
    issueTokenA() {
      const token = `emsp-a-${crypto.randomUUID()}`;
      accepted.add(token);
      return token;
    },
    /** eMSP-initiated registration with the CPO's versions URL and token A. Returns the CPO's credentials. */
    async registerWith(cpoVersionsUrl: string, tokenA: string) {
      const versions = (await cpoCall('GET', cpoVersionsUrl, tokenA)) as { version: string; url: string }[];
      const details = (await cpoCall('GET', versions.find((v) => v.version === '2.2.1')!.url, tokenA)) as {
        endpoints: { identifier: string; url: string }[];
      };
      const credentialsUrl = details.endpoints.find((e) => e.identifier === 'credentials')!.url;
      const tokenB = `emsp-b-${crypto.randomUUID()}`;
      accepted.add(tokenB); // must work before the POST: the CPO calls back with it meanwhile
      const cpo = (await cpoCall('POST', credentialsUrl, tokenA, credentials(tokenB))) as { token: string; url: string };
      state.tokenForCpo = cpo.token;
      state.cpoCredentials = cpo;
      return { credentialsUrl, cpo, tokenB };
    },
    /** Rotate: PUT our new credentials (new token B') with the current CPO token. */
    async rotate(credentialsUrl: string) {
      const tokenB = `emsp-b-${crypto.randomUUID()}`;
      accepted.add(tokenB);
      const cpo = (await cpoCall('PUT', credentialsUrl, state.tokenForCpo!, credentials(tokenB))) as { token: string };
      const previous = state.tokenForCpo;
      state.tokenForCpo = cpo.token;
      return { cpo, previous, tokenB };
    },
    call: cpoCall,
    stop: () => server.stop(true),
  };
}

export type FakeEmsp = ReturnType<typeof startFakeEmsp>;

/** The operator invites the eMSP (token A) and the eMSP registers with it: the credentials handshake of most tests. */
export async function registerInvited(server: { api(method: string, path: string): Promise<{ body: any }> }, emsp: FakeEmsp) {
  const invitation = (await server.api('POST', '/api/v1/ocpi/invitations')).body;
  return emsp.registerWith(invitation.versions_url, invitation.token);
}
