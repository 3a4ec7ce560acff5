import { and, eq } from 'drizzle-orm';
import { compareAndSet } from './compare-and-set.ts';
import type { Db } from './db.ts';
import { partners } from './schema/partners.ts';

export interface StoredSnapshot {
  machineVersion: number;
  snapshot: unknown;
  version: number;
}

/** Persisted actor snapshots of partner connections (see actors/system/actor-host.ts). */
export function partnerSnapshotsRepo(db: Db) {
  return {
    load(id: string): StoredSnapshot | undefined {
      const row = db.select().from(partners).where(eq(partners.id, id)).get();
      return row && { machineVersion: row.machineVersion, snapshot: row.snapshot, version: row.version };
    },
    versionOf(id: string): number | undefined {
      return db.select({ version: partners.version }).from(partners).where(eq(partners.id, id)).get()?.version;
    },
    saveIfVersion(id: string, machineVersion: number, snapshot: unknown, now: Date, expected: number | undefined) {
      const at = now.toISOString();
      return compareAndSet(
        expected,
        () => db.insert(partners).values({ id, machineVersion, snapshot, createdAt: at, updatedAt: at, version: 1 }).onConflictDoNothing().run(),
        (version, current) => db.update(partners).set({ machineVersion, snapshot, updatedAt: at, version }).where(and(eq(partners.id, id), eq(partners.version, current))).run(),
      );
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
