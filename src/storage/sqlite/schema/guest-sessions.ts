import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Guest (card-paid) sessions: the persisted snapshot of each guest session actor. `id` is the keyed hash of the
 * driver's session token (we never keep the token itself); `id_tag` is what the charge point sees. `version` counts
 * its writes: several nodes save it by compare-and-set (SnapshotStore.saveIfVersion).
 */
export const guestSessions = sqliteTable(
  'guest_sessions',
  {
    id: text('id').primaryKey(),
    idTag: text('id_tag').notNull(),
    machineVersion: integer('machine_version').notNull(),
    snapshot: text('snapshot', { mode: 'json' }).notNull(),
    version: integer('version').notNull().default(0),
    createdAtMs: integer('created_at_ms').notNull(),
  },
  // The timekeeper's rescans (several nodes) read only the recent ones.
  (table) => [uniqueIndex('guest_sessions_id_tag_idx').on(table.idTag), index('guest_sessions_created_idx').on(table.createdAtMs)],
);

/**
 * The timer-driven steps of a guest session taken so far (its expiry, its remote start): the primary key lets one
 * firing take each, whichever node its timer ran on (several nodes may hold the same timer).
 */
export const guestSessionSteps = sqliteTable(
  'guest_session_steps',
  {
    guestId: text('guest_id').notNull(),
    step: text('step', { enum: ['expiry', 'start'] }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.guestId, table.step] })],
);
