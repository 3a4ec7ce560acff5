import { Elysia, t } from 'elysia';
import { CDR } from '../../../model/ocpi/cdr.ts';
import { envelope, Envelope } from '../../transport/envelope.ts';
import { PageQuery, pagedList } from '../../transport/pagination.ts';
import { ownersOf, tokenAuth } from '../../transport/token-auth.plugin.ts';
import { cpoBasePath, type OcpiDeps, type OcpiModule } from '../../ocpi-deps.ts';

export const cdrsModule: OcpiModule = { identifier: 'cdrs', role: 'SENDER' };
const limits = { defaultLimit: 25, maxLimit: 100 };

/** CDRs Sender interface (OCPI 2.2.1 cdrs): the CDRs of the requesting party's tokens; last_updated is their creation. */
export function cdrsRoutes(deps: OcpiDeps) {
  const { config, clock, partners, sessions } = deps;
  return new Elysia({ name: 'ocpi.cdrs', prefix: `${cpoBasePath}/cdrs`, detail: { tags: ['OCPI CDRs'] } })
    .use(tokenAuth(partners, config, 'functional'))
    .get(
      '',
      pagedList(() => config.publicUrl, clock, limits, (partner, page) => sessions.cdrsPage(page, ownersOf(partner))),
      { query: PageQuery, response: Envelope(t.Array(CDR)), detail: { summary: 'CDRs of your tokens, oldest first (default 25, max 100 per page)' } },
    );
}
