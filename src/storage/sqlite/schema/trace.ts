import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The protocol trace: one row per OCPP frame, per OCPI exchange (request and answer together) and per payment
 * provider call, with secrets already redacted from `payload`. Rows are written in batches by the trace recorder
 * and deleted by age (TRACE_RETENTION_H) and count (TRACE_MAX_ROWS), oldest `id` first. On a SQLite file the rows live
 * in the trace's own file, whose table is created once from this one's DDL (trace.repo.ts `attachTrace`): a migration
 * changing this table must change that file's too.
 */
export const protocolTrace = sqliteTable(
  'protocol_trace',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    atMs: integer('at_ms').notNull(),
    /** ocpp | ocpi | payment */
    protocol: text('protocol').notNull(),
    /** OCPP: in = the station sent it. OCPI: in = a partner called us. Payments: always out. */
    direction: text('direction').notNull(),
    chargePointId: text('charge_point_id'),
    partnerId: text('partner_id'),
    /** The charging session the record belongs to, when one could be named. */
    sessionId: text('session_id'),
    /** Payment calls name the guest session (from the idempotency key); its charging session is found when read. */
    guestSessionId: text('guest_session_id'),
    /** OCPP action, OCPI module, payment operation. */
    action: text('action').notNull(),
    /** OCPP message id, OCPI X-Request-ID, payment idempotency key. */
    messageId: text('message_id'),
    correlationId: text('correlation_id'),
    /** OCPP: CALL, CALLRESULT, CALLERROR, MALFORMED. OCPI: the HTTP status or NO_RESPONSE. Payments: the outcome. */
    status: text('status').notNull(),
    /** OCPP CALLERROR code, a payment's decline/refusal code, a failed OCPI call's reason. */
    errorCode: text('error_code'),
    httpStatus: integer('http_status'),
    ocpiStatus: integer('ocpi_status'),
    durationMs: real('duration_ms'),
    method: text('method'),
    url: text('url'),
    /** JSON, redacted: the OCPP frame, `{request, response}` of an OCPI exchange, `{provider, request, result}` of a payment. */
    payload: text('payload'),
  },
  (table) => [
    index('protocol_trace_at_idx').on(table.atMs),
    index('protocol_trace_charge_point_idx').on(table.chargePointId, table.atMs),
    // Most rows are OCPP frames of no partner and (outside transactions) no session: those stay out of these two
    // indexes, which the look-ups (`partner_id = ?`, `session_id = ?`) still use.
    index('protocol_trace_partner_idx').on(table.partnerId, table.atMs).where(sql`partner_id is not null`),
    index('protocol_trace_session_idx').on(table.sessionId, table.atMs).where(sql`session_id is not null`),
    index('protocol_trace_guest_idx').on(table.guestSessionId).where(sql`guest_session_id is not null`),
  ],
);
