import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { integrationRequestStatuses, integrationTypes } from '../../../model/api/integration-requests.ts';


/**
 * Requests to integrate a partner (eMSP, hub, payment provider) that the operator triages. `seq` gives the
 * stable oldest-first listing order, whatever clock stamped the ULID.
 */
export const integrationRequests = sqliteTable(
  'integration_requests',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull(),
    integrationType: text('integration_type', { enum: integrationTypes }).notNull(),
    partnerName: text('partner_name').notNull(),
    description: text('description'),
    status: text('status', { enum: integrationRequestStatuses }).notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (table) => [uniqueIndex('integration_requests_id_idx').on(table.id), index('integration_requests_status_idx').on(table.status, table.seq)],
);

/**
 * Every status a request was given, creation included, and by whom. `by` is the API key's name at that moment
 * (kept, not joined, so the trail still reads right after the key is revoked); `by_key_id` pins which key it was.
 */
export const integrationRequestEvents = sqliteTable(
  'integration_request_events',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    requestId: text('request_id')
      .notNull()
      .references(() => integrationRequests.id, { onDelete: 'cascade' }),
    status: text('status', { enum: integrationRequestStatuses }).notNull(),
    note: text('note'),
    by: text('by').notNull(),
    byKeyId: text('by_key_id').notNull(),
    at: text('at').notNull(),
  },
  (table) => [index('integration_request_events_request_idx').on(table.requestId, table.seq)],
);
