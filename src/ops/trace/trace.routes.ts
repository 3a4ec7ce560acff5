import { Elysia, t } from 'elysia';
import { ApiError } from '../../api/api-error.ts';
import type { ApiDeps } from '../../api/api-deps.ts';
import { apiKeyAuth, apiSecurity } from '../../api/api-key-auth.plugin.ts';
import type { StoredTraceRow, TraceRepo, TraceSubject } from '../../storage/sqlite/trace.repo.ts';

const TraceRecord = t.Object(
  {
    id: t.Integer(),
    time: t.String({ description: 'When the frame crossed the socket, the request started, the payment call was made (ISO 8601, ms)' }),
    protocol: t.Union([t.Literal('ocpp'), t.Literal('ocpi'), t.Literal('payment')]),
    direction: t.Union([t.Literal('in'), t.Literal('out')], { description: 'in: the station or partner sent it to us; out: we sent it' }),
    charge_point_id: t.Optional(t.String()),
    partner_id: t.Optional(t.String()),
    session_id: t.Optional(t.String()),
    guest_session_id: t.Optional(t.String()),
    action: t.String({ description: 'OCPP action, OCPI module, or payment operation (hold, capture, release)' }),
    message_id: t.Optional(t.String({ description: 'OCPP message id, OCPI X-Request-ID, or payment idempotency key' })),
    correlation_id: t.Optional(t.String({ description: 'OCPI X-Correlation-ID' })),
    status: t.String({ description: 'OCPP: CALL, CALLRESULT, CALLERROR or MALFORMED; OCPI: the HTTP status or NO_RESPONSE; payment: ok, declined, refused, provider_error, exception' }),
    error_code: t.Optional(t.String({ description: 'OCPP CALLERROR code, payment decline/refusal code, or why an OCPI call got no answer' })),
    http_status: t.Optional(t.Integer()),
    ocpi_status: t.Optional(t.Integer({ description: 'OCPI status_code of the answer' })),
    duration_ms: t.Optional(t.Number({ description: 'OCPP: from the CALL to this answer; OCPI and payments: the whole exchange' })),
    method: t.Optional(t.String({ description: 'OCPI HTTP method, or the payment provider' })),
    url: t.Optional(t.String()),
    payload: t.Unknown({
      description: 'Secrets redacted. OCPP: the frame as sent; OCPI: { request, response } bodies; payment: { provider, request, result }',
    }),
  },
  {
    examples: [
      {
        id: 41,
        time: '2026-11-20T09:00:00.123Z',
        protocol: 'ocpp',
        direction: 'in',
        charge_point_id: 'CP001',
        session_id: '01JD3Z6M4Q8W7Y2K5T9R0BXC1E',
        action: 'StartTransaction',
        message_id: '5b1c2d',
        status: 'CALL',
        payload: [2, '5b1c2d', 'StartTransaction', { connectorId: 1, idTag: 'RFID0001', meterStart: 1000, timestamp: '2026-11-20T09:00:00Z' }],
      },
    ],
  },
);

const TraceQuery = t.Object({
  since: t.Optional(t.String({ description: 'Records at or after this time (ISO 8601)', examples: ['2026-11-20T00:00:00Z'] })),
  until: t.Optional(t.String({ description: 'Records before this time (ISO 8601)' })),
  offset: t.Optional(t.Numeric({ minimum: 0 })),
  limit: t.Optional(t.Numeric({ minimum: 1, description: 'At most 1000 (default 100)' })),
});
type Query = typeof TraceQuery.static;

function present(row: StoredTraceRow): typeof TraceRecord.static {
  const optional = {
    charge_point_id: row.chargePointId,
    partner_id: row.partnerId,
    session_id: row.sessionId,
    guest_session_id: row.guestSessionId,
    message_id: row.messageId,
    correlation_id: row.correlationId,
    error_code: row.errorCode,
    http_status: row.httpStatus,
    ocpi_status: row.ocpiStatus,
    duration_ms: row.durationMs,
    method: row.method,
    url: row.url,
  };
  let payload: unknown = null;
  try {
    payload = row.payload === null ? null : JSON.parse(row.payload);
  } catch {
    payload = row.payload;
  }
  return {
    id: row.id,
    time: new Date(row.atMs).toISOString(),
    protocol: row.protocol as 'ocpp',
    direction: row.direction as 'in',
    action: row.action,
    status: row.status,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== null)),
    payload,
  };
}

function timeOf(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new ApiError(400, 'invalid_request', `${name} must be an ISO 8601 date-time (got "${value}")`);
  return ms;
}

/** One page in time order, with X-Total-Count, X-Limit and a Link to the next page (as the other lists page). */
export function tracePage(repo: TraceRepo, subject: TraceSubject, query: Query, request: Request, headers: Record<string, unknown>) {
  const limit = Math.min(query.limit ?? 100, 1000);
  const offset = query.offset ?? 0;
  const { items, total } = repo.page(subject, { sinceMs: timeOf(query.since, 'since'), untilMs: timeOf(query.until, 'until'), limit, offset });
  headers['x-total-count'] = String(total);
  headers['x-limit'] = String(limit);
  if (offset + items.length < total) {
    const next = new URL(request.url);
    next.searchParams.set('offset', String(offset + items.length));
    next.searchParams.set('limit', String(limit));
    headers['link'] = `<${next.pathname}${next.search}>; rel="next"`;
  }
  return items.map(present);
}

/** The session, and the guest sessions paid for it, whose records make up its trace. */
export function sessionSubject(repo: TraceRepo, sessionId: string): TraceSubject {
  return { sessionId, guestSessionIds: repo.guestSessionsOf(sessionId) };
}

/** Operator API: the protocol trace of a charge point, a partner, or one charging session. */
export function traceRoutes(deps: ApiDeps) {
  const { storage, partners, sessions } = deps;
  const repo = storage.trace;
  const params = t.Object({ id: t.String() });
  const response = t.Array(TraceRecord);
  const paging = 'Paged with `offset` and `limit` (default 100, at most 1000); `X-Total-Count`, `X-Limit` and a `Link: rel="next"` header tell the rest.';
  return new Elysia({ name: 'api.trace', prefix: '/api/v1', detail: { tags: ['Protocol trace'], security: apiSecurity } })
    .use(apiKeyAuth(deps))
    .get(
      '/charge-points/:id/trace',
      ({ params, query, request, set }) => {
        if (!storage.chargePoints.get(params.id)) throw new ApiError(404, 'not_found', `No charge point ${params.id}`);
        return tracePage(repo, { chargePointId: params.id }, query, request, set.headers);
      },
      { params, query: TraceQuery, response, detail: { summary: 'Every OCPP frame to and from a charge point, in time order', description: paging } },
    )
    .get(
      '/ocpi/partners/:id/trace',
      ({ params, query, request, set }) => {
        if (!partners.view(params.id)) throw new ApiError(404, 'not_found', `No partner ${params.id}`);
        return tracePage(repo, { partnerId: params.id }, query, request, set.headers);
      },
      {
        params,
        query: TraceQuery,
        response,
        detail: { summary: 'Every OCPI request the partner made to us and we made to it, with the answers, in time order', description: paging },
      },
    )
    .get(
      '/sessions/:id/trace',
      ({ params, query, request, set }) => {
        if (!sessions.view(params.id)) throw new ApiError(404, 'not_found', `No session ${params.id}`);
        return tracePage(repo, sessionSubject(repo, params.id), query, request, set.headers);
      },
      {
        params,
        query: TraceQuery,
        response,
        detail: {
          summary: 'Everything that touched one charging session, in time order',
          description: `Its OCPP transaction frames, the OCPI Session pushes and the CDR POST with the partners' answers, and the payment calls of a guest session. ${paging}`,
        },
      },
    );
}

/** Under `bun dev` only: the same session trace without an API key, for the developer page's links. */
export function devTraceRoute(deps: Pick<ApiDeps, 'storage' | 'sessions'>) {
  return new Elysia({ name: 'dev.trace' }).get(
    '/dev/sessions/:id/trace',
    ({ params, query, request, set }) => {
      if (!deps.sessions.view(params.id)) throw new ApiError(404, 'not_found', `No session ${params.id}`);
      return tracePage(deps.storage.trace, sessionSubject(deps.storage.trace, params.id), query, request, set.headers);
    },
    { params: t.Object({ id: t.String() }), query: TraceQuery, detail: { hide: true } },
  );
}
