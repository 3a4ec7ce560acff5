import { Elysia, t } from 'elysia';
import { IdParam, LocationInput, OperatorLocation, TariffInput } from '../model/api/network-input.ts';
import { Tariff } from '../model/ocpi/tariff.ts';
import { ApiErrorBody, deleteResponses, jsonResponse } from '../model/api/api-responses.ts';
import { ApiError } from './api-error.ts';
import type { ApiDeps } from './api-deps.ts';
import { apiKeyAuth, apiSecurity } from './api-key-auth.plugin.ts';
import { objectsOf } from '../storage/rendered-page.ts';

const ListQuery = t.Object({
  offset: t.Optional(t.Numeric({ minimum: 0 })),
  limit: t.Optional(t.Numeric({ minimum: 1 })),
});
const listFilter = (q: typeof ListQuery.static) => ({ offset: q.offset ?? 0, limit: Math.min(q.limit ?? 100, 1000) });
const notFound = (what: string, id: string) => new ApiError(404, 'not_found', `No ${what} ${id}`);
function found<T>(value: T | undefined, what: string, id: string): T {
  if (value === undefined) throw notFound(what, id);
  return value;
}

/** Operator API for the network: locations (OCPI Location shape + OCPP bindings) and tariffs (OCPI Tariff shape). */
export function networkRoutes(deps: ApiDeps) {
  const { network } = deps;
  return new Elysia({ name: 'api.network', prefix: '/api/v1', detail: { tags: ['Network'], security: apiSecurity } })
    .use(apiKeyAuth(deps))
    .get(
      '/locations',
      ({ query, set }) => {
        const { items, total } = network.operatorLocationsPage(listFilter(query));
        set.headers['x-total-count'] = String(total);
        return items;
      },
      { query: ListQuery, response: t.Array(OperatorLocation), detail: { summary: 'All locations with OCPP bindings' } },
    )
    .get(
      '/locations/:id',
      ({ params }) => found(network.operatorLocation(params.id), 'location', params.id),
      { params: IdParam, response: OperatorLocation, detail: { summary: 'One location' } },
    )
    .put(
      '/locations/:id',
      ({ params, body, set }) => {
        const { location, created } = network.putLocation(params.id, body);
        set.status = created ? 201 : 200;
        return location;
      },
      { params: IdParam, body: LocationInput, response: { 200: OperatorLocation, 201: OperatorLocation }, detail: { summary: 'Create or replace a location' } },
    )
    .delete(
      '/locations/:id',
      ({ params, set }) => {
        if (!network.deleteLocation(params.id)) throw notFound('location', params.id);
        set.status = 204;
      },
      { params: IdParam, detail: { summary: 'Delete a location', responses: deleteResponses('Deleted', 'No such location') } },
    )
    .get(
      '/tariffs',
      ({ query, set }) => {
        const page = network.tariffsPage(listFilter(query));
        set.headers['x-total-count'] = String(page.total);
        return objectsOf<Tariff>(page);
      },
      { query: ListQuery, response: t.Array(Tariff), detail: { summary: 'All tariffs' } },
    )
    .get('/tariffs/:id', ({ params }) => found(network.tariff(params.id), 'tariff', params.id), {
      params: IdParam,
      response: Tariff,
      detail: { summary: 'One tariff' },
    })
    .put(
      '/tariffs/:id',
      ({ params, body, set }) => {
        const { tariff, created } = network.putTariff(params.id, body);
        set.status = created ? 201 : 200;
        return tariff;
      },
      { params: IdParam, body: TariffInput, response: { 200: Tariff, 201: Tariff }, detail: { summary: 'Create or replace a tariff' } },
    )
    .delete(
      '/tariffs/:id',
      ({ params, set }) => {
        if (!network.deleteTariff(params.id)) throw notFound('tariff', params.id);
        set.status = 204;
      },
      {
        params: IdParam,
        detail: {
          summary: 'Delete a tariff no connector uses',
          responses: { ...deleteResponses('Deleted', 'No such tariff'), 409: jsonResponse('A connector still uses the tariff', ApiErrorBody) },
        },
      },
    );
}
