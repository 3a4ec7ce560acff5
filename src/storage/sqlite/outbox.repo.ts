import { and, asc, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import { outbox } from './schema/outbox.ts';

export type DeliveryRow = typeof outbox.$inferSelect;
export type NewDelivery = Pick<DeliveryRow, 'channel' | 'objectKey' | 'method' | 'module' | 'path' | 'body'>;

export function outboxRepo(db: Db) {
  return {
    enqueue(delivery: NewDelivery, nowMs: number): number {
      return db
        .insert(outbox)
        .values({ ...delivery, status: 'pending', attempts: 0, createdAtMs: nowMs, nextAttemptAtMs: nowMs })
        .returning({ id: outbox.id })
        .get().id;
    },
    /**
     * The next row to send: pending, due, and the oldest pending row of its object (per-object order: a newer
     * change never overtakes an older one).
     */
    nextDue(channel: string, nowMs: number): DeliveryRow | undefined {
      return db
        .select()
        .from(outbox)
        .where(
          and(
            eq(outbox.channel, channel),
            eq(outbox.status, 'pending'),
            lte(outbox.nextAttemptAtMs, nowMs),
            sql`${outbox.id} = (select min(o2.id) from ${outbox} o2 where o2.channel = ${outbox.channel} and o2.object_key = ${outbox.objectKey} and o2.status = 'pending')`,
          ),
        )
        .orderBy(asc(outbox.id))
        .limit(1)
        .get();
    },
    /** When the earliest pending row becomes due, if any. */
    nextAttemptAt(channel: string): number | undefined {
      return db
        .select({ at: sql<number>`min(${outbox.nextAttemptAtMs})` })
        .from(outbox)
        .where(and(eq(outbox.channel, channel), eq(outbox.status, 'pending')))
        .get()?.at ?? undefined;
    },
    delivered(id: number, nowMs: number, responseLocation?: string) {
      db.update(outbox)
        .set({ status: 'delivered', deliveredAtMs: nowMs, attempts: sql`${outbox.attempts} + 1`, lastError: null, responseLocation: responseLocation ?? null })
        .where(eq(outbox.id, id))
        .run();
    },
    failed(id: number, error: string, nextAttemptAtMs: number) {
      db.update(outbox).set({ attempts: sql`${outbox.attempts} + 1`, lastError: error, nextAttemptAtMs }).where(eq(outbox.id, id)).run();
    },
    deadLetter(id: number, error: string) {
      db.update(outbox).set({ status: 'dead', attempts: sql`${outbox.attempts} + 1`, lastError: error }).where(eq(outbox.id, id)).run();
    },
    /** Operator replay of a dead-lettered (or stuck) row: pending again, due now. */
    retry(channel: string, id: number, nowMs: number): boolean {
      return (
        db
          .update(outbox)
          .set({ status: 'pending', attempts: 0, nextAttemptAtMs: nowMs, createdAtMs: nowMs })
          .where(and(eq(outbox.id, id), eq(outbox.channel, channel), inArray(outbox.status, ['dead', 'pending'])))
          .returning({ id: outbox.id })
          .all().length > 0
      );
    },
    cancelAll(channel: string) {
      db.update(outbox).set({ status: 'cancelled' }).where(and(eq(outbox.channel, channel), eq(outbox.status, 'pending'))).run();
    },
    list(channel: string, statuses: DeliveryRow['status'][], limit: number): DeliveryRow[] {
      return db
        .select()
        .from(outbox)
        .where(and(eq(outbox.channel, channel), inArray(outbox.status, statuses)))
        .orderBy(desc(outbox.id))
        .limit(limit)
        .all();
    },
    channelsWithPending(): string[] {
      return db.selectDistinct({ p: outbox.channel }).from(outbox).where(eq(outbox.status, 'pending')).all().map((r) => r.p);
    },
  };
}
