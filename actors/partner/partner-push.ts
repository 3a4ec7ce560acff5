import { connectionAddressee, sameParty, type Party } from '../../src/domain/parties.ts';
import { endpointUrl, joinUrl, pushInterfaceOf } from '../../src/model/ocpi/endpoints.ts';
import type { InterfaceRole } from '../../src/model/ocpi/versions.ts';
import type { Delivery } from '../../src/storage/ports.ts';
import type { ChannelSender } from './deliveries.ts';
import type { PartnerGateway, PushOutcome } from './partner.ports.ts';
import type { Partners, PartnerView } from './partners.ts';

/** A partner's endpoint URL for a module and role, as it registered it. */
export const endpointOf = (partner: PartnerView, module: string, role: InterfaceRole) => endpointUrl(partner.endpoints, module, role);

/** Registered partners that publish the endpoint our pushes of `module` go to (its Receiver, as a rule). */
export function receiversOf(partners: Partners, module: string): PartnerView[] {
  return partners.list().filter((p) => p.status === 'registered' && endpointOf(p, module, pushInterfaceOf(module)) !== undefined);
}

/**
 * Whom a call to the partner is addressed to (OCPI-to-*) when the call itself names nobody: the role owning the
 * object when the partner has it (a session's or CDR's token owner), else the connection as a whole.
 */
export function addresseeOf(partner: PartnerView, owner?: Party): Party | undefined {
  const roles = partner.roles ?? [];
  const role = owner && roles.find((r) => sameParty(r, owner));
  return role ? { country_code: role.country_code, party_id: role.party_id } : connectionAddressee(roles);
}

/**
 * Outbox rows of a partner's channel as OCPI pushes: the URL resolved from the endpoints it registered (at send
 * time, so a credentials update takes effect), its token, and the addressee for the routing headers — the party
 * the row is for, else the connection's. Rows for a party its hub reports unreachable are held back.
 */
export function partnerPushSender(partnerId: string, deps: { partners: Partners; gateway: PartnerGateway }): ChannelSender {
  return {
    heldParties() {
      const partner = deps.partners.view(partnerId);
      return partner ? deps.partners.heldParties(partner) : [];
    },
    async send(row: Delivery): Promise<PushOutcome | 'cancel'> {
      const partner = deps.partners.view(partnerId);
      const token = partner && partner.status === 'registered' ? deps.partners.tokenFor(partner) : undefined;
      if (!partner || !token) return 'cancel';
      const role = row.module ? pushInterfaceOf(row.module) : undefined;
      const base = row.module && role ? endpointOf(partner, row.module, role) : undefined;
      const url = row.module ? base && joinUrl(base, row.path) : row.path;
      if (!url) return { ok: false, retryable: false, error: `Partner publishes no ${row.module} ${role} endpoint` };
      return deps.gateway.push({
        method: row.method,
        url,
        token,
        ...(row.body === null ? {} : { body: row.body }),
        // Rows queued before they named their party: a session's or CDR's token owner, as it was then.
        to: row.to ?? addresseeOf(partner, (row.body as { cdr_token?: Party } | null)?.cdr_token),
      });
    },
  };
}
