/**
 * The parties behind one OCPI connection (OCPI 2.2.1 credentials roles; transport_and_format, "Message routing").
 * A platform lists every party it hosts as a role; a hub lists only itself (role HUB) and carries requests of
 * any party connected to it, naming that party in the routing headers.
 */
import type { CredentialsRole } from '../model/ocpi/credentials.ts';

/** A party as OCPI names it in roles, routing headers and the URLs of client-owned objects. */
export interface Party {
  country_code: string;
  party_id: string;
}

/** Who reads through a partner connection: the connection, and the parties the request acts for in it. */
export interface Reader {
  partnerId: string;
  parties: Party[];
}

/** country_code and party_id are CiStrings: compared case-insensitively. */
export function sameParty(a: Party, b: Party): boolean {
  return a.country_code.toUpperCase() === b.country_code.toUpperCase() && a.party_id.toUpperCase() === b.party_id.toUpperCase();
}

/** Only the two fields that name the party (a role also carries its Role and business details). */
export function partyOf(p: Party): Party {
  return { country_code: p.country_code, party_id: p.party_id };
}

export function isHub(roles: readonly Pick<CredentialsRole, 'role'>[]): boolean {
  return roles.some((r) => r.role === 'HUB');
}

/** Whether a connection may act for `party`: a party it registered as one of its roles, or any party through a hub. */
export function speaksFor(roles: readonly CredentialsRole[], party: Party): boolean {
  return isHub(roles) || roles.some((r) => sameParty(r, party));
}

/**
 * Whether a request may write or command with data of `owner` (a token it pushes, a command's token): a party
 * the connection speaks for and, when the request names a party other than a hub itself, that party.
 */
export function mayActFor(roles: readonly CredentialsRole[], named: Party | undefined, owner: Party): boolean {
  if (!speaksFor(roles, owner)) return false;
  return !named || sameParty(named, owner) || roles.some((r) => r.role === 'HUB' && sameParty(r, named));
}

/** Whether data of `owner` (a session's or CDR's token owner) is among what a reader may see. */
export function readsFor(reader: Pick<Reader, 'parties'>, owner: Party): boolean {
  return reader.parties.some((p) => sameParty(p, owner));
}

/**
 * Whom a message for the connection as a whole is addressed to (OCPI-to-*): a hub itself (a broadcast push,
 * which the hub hands to every party it connects), else the platform's eMSP role, else its first role.
 */
export function connectionAddressee(roles: readonly CredentialsRole[]): Party | undefined {
  const role = roles.find((r) => r.role === 'HUB') ?? roles.find((r) => r.role === 'EMSP') ?? roles[0];
  return role && partyOf(role);
}

/** Each role + party_id + country_code may appear once in a Credentials object (OCPI 2.2.1 CredentialsRole). */
export function duplicateRole(roles: readonly CredentialsRole[]): CredentialsRole | undefined {
  return roles.find((r, i) => roles.findIndex((o) => o.role === r.role && sameParty(o, r)) !== i);
}
