import { and, eq, gte } from 'drizzle-orm';
import { compareAndSet } from './compare-and-set.ts';
import type { Db } from './db.ts';
import { guestSessions, guestSessionSteps } from './schema/guest-sessions.ts';

const idTagOf = (snapshot: unknown) => (snapshot as { context: { idTag: string } }).context.idTag;

export function guestSessionsRepo(db: Db) {
  return {
    /** Snapshot store of guest session actors (actors/system/actor-host.ts); the id tag comes from the context. */
    snapshots: {
      load(id: string) {
        const row = db.select().from(guestSessions).where(eq(guestSessions.id, id)).get();
        return row && { machineVersion: row.machineVersion, snapshot: row.snapshot, version: row.version };
      },
      save(id: string, machineVersion: number, snapshot: unknown, now: Date) {
        db.insert(guestSessions)
          .values({ id, idTag: idTagOf(snapshot), machineVersion, snapshot, createdAtMs: now.getTime() })
          .onConflictDoUpdate({ target: guestSessions.id, set: { machineVersion, snapshot } })
          .run();
      },
      versionOf(id: string): number | undefined {
        return db.select({ version: guestSessions.version }).from(guestSessions).where(eq(guestSessions.id, id)).get()?.version;
      },
      saveIfVersion(id: string, machineVersion: number, snapshot: unknown, now: Date, expected: number | undefined) {
        return compareAndSet(
          expected,
          () => db.insert(guestSessions).values({ id, idTag: idTagOf(snapshot), machineVersion, snapshot, createdAtMs: now.getTime(), version: 1 }).onConflictDoNothing().run(),
          (version, current) =>
            db.update(guestSessions).set({ machineVersion, snapshot, version }).where(and(eq(guestSessions.id, id), eq(guestSessions.version, current))).run(),
        );
      },
    },
    idByIdTag(idTag: string): string | undefined {
      return db.select({ id: guestSessions.id }).from(guestSessions).where(eq(guestSessions.idTag, idTag)).get()?.id;
    },
    ids(): string[] {
      return db.select({ id: guestSessions.id }).from(guestSessions).all().map((r) => r.id);
    },
    idsSince(createdAtMs: number): string[] {
      return db.select({ id: guestSessions.id }).from(guestSessions).where(gte(guestSessions.createdAtMs, createdAtMs)).all().map((r) => r.id);
    },
    claimStep(id: string, step: 'expiry' | 'start'): boolean {
      return db.insert(guestSessionSteps).values({ guestId: id, step }).onConflictDoNothing().returning({ id: guestSessionSteps.guestId }).all().length > 0;
    },
  };
}
