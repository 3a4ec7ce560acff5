import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * OCPI commands we accepted: what the eMSP asked, where it goes on the OCPP side, and the deadline by which a
 * CommandResult must have gone out (data, re-armed at boot, so a restart never leaves a command hanging).
 */
export const commands = sqliteTable(
  'commands',
  {
    id: text('id').primaryKey(),
    partnerId: text('partner_id').notNull(),
    type: text('type').notNull(),
    body: text('body', { mode: 'json' }).notNull(),
    chargePointId: text('charge_point_id'),
    ocppEvseId: integer('ocpp_evse_id'),
    /** The id tag the station sees (an OCPI uid longer than 1.6's 20 characters gets a short stand-in). */
    ocppIdTag: text('ocpp_id_tag'),
    createdAtMs: integer('created_at_ms').notNull(),
    deadlineMs: integer('deadline_ms').notNull(),
    /** Set once the CommandResult is queued for the eMSP. */
    result: text('result'),
    /** The party behind the partner's connection the CommandResult is for (OCPI-to-*); null: the connection. */
    toCountryCode: text('to_country_code'),
    toPartyId: text('to_party_id'),
  },
  (table) => [index('commands_open_idx').on(table.result, table.deadlineMs), index('commands_start_idx').on(table.chargePointId, table.ocppIdTag)],
);

/** 2.0.1 RequestStartTransaction needs an integer remoteStartId; this sequence hands them out. */
export const remoteStarts = sqliteTable('remote_starts', {
  remoteStartId: integer('remote_start_id').primaryKey({ autoIncrement: true }),
  commandId: text('command_id').notNull(),
});

/**
 * Reservations: the eMSP's reservation_id mapped to our integer OCPP reservationId, per partner, so no eMSP can
 * touch another's reservation (OCPI 2.2.1 commands, RESERVE_NOW).
 */
export const reservations = sqliteTable(
  'reservations',
  {
    reservationId: integer('reservation_id').primaryKey({ autoIncrement: true }),
    partnerId: text('partner_id').notNull(),
    emspReservationId: text('emsp_reservation_id').notNull(),
    chargePointId: text('charge_point_id').notNull(),
    ocppEvseId: integer('ocpp_evse_id').notNull(),
    responseUrl: text('response_url').notNull(),
    expiryMs: integer('expiry_ms').notNull(),
    status: text('status', { enum: ['requested', 'active', 'used', 'cancelled', 'expired', 'refused'] }).notNull(),
  },
  (table) => [uniqueIndex('reservations_emsp_idx').on(table.partnerId, table.emspReservationId), index('reservations_expiry_idx').on(table.status, table.expiryMs)],
);
