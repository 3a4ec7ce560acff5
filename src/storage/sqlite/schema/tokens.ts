import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { partners } from './partners.ts';

/** Driver tokens pushed by eMSPs (we are Tokens Receiver). Identity: country_code + party_id + uid + type. */
export const tokens = sqliteTable(
  'tokens',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id, { onDelete: 'cascade' }),
    countryCode: text('country_code').notNull(),
    partyId: text('party_id').notNull(),
    uidKey: text('uid_key').notNull(),
    type: text('type').notNull(),
    lastUpdatedMs: integer('last_updated_ms').notNull(),
    body: text('body', { mode: 'json' }).notNull(),
  },
  (table) => [
    uniqueIndex('tokens_identity_idx').on(table.countryCode, table.partyId, table.uidKey, table.type),
    index('tokens_uid_idx').on(table.uidKey, table.type),
  ],
);
