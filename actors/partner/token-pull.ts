import { Value } from '@sinclair/typebox/value';
import { CloneType } from '@sinclair/typebox';
import { connectionAddressee, isHub, partyOf, speaksFor, type Party } from '../../src/domain/parties.ts';
import type { Logger } from '../../src/lib/logger.ts';
import { Token } from '../../src/model/ocpi/token.ts';
import type { DriverTokenCache } from '../../src/storage/ports.ts';
import { endpointOf } from './partner-push.ts';
import type { PartnerGateway } from './partner.ports.ts';
import type { Partners, PartnerView } from './partners.ts';

/** A copy: Elysia marks route-body schemas closed, and an eMSP's own extra fields must not cost it a token. */
const TokenSchema = CloneType(Token);
/** A runaway Link chain (a partner linking to itself) must end somewhere. */
const MAX_PAGES = 10_000;

/**
 * Whom the token list is asked of (OCPI 2.2.1 transport_and_format, message routing): a hub once, addressed to
 * the hub itself ("GET All via Hubs": it merges the lists of the parties behind it); a platform once per eMSP
 * role it hosts.
 */
function listAddressees(partner: PartnerView): (Party | undefined)[] {
  const roles = partner.roles ?? [];
  const emsps = roles.filter((r) => r.role === 'EMSP');
  return isHub(roles) || emsps.length === 0 ? [connectionAddressee(roles)] : emsps.map(partyOf);
}

/**
 * After registration we load the eMSP's tokens (OCPI 2.2.1 tokens, eMSP Sender GET list, following `Link` to the
 * end) into the cache the charge points are authorised from; its later PUT/PATCH pushes keep it current. Each
 * token keeps its own country_code/party_id and is held by this connection. Skipped (and logged): invalid
 * objects, tokens of parties the connection does not speak for, and tokens another connection brought first.
 */
export async function pullTokens(
  partnerId: string,
  deps: { partners: Partners; gateway: PartnerGateway; logger: Logger; tokens: DriverTokenCache },
): Promise<{ stored: number; skipped: number }> {
  const { partners, gateway, logger, tokens } = deps;
  const partner = partners.view(partnerId);
  const url = partner && endpointOf(partner, 'tokens', 'SENDER');
  const token = partner && partners.tokenFor(partner);
  let stored = 0;
  let skipped = 0;
  if (!partner || !url || !token) return { stored, skipped };
  const keep = (item: unknown): item is Token => {
    if (!Value.Check(TokenSchema, item) || !speaksFor(partner.roles ?? [], item)) return false;
    const holder = tokens.holderOf(item);
    return holder === undefined || holder === partnerId;
  };
  for (const to of listAddressees(partner)) {
    let next: string | undefined = url;
    for (let page = 0; next && page < MAX_PAGES; page++) {
      const result: { items: unknown[]; next?: string } = await gateway.getPage(next, token, to);
      for (const item of result.items) {
        if (keep(item)) {
          tokens.put(partnerId, item);
          stored += 1;
        } else skipped += 1;
      }
      next = result.next;
    }
  }
  if (skipped > 0) logger.warn('Tokens skipped while pulling a partner\u2019s list', { partnerId, skipped });
  return { stored, skipped };
}
