/**
 * After we registered, our tokens go to the CPO's Tokens Receiver (OCPI 2.2.1 tokens:
 * `PUT {tokens}/{country_code}/{party_id}/{uid}?type=`), so its charge points can authorize our cards from its
 * cache at once. It also pulls our list; a token missed here still arrives that way.
 */
import type { Token } from '../../model/ocpi/token.ts';
import type { EmspContext } from './context.ts';
import { callCpo, CpoCallError, describeReply, succeeded } from './cpo-client.ts';
import { endpointUrl, joinUrl } from '../../model/ocpi/endpoints.ts';
import { routingHeaders, type CpoLink } from './cpo-link.ts';

export async function pushTokens(ctx: EmspContext, link: CpoLink): Promise<{ pushed: number; failed: number }> {
  const base = endpointUrl(link.endpoints, 'tokens', 'RECEIVER');
  if (!base) {
    ctx.emit('tokens', 'the CPO publishes no tokens Receiver: it has to pull our list');
    return { pushed: 0, failed: 0 };
  }
  let pushed = 0;
  let failed = 0;
  // One at a time: a burst of 20 PUTs gains nothing in a simulation and would crowd the CPO's log.
  for (const token of ctx.tokens) {
    const request = { method: 'PUT' as const, url: joinUrl(base, tokenPath(token)), token: link.token, body: token, headers: routingHeaders(ctx.us, link) };
    try {
      const reply = await callCpo(request);
      if (succeeded(reply)) pushed += 1;
      else {
        failed += 1;
        ctx.emit('error', `token ${token.uid} not taken: ${describeReply(request, reply)}`);
      }
    } catch (error) {
      failed += 1;
      ctx.emit('error', `token ${token.uid} not sent: ${(error as CpoCallError).message}`);
    }
  }
  ctx.emit('tokens', `${pushed} of ${ctx.tokens.length} tokens pushed to the CPO${failed ? `, ${failed} failed` : ''}`);
  return { pushed, failed };
}

function tokenPath(token: Token): string {
  const segments = [token.country_code, token.party_id, token.uid].map(encodeURIComponent).join('/');
  return `${segments}?type=${token.type}`;
}
