import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Guest (card-paid) sessions: the persisted snapshot of each guest session actor. `id` is the keyed hash of the
 * driver's session token (we never keep the token itself); `id_tag` is what the charge point sees.
 */
export const guestSessions = sqliteTable(
  'guest_sessions',
  {
    id: text('id').primaryKey(),
    idTag: text('id_tag').notNull(),
    machineVersion: integer('machine_version').notNull(),
    snapshot: text('snapshot', { mode: 'json' }).notNull(),
    createdAtMs: integer('created_at_ms').notNull(),
  },
  (table) => [uniqueIndex('guest_sessions_id_tag_idx').on(table.idTag)],
);
