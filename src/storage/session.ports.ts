/** Sessions and CDRs as stored: meter histories, rendered views, transaction look-ups, the pages served to partners. */
import type { MeterEntry } from '../domain/cdr/meter-history.ts';
import type { CDR } from '../model/ocpi/cdr.ts';
import type { Session } from '../model/ocpi/session.ts';
import type { RenderedPage } from './rendered-page.ts';
import type { SnapshotStore } from './snapshot.ports.ts';

/** One page of a list, as the query asked for it (OCPI 2.2.1 transport_and_format, "Pagination"). */
export interface PageFilter {
  offset: number;
  limit: number;
  /** last_updated >= fromMs (inclusive) */
  fromMs?: number;
  /** last_updated < toMs (exclusive) */
  toMs?: number;
}

/** The party a Session or CDR belongs to (its token's). */
export interface Owner {
  countryCode: string;
  partyId: string;
}

/** A session's meter history: entries appended in arrival order, never changed. */
export interface SessionReadings {
  /** Entries numbered after those stored (seq 1, 2, …); call inside the session's commit. */
  append(sessionId: string, entries: readonly MeterEntry[]): void;
  /** Every entry of the session, by seq. */
  of(sessionId: string): MeterEntry[];
}

/** What a session needs besides its snapshot: its meter history, the Session it renders, its CDR, transaction look-ups. */
export interface SessionStore {
  snapshots: SnapshotStore;
  readings: SessionReadings;
  saveView(id: string, view: Session | undefined): void;
  viewOf(id: string): Session | undefined;
  idByTransaction(chargePointId: string, transactionId: string): string | undefined;
  runningOn(chargePointId: string, ocppEvseId: number): string | undefined;
  /** Several nodes: the station moved to or from this node; look-ups of its sessions read the shared record again. */
  forgetStation(chargePointId: string): void;
  /** False when the session already had its CDR. */
  insertCdr(cdr: CDR): boolean;
  cdrOf(sessionId: string): CDR | undefined;
  ocpp16TransactionId(start: { chargePointId: string; connectorId: number; idTag: string; timestamp: string; meterStart: number }): number;
  /** Sessions of the owners' tokens (or all of them), oldest first, as served. */
  page(filter: PageFilter, owners: Owner[] | 'all'): RenderedPage;
  /** CDRs of the owners' tokens (or all of them), oldest first, as served. */
  cdrsPage(filter: PageFilter, owners: Owner[] | 'all'): RenderedPage;
  list(limit: number, offset: number): string[];
  seenTransactionEvent(chargePointId: string, transactionId: string, seqNo: number): boolean;
  markTransactionEvent(chargePointId: string, transactionId: string, seqNo: number): void;
}
