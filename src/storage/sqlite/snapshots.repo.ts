import { eq } from 'drizzle-orm';
import type { Db } from './db.ts';
import { partners } from './schema/partners.ts';

export interface StoredSnapshot {
  machineVersion: number;
  snapshot: unknown;
}

/** Persisted actor snapshots of partner connections (see actors/system/actor-host.ts). */
export function partnerSnapshotsRepo(db: Db) {
  return {
    load(id: string): StoredSnapshot | undefined {
      const row = db.select().from(partners).where(eq(partners.id, id)).get();
      return row && { machineVersion: row.machineVersion, snapshot: row.snapshot };
    },
    save(id: string, machineVersion: number, snapshot: unknown, now: Date) {
      const at = now.toISOString();
      db.insert(partners)
        .values({ id, machineVersion, snapshot, createdAt: at, updatedAt: at })
        .onConflictDoUpdate({ target: partners.id, set: { machineVersion, snapshot, updatedAt: at } })
        .run();
    },
    /** Credentials tokens go with it (foreign key, on delete cascade). */
    delete(id: string) {
      db.delete(partners).where(eq(partners.id, id)).run();
    },
    ids(): string[] {
      return db.select({ id: partners.id }).from(partners).orderBy(partners.createdAt).all().map((r) => r.id);
    },
  };
}
