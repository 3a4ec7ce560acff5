import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from './db.ts';
import { apiKeys } from './schema/api-keys.ts';

export function apiKeysRepo(db: Db) {
  return {
    create(row: { id: string; name: string; keyHash: string; createdAt: string }) {
      db.insert(apiKeys).values(row).run();
    },
    findActiveByHash(keyHash: string) {
      return db.select({ id: apiKeys.id }).from(apiKeys).where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt))).get();
    },
    list() {
      return db
        .select({ id: apiKeys.id, name: apiKeys.name, createdAt: apiKeys.createdAt, revokedAt: apiKeys.revokedAt })
        .from(apiKeys)
        .orderBy(asc(apiKeys.createdAt))
        .all();
    },
    revoke(id: string, at: string): boolean {
      return db.update(apiKeys).set({ revokedAt: at }).where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))).returning({ id: apiKeys.id }).all().length > 0;
    },
  };
}
