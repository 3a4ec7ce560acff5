import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Each session's meter history, append-only: one row per reading or charging-state change, numbered in the order
 * it arrived (src/domain/cdr/meter-history.ts says what the rows mean). A session's CDR is priced from them once;
 * the running session keeps its figures up to date in memory and replays them only when a row arrives out of
 * order or after a restart. `sample` rows are the samples version-1 snapshots held, carried over by the migration.
 */
export const sessionReadings = sqliteTable(
  'session_readings',
  {
    sessionId: text('session_id').notNull(),
    seq: integer('seq').notNull(),
    kind: text('kind', { enum: ['reading', 'charging', 'sample'] }).notNull(),
    at: text('at').notNull(),
    energyKwh: text('energy_kwh'),
    powerKw: text('power_kw'),
    currentA: text('current_a'),
    charging: integer('charging', { mode: 'boolean' }),
  },
  (table) => [primaryKey({ columns: [table.sessionId, table.seq] })],
);
