/**
 * A roaming hub for tests: the fake OCPI platform of fake-emsp.ts registered with one role, HUB, speaking for the
 * eMSP parties behind it. It publishes a hubclientinfo Sender list (what we pull at registration) besides the
 * usual eMSP interfaces, serves its token list as one merged list (GET All via a hub), and records every request
 * with its routing headers, so a test can tell which party each of our pushes was addressed to.
 */
import { PUBLISHED_ENDPOINTS } from '../../src/sim/emsp/paths.ts';
import { ok, startFakeEmsp, type ReceivedRequest } from './fake-emsp.ts';

export interface HubParty {
  country_code: string;
  party_id: string;
}

export function startFakeHub(options: { countryCode?: string; partyId?: string; parties: HubParty[] }) {
  const countryCode = options.countryCode ?? 'EU';
  const partyId = options.partyId ?? 'HUB';
  /** The hub's own ClientInfo list: every party behind it, connected. */
  const clientInfo = options.parties.map((p) => ({ ...p, role: 'EMSP', status: 'CONNECTED', last_updated: '2026-01-01T00:00:00Z' }));
  const platform = startFakeEmsp({
    countryCode,
    partyId,
    roles: [{ role: 'HUB', country_code: countryCode, party_id: partyId, name: 'Fake Hub' }],
    endpoints: [...PUBLISHED_ENDPOINTS, { identifier: 'hubclientinfo', role: 'SENDER' }],
    routes: ({ method, path }) => (method === 'GET' && path === '/ocpi/emsp/2.2.1/hubclientinfo' ? ok(clientInfo) : undefined),
  });
  return {
    ...platform,
    clientInfo,
    /** Session PUTs/PATCHes and CDR POSTs about a card's sessions, in the order they came (a PATCH names its session only in the URL). */
    pushesFor(uid: string): ReceivedRequest[] {
      const ofCard = (r: ReceivedRequest) => (r.body as { cdr_token?: { uid: string } } | undefined)?.cdr_token?.uid === uid;
      const sessions = new Set(platform.received.filter((r) => r.path.includes('/sessions/') && ofCard(r)).map((r) => r.path));
      return platform.received.filter((r) => sessions.has(r.path) || (r.path.endsWith('/cdrs') && ofCard(r)));
    },
  };
}

export type FakeHub = ReturnType<typeof startFakeHub>;

/** The routing headers of a request a party sends us through a hub (OCPI 2.2.1: FROM the party, TO us). */
export function routedFrom(party: HubParty, to: HubParty = { country_code: 'NL', party_id: 'DYN' }): Record<string, string> {
  return {
    'ocpi-from-country-code': party.country_code,
    'ocpi-from-party-id': party.party_id,
    'ocpi-to-country-code': to.country_code,
    'ocpi-to-party-id': to.party_id,
  };
}

/** The OCPI-* headers of a request or response. */
export function routingOf(headers: Headers | Record<string, string>): Record<string, string> {
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  return Object.fromEntries(entries.filter(([name]) => name.toLowerCase().startsWith('ocpi-')).map(([name, value]) => [name.toLowerCase(), value]));
}
