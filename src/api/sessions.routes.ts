import { Elysia, t } from 'elysia';
import { Type } from '@sinclair/typebox';
import type { SessionView } from '../../actors/session/sessions.ts';
import { CDR } from '../model/ocpi/cdr.ts';
import { Session } from '../model/ocpi/session.ts';
import { sessionExample2ShortFinished } from '../model/ocpi/spec-examples.ts';
import { ApiError } from './api-error.ts';
import type { ApiDeps } from './api-deps.ts';
import { apiKeyAuth, apiSecurity } from './api-key-auth.plugin.ts';
import { objectsOf } from '../storage/rendered-page.ts';

const OperatorSession = t.Object({
  id: t.String(),
  state: t.Union([t.Literal('reserved'), t.Literal('pending'), t.Literal('active'), t.Literal('completed')]),
  charge_point_id: t.String(),
  protocol: t.String(),
  transaction_id: t.String(),
  evse_id: Type.Integer({ description: 'OCPP 1.6 connectorId / 2.0.1 evseId' }),
  start_date_time: t.String(),
  end_date_time: t.Optional(t.String()),
  stop_reason: t.Optional(t.String()),
  ocpi: t.Optional(Session),
  cdr_id: t.Optional(t.String()),
}, {
  examples: [
    {
      id: sessionExample2ShortFinished.id,
      state: 'completed',
      charge_point_id: 'CP001',
      protocol: 'ocpp1.6',
      transaction_id: '4711',
      evse_id: 1,
      start_date_time: sessionExample2ShortFinished.start_date_time,
      end_date_time: sessionExample2ShortFinished.end_date_time,
      stop_reason: 'Local',
      ocpi: sessionExample2ShortFinished,
      cdr_id: '12345',
    },
  ],
});
const Paging = t.Object({ offset: t.Optional(t.Numeric({ minimum: 0 })), limit: t.Optional(t.Numeric({ minimum: 1 })) });

function present({ context, state, session, cdr }: SessionView): typeof OperatorSession.static {
  return {
    id: context.id,
    state,
    charge_point_id: context.chargePointId,
    protocol: context.protocol,
    transaction_id: context.transactionId,
    evse_id: context.ocppEvseId,
    start_date_time: context.startAt,
    ...(context.endAt ? { end_date_time: context.endAt } : {}),
    ...(context.stopReason ? { stop_reason: context.stopReason } : {}),
    ...(session ? { ocpi: session } : {}),
    ...(cdr ? { cdr_id: cdr.id } : {}),
  };
}

/** Operator API for charging sessions and CDRs: everything, whoever's token it was. */
export function sessionsRoutes(deps: ApiDeps) {
  const { sessions } = deps;
  return new Elysia({ name: 'api.sessions', prefix: '/api/v1', detail: { tags: ['Sessions and CDRs'], security: apiSecurity } })
    .use(apiKeyAuth(deps))
    .get('/sessions', ({ query }) => sessions.list(Math.min(query.limit ?? 100, 1000), query.offset ?? 0).map(present), {
      query: Paging,
      response: t.Array(OperatorSession),
      detail: { summary: 'Sessions, newest first, with their OCPP side and OCPI rendering' },
    })
    .get(
      '/sessions/:id',
      ({ params }) => {
        const view = sessions.view(params.id);
        if (!view) throw new ApiError(404, 'not_found', `No session ${params.id}`);
        return present(view);
      },
      { params: t.Object({ id: t.String() }), response: OperatorSession, detail: { summary: 'One session' } },
    )
    .get(
      '/cdrs',
      ({ query, set }) => {
        const page = sessions.cdrsPage({ offset: query.offset ?? 0, limit: Math.min(query.limit ?? 100, 1000) }, 'all');
        set.headers['x-total-count'] = String(page.total);
        return objectsOf<CDR>(page);
      },
      { query: Paging, response: t.Array(CDR), detail: { summary: 'CDRs, oldest first' } },
    );
}
