import { Elysia } from 'elysia';
import type { AuthenticatedPartner, Partners } from '../../../actors/partner/partners.ts';
import type { Config } from '../../config.ts';
import { OcpiErrors } from './ocpi-error.ts';

export type OcpiAccess = 'configuration' | 'functional';

/**
 * `Authorization: Token …` → the calling partner. Configuration modules (versions, credentials) accept the
 * registration token A; functional modules need a registered partner's token C and check the OCPI routing
 * headers (OCPI-from/to) against it when they are present (OCPI 2.2.1 transport_and_format, routing headers).
 */
export function tokenAuth(partners: Partners, config: Config, access: OcpiAccess) {
  return new Elysia({ name: 'ocpi.token-auth', seed: access }).derive({ as: 'scoped' }, ({ headers, set }) => {
    const partner = partners.authenticate(headers.authorization);
    if (!partner) throw OcpiErrors.unauthorized();
    if (access === 'functional') {
      if (partner.kind === 'A' || partner.status !== 'registered')
        throw OcpiErrors.unauthorized('This token only opens the versions and credentials modules');
      checkRoutingHeaders(headers, partner, config);
      Object.assign(set.headers, routingHeadersFor(partner, headers, config));
    }
    partners.recordContact(partner);
    return { partner };
  });
}

function checkRoutingHeaders(headers: Record<string, string | undefined>, partner: AuthenticatedPartner, config: Config) {
  const fromCountry = headers['ocpi-from-country-code'];
  const fromParty = headers['ocpi-from-party-id'];
  if (fromCountry !== undefined || fromParty !== undefined) {
    const known = partner.context.roles?.some(
      (r) => same(r.country_code, fromCountry) && same(r.party_id, fromParty),
    );
    if (!known)
      throw OcpiErrors.invalidParameters(
        `OCPI-from-country-code/OCPI-from-party-id ${fromCountry ?? '?'}/${fromParty ?? '?'} is not a role registered for this token`,
      );
  }
  const toCountry = headers['ocpi-to-country-code'];
  const toParty = headers['ocpi-to-party-id'];
  if ((toCountry !== undefined || toParty !== undefined) && !(same(config.cpo.countryCode, toCountry) && same(config.cpo.partyId, toParty)))
    throw OcpiErrors.invalidParameters(
      `OCPI-to-country-code/OCPI-to-party-id ${toCountry ?? '?'}/${toParty ?? '?'} does not address this platform (${config.cpo.countryCode}/${config.cpo.partyId})`,
    );
}

/** Response routing headers: TO = the requesting party, FROM = us (direct connection, no hub). */
function routingHeadersFor(partner: AuthenticatedPartner, headers: Record<string, string | undefined>, config: Config) {
  const role = partner.context.roles?.find((r) => same(r.country_code, headers['ocpi-from-country-code']) && same(r.party_id, headers['ocpi-from-party-id']))
    ?? partner.context.roles?.[0];
  return {
    'ocpi-from-country-code': config.cpo.countryCode,
    'ocpi-from-party-id': config.cpo.partyId,
    ...(role ? { 'ocpi-to-country-code': role.country_code, 'ocpi-to-party-id': role.party_id } : {}),
  };
}

/** CiStrings compare case-insensitively (OCPI 2.2.1 types). */
export function same(a: string | undefined, b: string | undefined) {
  return a !== undefined && b !== undefined && a.toUpperCase() === b.toUpperCase();
}

/** The party identities a partner connection registered (its roles), as token owners. */
export function ownersOf(partner: AuthenticatedPartner) {
  return (partner.context.roles ?? []).map((r) => ({ countryCode: r.country_code.toUpperCase(), partyId: r.party_id.toUpperCase() }));
}
