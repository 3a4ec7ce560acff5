import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * One row per partner connection: the persisted snapshot of its actor (actors/partner). `version` counts its
 * writes: several nodes save it by compare-and-set (SnapshotStore.saveIfVersion).
 */
export const partners = sqliteTable('partners', {
  id: text('id').primaryKey(),
  machineVersion: integer('machine_version').notNull(),
  snapshot: text('snapshot', { mode: 'json' }).notNull(),
  version: integer('version').notNull().default(0),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
});

export const credentialsTokenKinds = ['A', 'C'] as const;

/**
 * Credentials tokens partners present to us, stored as keyed hashes only. Kind A is the registration token
 * (versions and credentials only); kind C opens every module.
 */
export const credentialsTokens = sqliteTable(
  'credentials_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: credentialsTokenKinds }).notNull(),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at'),
    revokedAt: text('revoked_at'),
  },
  (table) => [index('credentials_tokens_partner_idx').on(table.partnerId)],
);
