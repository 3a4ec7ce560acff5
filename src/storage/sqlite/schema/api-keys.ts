import { sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Operator API keys: shown once at creation, kept only as keyed hashes. */
export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    keyHash: text('key_hash').notNull(),
    createdAt: text('created_at').notNull(),
    revokedAt: text('revoked_at'),
  },
  (table) => [uniqueIndex('api_keys_hash_idx').on(table.keyHash)],
);
