/**
 * What the simulated eMSP keeps of the CPO it is registered with: where it lives, the token it gave us, its
 * endpoints and roles. Calls to the CPO's functional modules carry the routing headers (OCPI-from = us,
 * OCPI-to = the CPO), which the CPO checks against the roles we registered.
 */
import type { CredentialsRole } from '../../model/ocpi/credentials.ts';
import type { Endpoint } from '../../model/ocpi/versions.ts';

export interface CpoLink {
  versionsUrl: string;
  /** The token the CPO gave us to present to it (C when we initiated, its B when it did). */
  token: string;
  endpoints: Endpoint[];
  roles: CredentialsRole[];
}

export interface PartyIdentity {
  countryCode: string;
  partyId: string;
  name: string;
}

/** The CPO role we address; a platform may list several roles, the CPO one is what we talk to. */
export function cpoRole(link: CpoLink): CredentialsRole | undefined {
  return link.roles.find((r) => r.role === 'CPO') ?? link.roles[0];
}

export function routingHeaders(us: PartyIdentity, link: CpoLink): Record<string, string> {
  const to = cpoRole(link);
  return {
    'ocpi-from-country-code': us.countryCode,
    'ocpi-from-party-id': us.partyId,
    ...(to ? { 'ocpi-to-country-code': to.country_code, 'ocpi-to-party-id': to.party_id } : {}),
  };
}
