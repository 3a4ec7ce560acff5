import { Elysia } from 'elysia';
import type { AuthenticatedPartner, Partners } from '../../../actors/partner/partners.ts';
import { connectionAddressee, speaksFor, type Party } from '../../domain/parties.ts';
import type { Config } from '../../config.ts';
import { OcpiErrors } from './ocpi-error.ts';

/**
 * configuration: versions and credentials (token A or C); platform: a configuration module between registered
 * platforms (HubClientInfo: token C, no routing headers); functional: token C and the routing headers.
 */
export type OcpiAccess = 'configuration' | 'platform' | 'functional';

/**
 * `Authorization: Token …` → the calling partner connection. Configuration modules (versions, credentials) accept
 * the registration token A; the others need a registered partner's token C. Functional modules read the OCPI
 * routing headers (OCPI 2.2.1 transport_and_format, "Message routing"): OCPI-from-* names the party behind the
 * connection the request comes from — one of its roles, or any party through a hub — and the request then acts
 * for that party alone; OCPI-to-* must be us. The answer carries them swapped: to the requesting party, from us.
 */
export function tokenAuth(partners: Partners, config: Config, access: OcpiAccess) {
  return new Elysia({ name: 'ocpi.token-auth', seed: access }).derive({ as: 'scoped' }, ({ headers, set }) => {
    const authenticated = partners.authenticate(headers.authorization);
    if (!authenticated) throw OcpiErrors.unauthorized();
    let partner = authenticated;
    if (access !== 'configuration' && (authenticated.kind === 'A' || authenticated.status !== 'registered'))
      throw OcpiErrors.unauthorized('This token only opens the versions and credentials modules');
    if (access === 'functional') {
      const from = requestingParty(headers, authenticated);
      checkAddressee(headers, config);
      if (from) partner = { ...authenticated, party: from, parties: [from] };
      Object.assign(set.headers, responseRouting(from ?? connectionAddressee(authenticated.context.roles ?? []), config));
    }
    partners.recordContact(partner);
    return { partner };
  });
}

/** The party named in OCPI-from-*, if any; a party the connection does not speak for is refused (2001). */
function requestingParty(headers: Record<string, string | undefined>, partner: AuthenticatedPartner): Party | undefined {
  const country = headers['ocpi-from-country-code'];
  const party = headers['ocpi-from-party-id'];
  if (country === undefined && party === undefined) return undefined;
  const named = country !== undefined && party !== undefined ? { country_code: country, party_id: party } : undefined;
  if (!named || !speaksFor(partner.context.roles ?? [], named))
    throw OcpiErrors.invalidParameters(
      `OCPI-from-country-code/OCPI-from-party-id ${country ?? '?'}/${party ?? '?'} is not a party this connection speaks for`,
    );
  return named;
}

function checkAddressee(headers: Record<string, string | undefined>, config: Config) {
  const country = headers['ocpi-to-country-code'];
  const party = headers['ocpi-to-party-id'];
  if ((country !== undefined || party !== undefined) && !(same(config.cpo.countryCode, country) && same(config.cpo.partyId, party)))
    throw OcpiErrors.invalidParameters(
      `OCPI-to-country-code/OCPI-to-party-id ${country ?? '?'}/${party ?? '?'} does not address this platform (${config.cpo.countryCode}/${config.cpo.partyId})`,
    );
}

/** Response routing headers: TO = the requesting party (through a hub too), FROM = us. */
function responseRouting(to: Party | undefined, config: Config) {
  return {
    'ocpi-from-country-code': config.cpo.countryCode,
    'ocpi-from-party-id': config.cpo.partyId,
    ...(to ? { 'ocpi-to-country-code': to.country_code, 'ocpi-to-party-id': to.party_id } : {}),
  };
}

/** CiStrings compare case-insensitively (OCPI 2.2.1 types). */
export function same(a: string | undefined, b: string | undefined) {
  return a !== undefined && b !== undefined && a.toUpperCase() === b.toUpperCase();
}

/** Whose sessions and CDRs a request reads: the parties it acts for (the one it names, else the connection's roles). */
export function ownersOf(partner: AuthenticatedPartner) {
  return partner.parties.map((p) => ({ countryCode: p.country_code.toUpperCase(), partyId: p.party_id.toUpperCase() }));
}
