import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The fencing epoch of each station's current owner node (several nodes, REDIS_URL): a node claiming a station
 * writes the epoch Redis gave it here, and every write for that station's actors checks, in its own transaction,
 * that no newer epoch exists — so a node that lost the station (paused past its lease) cannot write stale state.
 */
export const stationEpochs = sqliteTable('station_epochs', {
  chargePointId: text('charge_point_id').primaryKey(),
  epoch: integer('epoch').notNull(),
});
