import { and, asc, desc, eq, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { Party } from '../../domain/parties.ts';
import type { Delivery, NewDelivery } from '../ports.ts';
import type { Db } from './db.ts';
import { outbox } from './schema/outbox.ts';

type Row = typeof outbox.$inferSelect;

function delivery({ toCountryCode, toPartyId, ...row }: Row): Delivery {
  return { ...row, to: toCountryCode !== null && toPartyId !== null ? { country_code: toCountryCode, party_id: toPartyId } : null };
}

/** Rows for none of the `held` parties (stored upper-case, as CiStrings compare). */
function notFor(held: Party[]): SQL | undefined {
  if (held.length === 0) return undefined;
  const keys = held.map((p) => `${p.country_code.toUpperCase()}*${p.party_id.toUpperCase()}`);
  return sql`coalesce(${outbox.toCountryCode} || '*' || ${outbox.toPartyId}, '') not in ${keys}`;
}

export function outboxRepo(db: Db) {
  /** The first row, by `order`, of those `where` matches. */
  const first = (where: SQL | undefined, order: SQL): Delivery | undefined => {
    const row = db.select().from(outbox).where(where).orderBy(order).limit(1).get();
    return row && delivery(row);
  };
  return {
    enqueue({ to, ...row }: NewDelivery, nowMs: number, dueAtMs = nowMs): number {
      return db
        .insert(outbox)
        .values({
          ...row,
          toCountryCode: to?.country_code.toUpperCase() ?? null,
          toPartyId: to?.party_id.toUpperCase() ?? null,
          status: 'pending',
          attempts: 0,
          createdAtMs: nowMs,
          nextAttemptAtMs: dueAtMs,
        })
        .returning({ id: outbox.id })
        .get().id;
    },
    /** The object's newest row on the channel for party `to` (null: the connection as a whole), whatever its status. */
    latest(channel: string, objectKey: string, to: Party | null): Delivery | undefined {
      const party = sql`${outbox.toCountryCode} is not distinct from ${to?.country_code.toUpperCase() ?? null} and ${outbox.toPartyId} is not distinct from ${to?.party_id.toUpperCase() ?? null}`;
      return first(and(eq(outbox.channel, channel), eq(outbox.objectKey, objectKey), party), desc(outbox.id));
    },
    /** A pending row takes new content (and due time); false when it is no longer pending. */
    rewrite(id: number, change: Pick<Delivery, 'method' | 'body'> & { nextAttemptAtMs?: number }): boolean {
      return db.update(outbox).set(change).where(and(eq(outbox.id, id), eq(outbox.status, 'pending'))).returning({ id: outbox.id }).all().length > 0;
    },
    /**
     * The next row to send: pending, due, for no held party, and the oldest pending row of its object for its
     * party (per-object order: a newer change never overtakes an older one).
     */
    nextDue(channel: string, nowMs: number, held: Party[] = []): Delivery | undefined {
      return first(
        and(
          eq(outbox.channel, channel),
          eq(outbox.status, 'pending'),
          lte(outbox.nextAttemptAtMs, nowMs),
          notFor(held),
          sql`${outbox.id} = (select min(o2.id) from ${outbox} o2 where o2.channel = ${outbox.channel} and o2.object_key = ${outbox.objectKey} and o2.to_country_code is not distinct from ${outbox.toCountryCode} and o2.to_party_id is not distinct from ${outbox.toPartyId} and o2.status = 'pending')`,
        ),
        asc(outbox.id),
      );
    },
    /** When the earliest pending row for no held party becomes due, if any. */
    nextAttemptAt(channel: string, held: Party[] = []): number | undefined {
      return db
        .select({ at: sql<number>`min(${outbox.nextAttemptAtMs})` })
        .from(outbox)
        .where(and(eq(outbox.channel, channel), eq(outbox.status, 'pending'), notFor(held)))
        .get()?.at ?? undefined;
    },
    delivered(id: number, nowMs: number, responseLocation?: string) {
      db.update(outbox)
        .set({ status: 'delivered', deliveredAtMs: nowMs, attempts: sql`${outbox.attempts} + 1`, lastError: null, responseLocation: responseLocation ?? null })
        .where(eq(outbox.id, id))
        .run();
    },
    failed(id: number, error: string, nextAttemptAtMs: number, nowMs: number) {
      db.update(outbox)
        .set({ attempts: sql`${outbox.attempts} + 1`, lastError: error, nextAttemptAtMs, firstFailedAtMs: sql`coalesce(${outbox.firstFailedAtMs}, ${nowMs})` })
        .where(eq(outbox.id, id))
        .run();
    },
    deadLetter(id: number, error: string) {
      db.update(outbox).set({ status: 'dead', attempts: sql`${outbox.attempts} + 1`, lastError: error }).where(eq(outbox.id, id)).run();
    },
    /** Operator replay of a dead-lettered (or stuck) row: pending again, due now. */
    retry(channel: string, id: number, nowMs: number): boolean {
      return (
        db
          .update(outbox)
          .set({ status: 'pending', attempts: 0, nextAttemptAtMs: nowMs, createdAtMs: nowMs, firstFailedAtMs: null })
          .where(and(eq(outbox.id, id), eq(outbox.channel, channel), inArray(outbox.status, ['dead', 'pending'])))
          .returning({ id: outbox.id })
          .all().length > 0
      );
    },
    cancelAll(channel: string) {
      db.update(outbox).set({ status: 'cancelled' }).where(and(eq(outbox.channel, channel), eq(outbox.status, 'pending'))).run();
    },
    list(channel: string, statuses: Delivery['status'][], limit: number): Delivery[] {
      return db
        .select()
        .from(outbox)
        .where(and(eq(outbox.channel, channel), inArray(outbox.status, statuses)))
        .orderBy(desc(outbox.id))
        .limit(limit)
        .all()
        .map(delivery);
    },
    channelsWithPending(): string[] {
      return db.selectDistinct({ p: outbox.channel }).from(outbox).where(eq(outbox.status, 'pending')).all().map((r) => r.p);
    },
  };
}
