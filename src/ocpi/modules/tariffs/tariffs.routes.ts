import { Elysia, t } from 'elysia';
import { Tariff } from '../../../model/ocpi/tariff.ts';
import { envelope, Envelope } from '../../transport/envelope.ts';
import { PageQuery, pagedList } from '../../transport/pagination.ts';
import { tokenAuth } from '../../transport/token-auth.plugin.ts';
import { cpoBasePath, type OcpiDeps, type OcpiModule } from '../../ocpi-deps.ts';

export const tariffsModule: OcpiModule = { identifier: 'tariffs', role: 'SENDER' };
const limits = { defaultLimit: 25, maxLimit: 100 };

/** Tariffs Sender interface (OCPI 2.2.1 tariffs): the list, which a puller takes as the complete truth. */
export function tariffsRoutes(deps: OcpiDeps) {
  const { config, clock, partners, network } = deps;
  return new Elysia({ name: 'ocpi.tariffs', prefix: `${cpoBasePath}/tariffs`, detail: { tags: ['OCPI tariffs'] } })
    .use(tokenAuth(partners, config, 'functional'))
    .get(
      '',
      pagedList(() => config.publicUrl, clock, limits, (_partner, page) => network.tariffsPage(page)),
      { query: PageQuery, response: Envelope(t.Array(Tariff)), detail: { summary: 'Tariffs, oldest first (default 25, max 100 per page)' } },
    );
}
