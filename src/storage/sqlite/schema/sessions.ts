import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Charging sessions: the persisted snapshot of each session actor, plus the OCPI Session it renders (`body`,
 * null while it has no location to publish) and the columns partners' lists filter on.
 */
export const sessions = sqliteTable(
  'sessions',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull(),
    chargePointId: text('charge_point_id').notNull(),
    /** The OCPP transaction id: ours for 1.6 (integer as text), the station's for 2.0.1. */
    transactionId: text('transaction_id').notNull(),
    ocppEvseId: integer('ocpp_evse_id').notNull(),
    tokenCountryCode: text('token_country_code').notNull(),
    tokenPartyId: text('token_party_id').notNull(),
    status: text('status').notNull(),
    lastUpdatedMs: integer('last_updated_ms').notNull(),
    machineVersion: integer('machine_version').notNull(),
    snapshot: text('snapshot', { mode: 'json' }).notNull(),
    body: text('body', { mode: 'json' }),
  },
  (table) => [
    uniqueIndex('sessions_id_idx').on(table.id),
    uniqueIndex('sessions_transaction_idx').on(table.chargePointId, table.transactionId),
    // A party's rows in seq order (the rowid ends every index entry): what its list is built from.
    index('sessions_owner_idx').on(table.tokenCountryCode, table.tokenPartyId),
    index('sessions_running_idx').on(table.chargePointId, table.ocppEvseId, table.status),
  ],
);

/**
 * OCPP 1.6 transaction ids are integers we assign. A retransmitted StartTransaction (same station, connector,
 * idTag, timestamp and meterStart) must get the same id back, hence the unique key.
 */
export const ocpp16Transactions = sqliteTable(
  'ocpp16_transactions',
  {
    transactionId: integer('transaction_id').primaryKey({ autoIncrement: true }),
    chargePointId: text('charge_point_id').notNull(),
    connectorId: integer('connector_id').notNull(),
    idTag: text('id_tag').notNull(),
    timestamp: text('timestamp').notNull(),
    meterStart: integer('meter_start').notNull(),
  },
  (table) => [uniqueIndex('ocpp16_transactions_start_idx').on(table.chargePointId, table.connectorId, table.idTag, table.timestamp, table.meterStart)],
);

/** 2.0.1 TransactionEvents seen, so a retransmission (same station, transaction, seqNo) is answered, not applied twice. */
export const transactionEvents = sqliteTable(
  'transaction_events',
  {
    chargePointId: text('charge_point_id').notNull(),
    transactionId: text('transaction_id').notNull(),
    seqNo: integer('seq_no').notNull(),
  },
  (table) => [uniqueIndex('transaction_events_idx').on(table.chargePointId, table.transactionId, table.seqNo)],
);

/** CDRs: immutable once written, exactly one per session. */
export const cdrs = sqliteTable(
  'cdrs',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull(),
    sessionId: text('session_id').notNull(),
    tokenCountryCode: text('token_country_code').notNull(),
    tokenPartyId: text('token_party_id').notNull(),
    lastUpdatedMs: integer('last_updated_ms').notNull(),
    body: text('body', { mode: 'json' }).notNull(),
  },
  (table) => [
    uniqueIndex('cdrs_id_idx').on(table.id),
    uniqueIndex('cdrs_session_idx').on(table.sessionId),
    index('cdrs_owner_idx').on(table.tokenCountryCode, table.tokenPartyId),
  ],
);
