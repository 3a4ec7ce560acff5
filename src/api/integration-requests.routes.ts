import type { TLiteral, TUnion } from '@sinclair/typebox';
import { Elysia, t } from 'elysia';
import { ulid } from 'ulid';
import type { Actor, IntegrationRequestEvent, IntegrationRequestRow } from '../storage/sqlite/integration-requests.repo.ts';
import { integrationRequestStatuses, integrationTypes } from '../model/api/integration-requests.ts';
import { ApiError } from './api-error.ts';
import type { ApiDeps } from './api-deps.ts';
import { apiKeyAuth, apiSecurity } from './api-key-auth.plugin.ts';

// Not t.UnionEnum: it defaults to its first value, so a missing field would pass as that value.
const oneOf = <const T extends readonly string[]>(values: T) => t.Union(values.map((v) => t.Literal(v))) as unknown as TUnion<{ -readonly [K in keyof T]: TLiteral<T[K]> }>;
const Status = oneOf(integrationRequestStatuses);
const IntegrationType = oneOf(integrationTypes);
const IdParam = t.Object({ id: t.String({ description: 'ireq_<ULID>' }) });
const example = {
  id: 'ireq_01JD3Z6M4Q8W7Y2K5T9R0BXC1E',
  integration_type: 'emsp',
  partner_name: 'Example eMSP',
  description: 'OCPI 2.2.1 roaming for their 40,000 RFID cards; they want tokens pushed, sessions and CDRs pulled.',
  status: 'in_review',
  created_at: '2026-11-20T08:00:00.000Z',
  updated_at: '2026-11-20T10:30:00.000Z',
} as const;
const exampleHistory = [
  { status: 'submitted', by: 'admin', at: '2026-11-20T08:00:00.000Z' },
  { status: 'in_review', note: 'Asked for their versions URL and test token', by: 'partnerships', at: '2026-11-20T10:30:00.000Z' },
];
const CreateBody = t.Object(
  {
    integration_type: IntegrationType,
    // A name of only blanks would be as unreadable in the triage list as an empty one.
    partner_name: t.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
    description: t.Optional(t.String({ maxLength: 5000 })),
  },
  { examples: [{ integration_type: example.integration_type, partner_name: example.partner_name, description: example.description }] },
);
const Created = t.Object(
  { id: t.String(), status: Status, partner_name: t.String(), created_at: t.String() },
  { examples: [{ id: example.id, status: 'submitted', partner_name: example.partner_name, created_at: example.created_at }] },
);
const IntegrationRequest = t.Object(
  {
    id: t.String(),
    integration_type: IntegrationType,
    partner_name: t.String(),
    description: t.Optional(t.String()),
    status: Status,
    created_at: t.String(),
    updated_at: t.String(),
  },
  { examples: [example] },
);
const HistoryEntry = t.Object(
  {
    status: Status,
    note: t.Optional(t.String()),
    by: t.String({ description: 'Name of the API key that made the change; "admin" for the bootstrap key' }),
    at: t.String(),
  },
  { examples: [exampleHistory[1]] },
);
const WithHistory = t.Object({ ...IntegrationRequest.properties, history: t.Array(HistoryEntry) }, { examples: [{ ...example, history: exampleHistory }] });
const ListQuery = t.Object({
  status: t.Optional(Status),
  offset: t.Optional(t.Integer({ description: '0 or more; default 0' })),
  limit: t.Optional(t.Integer({ description: '1 or more, at most 1000 are returned; default 100' })),
});

/** Elysia reports a query number out of a schema's range without naming it, so the range is checked here. */
function inRange(name: string, value: number | undefined, min: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (value < min || value > Number.MAX_SAFE_INTEGER) throw new ApiError(400, 'invalid_request', `Invalid query: /${name}: Expected integer from ${min} to ${Number.MAX_SAFE_INTEGER}`);
  return value;
}

function present(row: IntegrationRequestRow): typeof IntegrationRequest.static {
  return {
    id: row.id,
    integration_type: row.integrationType,
    partner_name: row.partnerName,
    ...(row.description === null ? {} : { description: row.description }),
    status: row.status,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}

const presentEvent = (e: IntegrationRequestEvent): typeof HistoryEntry.static => ({
  status: e.status,
  ...(e.note === null ? {} : { note: e.note }),
  by: e.by,
  at: e.at,
});

/** Operator API for partner integration requests: intake, triage by status, and who moved each one when. */
export function integrationRequestsRoutes(deps: ApiDeps) {
  const { storage, clock } = deps;
  const requests = storage.integrationRequests;
  // The name is captured when acting, so the history keeps reading right after the key is revoked.
  const actor = (keyId: string): Actor => ({ keyId, name: keyId === 'admin' ? 'admin' : (storage.apiKeys.list().find((k) => k.id === keyId)?.name ?? keyId) });
  const withHistory = (row: IntegrationRequestRow) => ({ ...present(row), history: requests.history(row.id).map(presentEvent) });
  const notFound = (id: string) => new ApiError(404, 'not_found', `No integration request ${id}`);

  return new Elysia({ name: 'api.integration-requests', prefix: '/api/v1', detail: { tags: ['Integration requests'], security: apiSecurity } })
    .use(apiKeyAuth(deps))
    .post(
      '/integration-requests',
      ({ body, operator, set }) => {
        const now = clock.now();
        const row = requests.create(
          {
            // Seeded from our clock so ids sort like created_at, also under a test clock.
            id: `ireq_${ulid(now.getTime())}`,
            integrationType: body.integration_type,
            partnerName: body.partner_name,
            description: body.description ?? null,
            createdAt: now.toISOString(),
          },
          actor(operator.keyId),
        );
        set.status = 201;
        return { id: row.id, status: row.status, partner_name: row.partnerName, created_at: row.createdAt };
      },
      { body: CreateBody, response: { 201: Created }, detail: { summary: 'Submit an integration request' } },
    )
    .get(
      '/integration-requests',
      ({ query }) => {
        const [offset, limit] = [inRange('offset', query.offset, 0, 0), Math.min(inRange('limit', query.limit, 1, 100), 1000)];
        const { items, total } = requests.page({ status: query.status, offset, limit });
        return { data: items.map(present), total };
      },
      {
        query: ListQuery,
        response: t.Object(
          { data: t.Array(IntegrationRequest), total: t.Integer({ description: 'All matching requests, not just this page' }) },
          { examples: [{ data: [example], total: 1 }] },
        ),
        detail: { summary: 'Integration requests, oldest first, optionally of one status' },
      },
    )
    .get(
      '/integration-requests/:id',
      ({ params }) => {
        const row = requests.get(params.id);
        if (!row) throw notFound(params.id);
        return withHistory(row);
      },
      { params: IdParam, response: WithHistory, detail: { summary: 'One integration request with its status history' } },
    )
    .patch(
      '/integration-requests/:id',
      ({ params, body, operator }) => {
        const row = requests.setStatus(params.id, body, actor(operator.keyId), clock.now().toISOString());
        if (!row) throw notFound(params.id);
        return withHistory(row);
      },
      {
        params: IdParam,
        body: t.Object({ status: Status, note: t.Optional(t.String({ maxLength: 5000 })) }, { examples: [{ status: 'accepted', note: 'Contract signed; registration planned for 1 December' }] }),
        response: WithHistory,
        detail: { summary: 'Set the status of an integration request, with an optional note; recorded in its history' },
      },
    );
}
