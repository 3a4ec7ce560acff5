import type { DeliveryRow } from '../../src/storage/sqlite/outbox.repo.ts';
import type { ChannelSender } from './deliveries.ts';
import type { PartnerGateway, PushOutcome } from './partner.ports.ts';
import type { Partners, PartnerView } from './partners.ts';

/** A partner's endpoint URL for a module and role, as it registered it. */
export function endpointOf(partner: PartnerView, module: string, role: 'SENDER' | 'RECEIVER'): string | undefined {
  return partner.endpoints?.find((e) => e.identifier === module && e.role === role)?.url;
}

/** Registered partners that publish a Receiver endpoint for `module`. */
export function receiversOf(partners: Partners, module: string): PartnerView[] {
  return partners.list().filter((p) => p.status === 'registered' && endpointOf(p, module, 'RECEIVER') !== undefined);
}

/**
 * Outbox rows of a partner's channel as OCPI pushes: the URL resolved from the endpoints it registered (at send
 * time, so a credentials update takes effect), its token, and the routing headers.
 */
export function partnerPushSender(
  partnerId: string,
  deps: { partners: Partners; gateway: PartnerGateway; owner: { countryCode: string; partyId: string } },
): ChannelSender {
  return {
    async send(row: DeliveryRow): Promise<PushOutcome | 'cancel'> {
      const partner = deps.partners.view(partnerId);
      const token = partner && partner.status === 'registered' ? deps.partners.tokenFor(partner) : undefined;
      if (!partner || !token) return 'cancel';
      const url = row.module ? joinUrl(endpointOf(partner, row.module, 'RECEIVER'), row.path) : row.path;
      if (!url) return { ok: false, retryable: false, error: `Partner publishes no ${row.module} Receiver endpoint` };
      return deps.gateway.push({
        method: row.method,
        url,
        token,
        ...(row.body === null ? {} : { body: row.body }),
        headers: routingHeaders(deps.owner, partner, row.body),
      });
    },
  };
}

/** Endpoint URL + path with exactly one slash between them (OCPI 2.2.1 pitfall: spec URLs have none). */
function joinUrl(base: string | undefined, path: string) {
  return base === undefined ? undefined : `${base.replace(/\/+$/, '')}${path}`;
}

/** OCPI-from = us; OCPI-to = the object's owner among the partner's roles when it names one, else its first role. */
function routingHeaders(owner: { countryCode: string; partyId: string }, partner: PartnerView, body: unknown) {
  const token = (body as { cdr_token?: { country_code: string; party_id: string } } | null)?.cdr_token;
  const to =
    partner.roles?.find((r) => token && r.country_code.toUpperCase() === token.country_code.toUpperCase() && r.party_id.toUpperCase() === token.party_id.toUpperCase()) ??
    partner.roles?.[0];
  return {
    'ocpi-from-country-code': owner.countryCode,
    'ocpi-from-party-id': owner.partyId,
    ...(to ? { 'ocpi-to-country-code': to.country_code, 'ocpi-to-party-id': to.party_id } : {}),
  };
}
