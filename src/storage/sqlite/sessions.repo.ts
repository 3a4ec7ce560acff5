import { and, eq, or, sql } from 'drizzle-orm';
import type { CDR } from '../../model/ocpi/cdr.ts';
import type { Session } from '../../model/ocpi/session.ts';
import type { Db } from './db.ts';
import { lastUpdatedWindow, pageOf, type PageFilter } from './paging.ts';
import type { Owner } from '../ports.ts';
import { cdrs, ocpp16Transactions, sessions, transactionEvents } from './schema/sessions.ts';
import { sessionReadingsRepo } from './session-readings.repo.ts';

/** The columns a session snapshot's context must provide for the index columns. */
interface SessionSnapshot {
  value: string;
  context: { id: string; chargePointId: string; transactionId: string; ocppEvseId: number; lastUpdated: string };
}

/** Rows of the owners' tokens; no owners own nothing (drizzle's empty `or()` would match every row). */
const ownedBy = (table: typeof sessions | typeof cdrs, owners: Owner[]) =>
  or(...owners.map((o) => and(eq(table.tokenCountryCode, o.countryCode.toUpperCase()), eq(table.tokenPartyId, o.partyId.toUpperCase())))) ?? sql`0`;

export function sessionsRepo(db: Db) {
  // Asked for every MeterValues and StatusNotification: a prepared statement.
  const running = db.$client.prepare<{ id: string }, [string, number]>(
    "SELECT id FROM sessions WHERE charge_point_id = ? AND ocpp_evse_id = ? AND status IN ('pending', 'active') ORDER BY seq DESC LIMIT 1",
  );
  const byTransaction = db.$client.prepare<{ id: string }, [string, string]>('SELECT id FROM sessions WHERE charge_point_id = ? AND transaction_id = ?');
  return {
    /** Snapshot store of session actors (actors/system/actor-host.ts); index columns come from the context. */
    snapshots: {
      load(id: string) {
        const row = db.select({ v: sessions.machineVersion, s: sessions.snapshot }).from(sessions).where(eq(sessions.id, id)).get();
        return row && { machineVersion: row.v, snapshot: row.s };
      },
      save(id: string, machineVersion: number, snapshot: unknown) {
        const { context, value } = snapshot as SessionSnapshot;
        const columns = {
          chargePointId: context.chargePointId,
          transactionId: context.transactionId,
          ocppEvseId: context.ocppEvseId,
          status: String(value),
          lastUpdatedMs: Date.parse(context.lastUpdated),
          machineVersion,
          snapshot,
        };
        db.insert(sessions)
          .values({ id, tokenCountryCode: '', tokenPartyId: '', ...columns })
          .onConflictDoUpdate({ target: sessions.id, set: columns })
          .run();
      },
    },
    readings: sessionReadingsRepo(db),
    /** The rendered OCPI Session (null while it cannot be shown) and its owner, next to the snapshot. */
    saveView(id: string, view: Session | undefined) {
      db.update(sessions)
        .set({
          body: view ?? null,
          tokenCountryCode: view?.cdr_token.country_code.toUpperCase() ?? '',
          tokenPartyId: view?.cdr_token.party_id.toUpperCase() ?? '',
          ...(view ? { lastUpdatedMs: Date.parse(view.last_updated) } : {}),
        })
        .where(eq(sessions.id, id))
        .run();
    },
    viewOf(id: string): Session | undefined {
      return (db.select({ body: sessions.body }).from(sessions).where(eq(sessions.id, id)).get()?.body ?? undefined) as Session | undefined;
    },
    idByTransaction(chargePointId: string, transactionId: string): string | undefined {
      return byTransaction.get(chargePointId, transactionId)?.id;
    },
    /** The transaction still running on a station's EVSE, if any (a reservation waiting for its driver is not one). */
    runningOn(chargePointId: string, ocppEvseId: number): string | undefined {
      return running.get(chargePointId, ocppEvseId)?.id;
    },
    /** Partners' view: published sessions of tokens they own, oldest first. */
    page(filter: PageFilter, owners: Owner[] | 'all') {
      const visible = owners === 'all' ? sql`${sessions.body} is not null` : and(sql`${sessions.body} is not null`, ownedBy(sessions, owners));
      return pageOf<Session>(db, sessions, sessions, lastUpdatedWindow(sessions.lastUpdatedMs, filter, visible), filter);
    },
    /** Operator's view: every session with its OCPP side, newest first. */
    list(limit: number, offset: number) {
      return db
        .select({ id: sessions.id })
        .from(sessions)
        .orderBy(sql`${sessions.seq} desc`)
        .limit(limit)
        .offset(offset)
        .all()
        .map((r) => r.id);
    },
    /**
     * Our 1.6 transaction id for a StartTransaction: the same one again for a retransmission of the same start.
     */
    ocpp16TransactionId(start: { chargePointId: string; connectorId: number; idTag: string; timestamp: string; meterStart: number }): number {
      db.insert(ocpp16Transactions).values(start).onConflictDoNothing().run();
      return db
        .select({ id: ocpp16Transactions.transactionId })
        .from(ocpp16Transactions)
        .where(
          and(
            eq(ocpp16Transactions.chargePointId, start.chargePointId),
            eq(ocpp16Transactions.connectorId, start.connectorId),
            eq(ocpp16Transactions.idTag, start.idTag),
            eq(ocpp16Transactions.timestamp, start.timestamp),
            eq(ocpp16Transactions.meterStart, start.meterStart),
          ),
        )
        .get()!.id;
    },
    /** Whether a 2.0.1 TransactionEvent (station, transaction, seqNo) was applied before. */
    seenTransactionEvent(chargePointId: string, transactionId: string, seqNo: number): boolean {
      return (
        db
          .select({ s: transactionEvents.seqNo })
          .from(transactionEvents)
          .where(and(eq(transactionEvents.chargePointId, chargePointId), eq(transactionEvents.transactionId, transactionId), eq(transactionEvents.seqNo, seqNo)))
          .get() !== undefined
      );
    },
    markTransactionEvent(chargePointId: string, transactionId: string, seqNo: number) {
      db.insert(transactionEvents).values({ chargePointId, transactionId, seqNo }).onConflictDoNothing().run();
    },
    /** Writes the session's CDR once; a second attempt for the same session changes nothing. */
    insertCdr(cdr: CDR): boolean {
      return db.insert(cdrs)
        .values({
          id: cdr.id,
          sessionId: cdr.session_id!,
          tokenCountryCode: cdr.cdr_token.country_code.toUpperCase(),
          tokenPartyId: cdr.cdr_token.party_id.toUpperCase(),
          lastUpdatedMs: Date.parse(cdr.last_updated),
          body: cdr,
        })
        .onConflictDoNothing()
        .returning({ id: cdrs.id })
        .all().length > 0;
    },
    cdrOf(sessionId: string): CDR | undefined {
      return db.select({ body: cdrs.body }).from(cdrs).where(eq(cdrs.sessionId, sessionId)).get()?.body as CDR | undefined;
    },
    cdrsPage(filter: PageFilter, owners: Owner[] | 'all') {
      return pageOf<CDR>(db, cdrs, cdrs, lastUpdatedWindow(cdrs.lastUpdatedMs, filter, owners === 'all' ? undefined : ownedBy(cdrs, owners)), filter);
    },
  };
}
