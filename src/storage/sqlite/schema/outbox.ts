import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { partners } from './partners.ts';

export const deliveryStatuses = ['pending', 'delivered', 'dead', 'cancelled'] as const;

/**
 * What each partner must hear about, written in the same transaction as the change itself and delivered by the
 * partner's delivery actor. Rows are delivered in id order per `object_key`; `next_attempt_at_ms` is the retry
 * deadline as data, so it survives a restart.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id, { onDelete: 'cascade' }),
    objectKey: text('object_key').notNull(),
    method: text('method', { enum: ['PUT', 'PATCH', 'POST', 'DELETE'] }).notNull(),
    /** Module of the partner's endpoint (resolved at send time, so a credentials update takes effect) … */
    module: text('module'),
    /** … and the path below it; or, without module, an absolute URL (a command's response_url). */
    path: text('path').notNull(),
    body: text('body', { mode: 'json' }),
    status: text('status', { enum: deliveryStatuses }).notNull(),
    attempts: integer('attempts').notNull(),
    createdAtMs: integer('created_at_ms').notNull(),
    nextAttemptAtMs: integer('next_attempt_at_ms').notNull(),
    lastError: text('last_error'),
    deliveredAtMs: integer('delivered_at_ms'),
    /** The Location header the partner answered a CDR POST with. */
    responseLocation: text('response_location'),
  },
  (table) => [index('outbox_partner_status_idx').on(table.partnerId, table.status, table.id), index('outbox_object_idx').on(table.partnerId, table.objectKey, table.id)],
);
