import { and, eq, sql } from 'drizzle-orm';
import { CDR } from '../../model/ocpi/cdr.ts';
import { Session } from '../../model/ocpi/session.ts';
import type { Db } from './db.ts';
import type { PageFilter, PagingRegistry } from './paging.ts';
import type { Owner } from '../ports.ts';
import { servedForm } from './served-json.ts';
import { ownedLists } from './owned-lists.ts';
import { cdrs, ocpp16Transactions, sessions } from './schema/sessions.ts';
import { sessionReadingsRepo } from './session-readings.repo.ts';

/** The columns a session snapshot's context must provide for the index columns. */
interface SessionSnapshot {
  value: string;
  context: { id: string; chargePointId: string; transactionId: string; ocppEvseId: number; lastUpdated: string };
}

const servedSession = servedForm(Session);
/** Stations whose running sessions are kept in memory (runningOn) at most: about 200 bytes each. */
const MAX_STATIONS_KEPT = 100_000;
const servedCdr = servedForm(CDR);

export function sessionsRepo(db: Db, paging: PagingRegistry) {
  // Only rendered sessions are listed: one without a location to show has no body yet.
  const sessionLists = ownedLists(db.$client, paging, 'sessions', 'body IS NOT NULL');
  const cdrLists = ownedLists(db.$client, paging, 'cdrs');
  // Asked for by every MeterValues and StatusNotification. The newest one by max(seq), then its row by seq, not
  // ORDER BY seq: over the two statuses that sorted in a temporary B-tree, 3× the cost.
  const running = db.$client.prepare<{ id: string }, [string, number]>(
    "SELECT id FROM sessions WHERE seq = (SELECT max(seq) FROM sessions WHERE charge_point_id = ? AND ocpp_evse_id = ? AND status IN ('pending', 'active'))",
  );
  // Even so that query cost 5–15 µs (outside the group commit's transaction a read transaction of its own, and an
  // aggregate with bound parameters), a tenth of a station message's CPU: the answers are kept in memory by
  // station, none included. A session is written only through `snapshots.save`, which drops its station's answers;
  // all are dropped with a rolled back transaction and when another node changed the tables (paging.onForget), a
  // station's when it moves between nodes (`forgetStation`).
  const runningByStation = new Map<string, Map<number, string | null>>();
  paging.onForget(() => runningByStation.clear());
  const byTransaction = db.$client.prepare<{ id: string }, [string, string]>('SELECT id FROM sessions WHERE charge_point_id = ? AND transaction_id = ?');
  // Every event of a session (each MeterValues, each 2.0.1 TransactionEvent) saves its snapshot and its view:
  // prepared statements, not the query builder (~10× cheaper).
  const loadSnapshot = db.$client.prepare<{ v: number; s: string }, [string]>('SELECT machine_version AS v, snapshot AS s FROM sessions WHERE id = ?');
  const saveSnapshot = db.$client.prepare<unknown, [string, string, string, number, string, number, number, string]>(
    `INSERT INTO sessions (id, charge_point_id, transaction_id, ocpp_evse_id, status, machine_version, last_updated_ms, snapshot, token_country_code, token_party_id)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, '', '')
     ON CONFLICT (id) DO UPDATE SET charge_point_id = ?2, transaction_id = ?3, ocpp_evse_id = ?4, status = ?5, machine_version = ?6, snapshot = ?8`,
  );
  const saveBody = db.$client.prepare<{ seq: number; lastUpdatedMs: number }, [string | null, string, string, number | null, string]>(
    `UPDATE sessions SET body = ?, token_country_code = ?, token_party_id = ?, last_updated_ms = coalesce(?, last_updated_ms) WHERE id = ?
     RETURNING seq, last_updated_ms AS "lastUpdatedMs"`,
  );
  const viewBody = db.$client.prepare<{ body: string | null }, [string]>('SELECT body FROM sessions WHERE id = ?');
  const eventSeen = db.$client.prepare<{ s: number }, [string, string, number]>(
    'SELECT seq_no AS s FROM transaction_events WHERE charge_point_id = ? AND transaction_id = ? AND seq_no = ?',
  );
  const markEvent = db.$client.prepare<unknown, [string, string, number]>(
    'INSERT INTO transaction_events (charge_point_id, transaction_id, seq_no) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  );
  return {
    /** Snapshot store of session actors (actors/system/actor-host.ts); index columns come from the context. */
    snapshots: {
      load(id: string) {
        const row = loadSnapshot.get(id);
        return row ? { machineVersion: row.v, snapshot: JSON.parse(row.s) as unknown } : undefined;
      },
      save(id: string, machineVersion: number, snapshot: unknown) {
        const { context, value } = snapshot as SessionSnapshot;
        runningByStation.delete(context.chargePointId);
        // last_updated_ms is the rendered Session's (saveView): what partners' date_from/date_to compare with; a
        // new row starts with the context's.
        saveSnapshot.run(id, context.chargePointId, context.transactionId, context.ocppEvseId, String(value), machineVersion, Date.parse(context.lastUpdated), JSON.stringify(snapshot));
      },
    },
    readings: sessionReadingsRepo(db),
    /** The rendered OCPI Session (null while it cannot be shown) and its owner, next to the snapshot. */
    saveView(id: string, view: Session | undefined) {
      const owner = { countryCode: view?.cdr_token.country_code.toUpperCase() ?? '', partyId: view?.cdr_token.party_id.toUpperCase() ?? '' };
      const row = saveBody.get(view ? JSON.stringify(servedSession(view)) : null, owner.countryCode, owner.partyId, view ? Date.parse(view.last_updated) : null, id);
      if (row) sessionLists.written(row.seq, row.lastUpdatedMs, view ? owner : undefined);
    },
    viewOf(id: string): Session | undefined {
      const body = viewBody.get(id)?.body;
      return body ? (JSON.parse(body) as Session) : undefined;
    },
    idByTransaction(chargePointId: string, transactionId: string): string | undefined {
      return byTransaction.get(chargePointId, transactionId)?.id;
    },
    /** The transaction still running on a station's EVSE, if any (a reservation waiting for its driver is not one). */
    runningOn(chargePointId: string, ocppEvseId: number): string | undefined {
      let station = runningByStation.get(chargePointId);
      let id = station?.get(ocppEvseId);
      if (id === undefined) {
        id = running.get(chargePointId, ocppEvseId)?.id ?? null;
        if (!station) {
          // Bounded: a network larger than this reads some stations' answers again after a clear.
          if (runningByStation.size >= MAX_STATIONS_KEPT) runningByStation.clear();
          runningByStation.set(chargePointId, (station = new Map()));
        }
        station.set(ocppEvseId, id);
      }
      return id ?? undefined;
    },
    /** Several nodes: the station moved here or away; what this node kept of its running sessions is read again. */
    forgetStation(chargePointId: string) {
      runningByStation.delete(chargePointId);
    },
    /** Rendered sessions of the owners' tokens (or all), oldest first, as served. */
    page(filter: PageFilter, owners: Owner[] | 'all') {
      return sessionLists.page(filter, owners);
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
      return eventSeen.get(chargePointId, transactionId, seqNo) !== null;
    },
    markTransactionEvent(chargePointId: string, transactionId: string, seqNo: number) {
      markEvent.run(chargePointId, transactionId, seqNo);
    },
    /** Writes the session's CDR once; a second attempt for the same session changes nothing. */
    insertCdr(cdr: CDR): boolean {
      const owner = { countryCode: cdr.cdr_token.country_code.toUpperCase(), partyId: cdr.cdr_token.party_id.toUpperCase() };
      const lastUpdatedMs = Date.parse(cdr.last_updated);
      const row = db
        .insert(cdrs)
        .values({ id: cdr.id, sessionId: cdr.session_id!, tokenCountryCode: owner.countryCode, tokenPartyId: owner.partyId, lastUpdatedMs, body: servedCdr(cdr) })
        .onConflictDoNothing()
        .returning({ seq: cdrs.seq })
        .get();
      if (row) cdrLists.written(row.seq, lastUpdatedMs, owner);
      return row !== undefined;
    },
    cdrOf(sessionId: string): CDR | undefined {
      return db.select({ body: cdrs.body }).from(cdrs).where(eq(cdrs.sessionId, sessionId)).get()?.body as CDR | undefined;
    },
    /** CDRs of the owners' tokens (or all), oldest first, as served. */
    cdrsPage(filter: PageFilter, owners: Owner[] | 'all') {
      return cdrLists.page(filter, owners);
    },
  };
}
