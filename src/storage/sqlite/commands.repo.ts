import { and, desc, eq, inArray, isNull, lte } from 'drizzle-orm';
import type { CommandRecord } from '../ports.ts';
import type { Db } from './db.ts';
import { commands, remoteStarts, reservations } from './schema/commands.ts';

type CommandRow = typeof commands.$inferSelect;
export type ReservationRow = typeof reservations.$inferSelect;

function record({ toCountryCode, toPartyId, ...row }: CommandRow): CommandRecord {
  return { ...row, to: toCountryCode !== null && toPartyId !== null ? { country_code: toCountryCode, party_id: toPartyId } : null };
}

export function commandsRepo(db: Db) {
  return {
    insert({ to, ...row }: Omit<CommandRecord, 'result'>) {
      db.insert(commands)
        .values({ ...row, toCountryCode: to?.country_code ?? null, toPartyId: to?.party_id ?? null })
        .run();
    },
    get(id: string): CommandRecord | undefined {
      const row = db.select().from(commands).where(eq(commands.id, id)).get();
      return row && record(row);
    },
    /** Marks the command answered; false when it already was (the deadline and the station raced). */
    settle(id: string, result: string): boolean {
      return db.update(commands).set({ result }).where(and(eq(commands.id, id), isNull(commands.result))).returning({ id: commands.id }).all().length > 0;
    },
    open(): CommandRecord[] {
      return db.select().from(commands).where(isNull(commands.result)).all().map(record);
    },
    /** The latest START_SESSION / RESERVE_NOW for this station and id tag: their tokens come pre-authorized. */
    latestFor(chargePointId: string, ocppIdTag: string): CommandRecord | undefined {
      const row = db
        .select()
        .from(commands)
        .where(and(eq(commands.chargePointId, chargePointId), eq(commands.ocppIdTag, ocppIdTag), inArray(commands.type, ['START_SESSION', 'RESERVE_NOW'])))
        .orderBy(desc(commands.createdAtMs))
        .limit(1)
        .get();
      return row && record(row);
    },
    nextRemoteStartId(commandId: string): number {
      return db.insert(remoteStarts).values({ commandId }).returning({ id: remoteStarts.remoteStartId }).get().id;
    },
    reservation(partnerId: string, emspReservationId: string): ReservationRow | undefined {
      return db.select().from(reservations).where(and(eq(reservations.partnerId, partnerId), eq(reservations.emspReservationId, emspReservationId))).get();
    },
    /** Creates the reservation, or re-targets it (same reservation_id again = replace, OCPI 2.2.1 RESERVE_NOW). */
    upsertReservation(row: Omit<ReservationRow, 'reservationId'>): ReservationRow {
      return db
        .insert(reservations)
        .values(row)
        .onConflictDoUpdate({ target: [reservations.partnerId, reservations.emspReservationId], set: row })
        .returning()
        .get();
    },
    setReservationStatus(reservationId: number, status: ReservationRow['status']) {
      db.update(reservations).set({ status }).where(eq(reservations.reservationId, reservationId)).run();
    },
    expireReservation(reservationId: number, dueMs: number): boolean {
      return (
        db
          .update(reservations)
          .set({ status: 'expired' })
          .where(and(eq(reservations.reservationId, reservationId), inArray(reservations.status, ['requested', 'active']), lte(reservations.expiryMs, dueMs)))
          .returning({ id: reservations.reservationId })
          .all().length > 0
      );
    },
    dueReservations(nowMs: number): ReservationRow[] {
      return db.select().from(reservations).where(and(inArray(reservations.status, ['requested', 'active']), lte(reservations.expiryMs, nowMs))).all();
    },
    liveReservations(): ReservationRow[] {
      return db.select().from(reservations).where(inArray(reservations.status, ['requested', 'active'])).all();
    },
  };
}
