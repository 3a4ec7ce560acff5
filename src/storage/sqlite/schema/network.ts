import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * OCPI objects are stored whole (body = the OCPI JSON in the form it is served in) next to the columns we filter
 * on. `key` is the upper-cased id because OCPI ids are CiStrings; `seq` gives the stable oldest-first paging order
 * and survives replacement; `last_updated_ms` serves date_from/date_to (through the lists of ../paging.ts).
 */
export const locations = sqliteTable(
  'locations',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    key: text('key').notNull(),
    published: integer('published', { mode: 'boolean' }).notNull(),
    lastUpdatedMs: integer('last_updated_ms').notNull(),
    body: text('body', { mode: 'json' }).notNull(),
  },
  // Unpublished locations are few and each partner's view of them is worked out from their publish_allowed_to.
  (table) => [uniqueIndex('locations_key_idx').on(table.key), index('locations_unpublished_idx').on(table.seq).where(sql`${table.published} = 0`)],
);

/**
 * Every EVSE by uid (unique within the CPO platform, OCPI 2.2.1 Locations) with the OCPP charge point and
 * EVSE that feed it, when bound. Operator data: the binding is never shown on OCPI.
 */
export const evses = sqliteTable(
  'evses',
  {
    uidKey: text('uid_key').primaryKey(),
    locationKey: text('location_key')
      .notNull()
      .references(() => locations.key, { onDelete: 'cascade' }),
    chargePointId: text('charge_point_id'),
    ocppEvseId: integer('ocpp_evse_id'),
  },
  (table) => [index('evses_location_idx').on(table.locationKey), uniqueIndex('evses_ocpp_idx').on(table.chargePointId, table.ocppEvseId)],
);

export const tariffs = sqliteTable(
  'tariffs',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    key: text('key').notNull(),
    lastUpdatedMs: integer('last_updated_ms').notNull(),
    body: text('body', { mode: 'json' }).notNull(),
  },
  (table) => [uniqueIndex('tariffs_key_idx').on(table.key)],
);

/** Registered charge points: Basic-auth password hash and the persisted snapshot of the station's actor. */
export const chargePoints = sqliteTable('charge_points', {
  id: text('id').primaryKey(),
  passwordHash: text('password_hash').notNull(),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
  machineVersion: integer('machine_version'),
  snapshot: text('snapshot', { mode: 'json' }),
  /** The station's last message, flushed from memory every few seconds (a Heartbeat writes no snapshot). */
  lastSeenAt: text('last_seen_at'),
});
