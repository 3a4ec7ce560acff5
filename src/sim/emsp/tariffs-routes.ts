/** Tariffs Receiver (OCPI 2.2.1 tariffs, eMSP side): always whole tariffs by PUT, DELETE when no longer used. */
import type { Tariff } from '../../model/ocpi/tariff.ts';
import type { EmspContext } from './context.ts';
import { ok, problems } from './envelope.ts';
import { MODULES_PATH } from './paths.ts';
import type { Route } from './router.ts';
import { requireObject, requireSameIds, requireStrings } from './validate.ts';

const TARIFF_FIELDS = ['country_code', 'party_id', 'id', 'currency', 'elements', 'last_updated'] as const;

export function tariffsRoutes(ctx: EmspContext): Route[] {
  const { tariffs } = ctx;
  const path = `${MODULES_PATH}/tariffs/:cc/:pid/:tariff`;
  const keyOf = (p: Record<string, string>) => `${p.cc}/${p.pid}/${p.tariff}`.toUpperCase();
  return [
    {
      method: 'GET',
      path,
      access: 'functional',
      handle({ params }) {
        const tariff = tariffs.get(keyOf(params));
        if (!tariff) throw problems.notFound(`Unknown tariff ${params.tariff}`);
        return ok(tariff);
      },
    },
    {
      method: 'PUT',
      path,
      access: 'functional',
      handle({ params: p, body }) {
        const put = requireObject<Tariff>(body, 'Tariff', TARIFF_FIELDS);
        requireStrings(put, 'Tariff', ['country_code', 'party_id', 'id', 'currency', 'last_updated']);
        requireSameIds('Tariff', [['country_code', p.cc!, put.country_code], ['party_id', p.pid!, put.party_id], ['id', p.tariff!, put.id]]);
        const isNew = !tariffs.has(keyOf(p));
        tariffs.set(keyOf(p), put);
        ctx.emit('tariff', `${put.id} ${isNew ? 'received' : 'replaced'} (${put.currency})`);
        return ok(undefined, { status: isNew ? 201 : 200 });
      },
    },
    {
      method: 'DELETE',
      path,
      access: 'functional',
      handle({ params }) {
        if (!tariffs.delete(keyOf(params))) throw problems.notFound(`Unknown tariff ${params.tariff}`);
        ctx.emit('tariff', `${params.tariff} deleted`);
        return ok();
      },
    },
  ];
}
