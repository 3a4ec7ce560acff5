import { Value } from '@sinclair/typebox/value';
import { CloneType } from '@sinclair/typebox';
import { isHub } from '../../src/domain/parties.ts';
import type { Logger } from '../../src/lib/logger.ts';
import { ClientInfo } from '../../src/model/ocpi/hub-client-info.ts';
import { endpointOf } from './partner-push.ts';
import type { PartnerGateway } from './partner.ports.ts';
import type { Partners } from './partners.ts';

/** A copy, open to a hub's own extra fields (Elysia closes the schemas routes use). */
const ClientInfoSchema = CloneType(ClientInfo);
const MAX_PAGES = 1_000;

/**
 * A hub that just registered is asked for the parties behind it (OCPI 2.2.1 HubClientInfo, hub Sender GET list,
 * "at start-up"): from then on it pushes changes to our Receiver. A configuration module: no routing headers.
 * Invalid objects are skipped and logged.
 */
export async function pullClientInfo(partnerId: string, deps: { partners: Partners; gateway: PartnerGateway; logger: Logger }): Promise<number> {
  const { partners, gateway, logger } = deps;
  const partner = partners.view(partnerId);
  const url = partner && isHub(partner.roles ?? []) ? endpointOf(partner, 'hubclientinfo', 'SENDER') : undefined;
  const token = partner && partners.tokenFor(partner);
  if (!partner || !url || !token) return 0;
  const infos: ClientInfo[] = [];
  let skipped = 0;
  let next: string | undefined = url;
  for (let page = 0; next && page < MAX_PAGES; page++) {
    const result: { items: unknown[]; next?: string } = await gateway.getPage(next, token, undefined, 'configuration');
    for (const item of result.items) {
      if (Value.Check(ClientInfoSchema, item)) infos.push(item);
      else skipped += 1;
    }
    next = result.next;
  }
  if (skipped > 0) logger.warn('ClientInfo objects skipped while pulling a hub\u2019s list', { partnerId, skipped });
  if (infos.length > 0) partners.recordClientInfo(partnerId, infos);
  return infos.length;
}
