/** Our Tokens Sender interface (OCPI 2.2.1 tokens, eMSP side): the list the CPO pulls, and real-time authorization. */
import type { EmspContext } from './context.ts';
import { authorize, locationReferencesOf, tokenTypeOf } from './authorization.ts';
import { ok } from './envelope.ts';
import { MODULES_PATH } from './paths.ts';
import type { Route } from './router.ts';
import { tokenPage } from './token-list.ts';

export function tokensRoutes(ctx: EmspContext): Route[] {
  return [
    {
      method: 'GET',
      path: `${MODULES_PATH}/tokens`,
      access: 'functional',
      handle({ query }) {
        const { page, headers } = tokenPage(ctx.tokens, query, ctx.urls.tokens);
        ctx.emit('tokens', `the CPO read ${page.length} of our ${ctx.tokens.length} tokens (offset ${query.get('offset') ?? 0})`);
        return ok(page, { headers });
      },
    },
    {
      method: 'POST',
      path: `${MODULES_PATH}/tokens/:uid/authorize`,
      access: 'functional',
      handle({ params, query, body }) {
        const type = tokenTypeOf(query);
        const where = locationReferencesOf(body);
        const info = authorize(ctx.tokens, params.uid!, type, where, ctx.nextId('AUTH'));
        ctx.emit('authorize', `${info.token.uid} (${type})${where ? ` at ${where.location_id}` : ''}: ${info.allowed}`);
        return ok(info);
      },
    },
  ];
}
