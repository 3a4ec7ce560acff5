import { Elysia, t } from 'elysia';
import { Type } from '@sinclair/typebox';
import type { Delivery as OutboxRow } from '../storage/ports.ts';
import { ApiError } from './api-error.ts';
import type { ApiDeps } from './api-deps.ts';
import { apiKeyAuth, apiSecurity } from './api-key-auth.plugin.ts';

const DeliveryState = t.Union([t.Literal('pending'), t.Literal('failed'), t.Literal('dead'), t.Literal('delivered'), t.Literal('cancelled')]);
const Delivery = t.Object({
  id: Type.Integer(),
  state: DeliveryState,
  object: t.String({ description: 'e.g. session:<id>; deliveries of one object go in order' }),
  method: t.String(),
  module: t.Optional(t.String()),
  path: t.String(),
  to: t.Optional(
    t.Object(
      { country_code: t.String(), party_id: t.String() },
      { description: 'The party behind the connection it is for (OCPI-to-*); absent: the connection as a whole. Waits while a hub reports the party OFFLINE, PLANNED or SUSPENDED.' },
    ),
  ),
  attempts: Type.Integer(),
  created_at: t.String(),
  next_attempt_at: t.Optional(t.String()),
  delivered_at: t.Optional(t.String()),
  last_error: t.Optional(t.String()),
  response_location: t.Optional(t.String({ description: 'Location header the partner answered a CDR POST with' })),
}, {
  examples: [
    {
      id: 17,
      state: 'failed',
      object: 'session:101',
      method: 'PUT',
      module: 'sessions',
      path: '/NL/DYN/101',
      to: { country_code: 'DE', party_id: 'ABC' },
      attempts: 2,
      created_at: '2026-11-20T09:00:00.000Z',
      next_attempt_at: '2026-11-20T09:00:40.000Z',
      last_error: 'HTTP 503 from https://emsp.example.com/ocpi/emsp/2.2.1/sessions/NL/DYN/101',
    },
  ],
});

/** "failed" is a pending delivery that already failed at least once and waits for its next attempt. */
function present(row: OutboxRow): typeof Delivery.static {
  const state = row.status === 'pending' && row.attempts > 0 ? 'failed' : row.status;
  const iso = (ms: number | null) => (ms == null ? undefined : new Date(ms).toISOString());
  const optional = {
    module: row.module ?? undefined,
    to: row.to ?? undefined,
    next_attempt_at: row.status === 'pending' ? iso(row.nextAttemptAtMs) : undefined,
    delivered_at: iso(row.deliveredAtMs),
    last_error: row.lastError ?? undefined,
    response_location: row.responseLocation ?? undefined,
  };
  return {
    id: row.id,
    state,
    object: row.objectKey,
    method: row.method,
    path: row.path,
    attempts: row.attempts,
    created_at: iso(row.createdAtMs)!,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  };
}

/** Operator view of a partner's push queue: what waits, what failed and why, what was dead-lettered; replay. */
export function deliveriesRoutes(deps: ApiDeps) {
  const { deliveries, partners } = deps;
  const known = (id: string) => {
    if (!partners.view(id)) throw new ApiError(404, 'not_found', `No partner ${id}`);
  };
  return new Elysia({ name: 'api.deliveries', prefix: '/api/v1/ocpi/partners', detail: { tags: ['OCPI partners'], security: apiSecurity } })
    .use(apiKeyAuth(deps))
    .get(
      '/:id/deliveries',
      ({ params, query }) => {
        known(params.id);
        const wanted = (query.state ?? 'pending,failed,dead').split(',');
        const statuses = [...new Set(wanted.map((s) => (s === 'failed' ? 'pending' : s)))] as OutboxRow['status'][];
        return deliveries
          .list(params.id, statuses, Math.min(query.limit ?? 200, 1000))
          .map(present)
          .filter((d) => wanted.includes(d.state));
      },
      {
        params: t.Object({ id: t.String() }),
        query: t.Object({
          state: t.Optional(t.String({ description: 'comma-separated: pending, failed, dead, delivered, cancelled (default pending,failed,dead)', pattern: '^(pending|failed|dead|delivered|cancelled)(,(pending|failed|dead|delivered|cancelled))*$' })),
          limit: t.Optional(t.Numeric({ minimum: 1 })),
        }),
        response: t.Array(Delivery),
        detail: { summary: 'The partner’s deliveries, newest first' },
      },
    )
    .post(
      '/:id/deliveries/:delivery_id/retry',
      ({ params }) => {
        known(params.id);
        if (!deliveries.retry(params.id, params.delivery_id)) throw new ApiError(409, 'not_retryable', `Delivery ${params.delivery_id} is not pending or dead-lettered for this partner`);
        return present(deliveries.list(params.id, ['pending'], 1000).find((d) => d.id === params.delivery_id)!);
      },
      { params: t.Object({ id: t.String(), delivery_id: t.Numeric() }), response: Delivery, detail: { summary: 'Replay a dead-lettered delivery now' } },
    );
}
