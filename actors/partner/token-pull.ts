import { Value } from '@sinclair/typebox/value';
import { CloneType } from '@sinclair/typebox';
import type { Logger } from '../../src/lib/logger.ts';
import { Token } from '../../src/model/ocpi/token.ts';
import { addresseeOf, endpointOf } from './partner-push.ts';
import type { PartnerGateway } from './partner.ports.ts';
import type { Partners } from './partners.ts';

/** A copy: Elysia marks route-body schemas closed, and an eMSP's own extra fields must not cost it a token. */
const TokenSchema = CloneType(Token);
/** A runaway Link chain (a partner linking to itself) must end somewhere. */
const MAX_PAGES = 10_000;

/**
 * After registration we load the eMSP's tokens (OCPI 2.2.1 tokens, eMSP Sender GET list, following `Link` to the
 * end) into the cache the charge points are authorised from; its later PUT/PATCH pushes keep it current. Tokens
 * of other parties than the partner's roles and invalid objects are skipped (and logged), the rest kept.
 */
export async function pullTokens(
  partnerId: string,
  deps: { partners: Partners; gateway: PartnerGateway; logger: Logger; store: (partnerId: string, token: Token) => void },
): Promise<{ stored: number; skipped: number }> {
  const { partners, gateway, logger, store } = deps;
  const partner = partners.view(partnerId);
  const url = partner && endpointOf(partner, 'tokens', 'SENDER');
  const token = partner && partners.tokenFor(partner);
  let stored = 0;
  let skipped = 0;
  if (!partner || !url || !token) return { stored, skipped };
  const ownRole = (t: Token) => partner.roles?.some((r) => r.country_code.toUpperCase() === t.country_code.toUpperCase() && r.party_id.toUpperCase() === t.party_id.toUpperCase());
  const to = addresseeOf(partner);
  let next: string | undefined = url;
  for (let page = 0; next && page < MAX_PAGES; page++) {
    const result: { items: unknown[]; next?: string } = await gateway.getPage(next, token, to);
    for (const item of result.items) {
      if (Value.Check(TokenSchema, item) && ownRole(item)) {
        store(partnerId, item);
        stored += 1;
      } else skipped += 1;
    }
    next = result.next;
  }
  if (skipped > 0) logger.warn('Tokens skipped while pulling a partner\u2019s list', { partnerId, skipped });
  return { stored, skipped };
}
