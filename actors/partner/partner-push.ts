import { endpointUrl, joinUrl } from '../../src/model/ocpi/endpoints.ts';
import type { InterfaceRole } from '../../src/model/ocpi/versions.ts';
import type { DeliveryRow } from '../../src/storage/sqlite/outbox.repo.ts';
import type { ChannelSender } from './deliveries.ts';
import type { PartnerGateway, PushOutcome } from './partner.ports.ts';
import type { Partners, PartnerView } from './partners.ts';

/** A partner's endpoint URL for a module and role, as it registered it. */
export const endpointOf = (partner: PartnerView, module: string, role: InterfaceRole) => endpointUrl(partner.endpoints, module, role);

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
      const base = row.module ? endpointOf(partner, row.module, 'RECEIVER') : undefined;
      const url = row.module ? base && joinUrl(base, row.path) : row.path;
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
