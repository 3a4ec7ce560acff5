import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const deliveryStatuses = ['pending', 'delivered', 'dead', 'cancelled'] as const;

/**
 * Work that must happen exactly once after a change commits, written in the same transaction as the change:
 * pushes to a partner (channel = the partner's id) and payment captures/releases (channel = 'payments'). Each
 * channel's delivery actor works its rows in id order per `object_key`; `next_attempt_at_ms` is the retry
 * deadline as data, so it survives a restart.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channel: text('channel').notNull(),
    objectKey: text('object_key').notNull(),
    method: text('method', { enum: ['PUT', 'PATCH', 'POST', 'DELETE'] }).notNull(),
    /** Module of the partner's endpoint (resolved at send time, so a credentials update takes effect) … */
    module: text('module'),
    /** … and the path below it; or, without module, an absolute URL (a command's response_url). */
    path: text('path').notNull(),
    body: text('body', { mode: 'json' }),
    /** The party behind the partner's connection the row is for (OCPI-to-*); null for the connection as a whole. */
    toCountryCode: text('to_country_code'),
    toPartyId: text('to_party_id'),
    status: text('status', { enum: deliveryStatuses }).notNull(),
    attempts: integer('attempts').notNull(),
    createdAtMs: integer('created_at_ms').notNull(),
    /** When its first attempt failed: DELIVERY_MAX_AGE_S counts from here (a row held for an unreachable party does not age). */
    firstFailedAtMs: integer('first_failed_at_ms'),
    nextAttemptAtMs: integer('next_attempt_at_ms').notNull(),
    lastError: text('last_error'),
    deliveredAtMs: integer('delivered_at_ms'),
    /** The Location header the partner answered a CDR POST with, or the payment provider's reference. */
    responseLocation: text('response_location'),
  },
  (table) => [index('outbox_channel_status_idx').on(table.channel, table.status, table.id), index('outbox_object_idx').on(table.channel, table.objectKey, table.id)],
);
