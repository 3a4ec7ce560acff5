import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from './db.ts';
import { chargePoints } from './schema/network.ts';
import { sessions } from './schema/sessions.ts';

export function chargePointsRepo(db: Db) {
  // Every station message touches its snapshot: prepared statements, not the query builder (~10× cheaper).
  const loadSnapshot = db.$client.prepare<{ v: number | null; s: string | null }, [string]>(
    'SELECT machine_version AS v, snapshot AS s FROM charge_points WHERE id = ?',
  );
  const saveSnapshot = db.$client.prepare<never, [number, string, string]>('UPDATE charge_points SET machine_version = ?, snapshot = ? WHERE id = ?');
  const passwordHash = db.$client.prepare<{ h: string }, [string]>('SELECT password_hash AS h FROM charge_points WHERE id = ?');
  // Read at every start for up to hundreds of thousands of stations: rows as plain objects, not through drizzle's mapping.
  const snapshotIds = db.$client.prepare<{ id: string }, []>('SELECT id FROM charge_points WHERE snapshot IS NOT NULL');
  const readLastSeen = db.$client.prepare<{ at: string | null }, [string]>('SELECT last_seen_at AS at FROM charge_points WHERE id = ?');
  const writeLastSeen = db.$client.prepare('UPDATE charge_points SET last_seen_at = ? WHERE id = ?');
  return {
    get(id: string) {
      return db.select().from(chargePoints).where(eq(chargePoints.id, id)).get();
    },
    put(id: string, passwordHash: string, at: string): { created: boolean } {
      const existed = this.get(id);
      db.insert(chargePoints)
        .values({ id, passwordHash, createdAt: at, updatedAt: at })
        .onConflictDoUpdate({ target: chargePoints.id, set: { passwordHash, updatedAt: at } })
        .run();
      return { created: !existed };
    },
    list() {
      return db.select({ id: chargePoints.id, createdAt: chargePoints.createdAt, updatedAt: chargePoints.updatedAt }).from(chargePoints).orderBy(asc(chargePoints.id)).all();
    },
    passwordHashOf(id: string): string | undefined {
      return passwordHash.get(id)?.h;
    },
    /** Snapshot store of charge point actors (actors/system/actor-host.ts); a station must be registered first. */
    snapshots: {
      load(id: string) {
        const row = loadSnapshot.get(id);
        return row?.v != null && row.s != null ? { machineVersion: row.v, snapshot: JSON.parse(row.s) as unknown } : undefined;
      },
      save(id: string, machineVersion: number, snapshot: unknown) {
        if (saveSnapshot.run(machineVersion, JSON.stringify(snapshot), id).changes === 0) throw new Error(`Charge point ${id} is not registered`);
      },
      ids(): string[] {
        return snapshotIds.all().map((r) => r.id);
      },
    },
    /** When stations were last heard from, as flushed from memory (actors/charge-point/liveness.ts). */
    lastSeen: {
      stored: (id: string) => readLastSeen.get(id)?.at ?? undefined,
      /** A station removed meanwhile has no row: nothing is written for it. */
      write(entries: Iterable<[id: string, at: string]>) {
        for (const [id, at] of entries) writeLastSeen.run(at, id);
      },
    },
    /** Sessions whose transaction still runs on the station (what must be stopped before it is removed). */
    runningSessions(id: string): string[] {
      return db
        .select({ id: sessions.id })
        .from(sessions)
        .where(and(eq(sessions.chargePointId, id), inArray(sessions.status, ['pending', 'active'])))
        .all()
        .map((r) => r.id);
    },
    delete(id: string): boolean {
      return db.delete(chargePoints).where(eq(chargePoints.id, id)).returning({ id: chargePoints.id }).all().length > 0;
    },
  };
}
