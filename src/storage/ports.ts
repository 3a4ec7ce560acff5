/**
 * The storage ports: what the actors need from persistence, one interface per aggregate, in the vocabulary of the
 * model (no drizzle, no SQL). The SQLite adapter (src/storage/sqlite/*) implements them; a contract suite per
 * port (test/storage/*.contract.ts) states what any adapter must do.
 */
import type { MeterEntry } from '../domain/cdr/meter-history.ts';
import type { CDR } from '../model/ocpi/cdr.ts';
import type { ActiveChargingProfile, ChargingProfile, ChargingRateUnit } from '../model/ocpi/charging-profiles.ts';
import type { Session } from '../model/ocpi/session.ts';
import type { Token } from '../model/ocpi/token.ts';
import type { Party } from '../domain/parties.ts';

/** An actor's persisted snapshot, with the machine version it was written by. */
export interface SnapshotStore {
  load(id: string): { machineVersion: number; snapshot: unknown } | undefined;
  save(id: string, machineVersion: number, snapshot: unknown, now: Date): void;
}

/**
 * Snapshots any node may write (several nodes: guest sessions, partners). Each row counts its writes, so a node
 * saves over the version it read or not at all (compare-and-set): two nodes that read the same snapshot cannot
 * both write, the second one's change is not lost but refused, to be applied again to what the first wrote.
 */
export interface VersionedSnapshotStore extends SnapshotStore {
  load(id: string): { machineVersion: number; snapshot: unknown; version: number } | undefined;
  /** The stored row's version (as `load` gives it), undefined when there is none: whether a copy in memory is current. */
  versionOf(id: string): number | undefined;
  /**
   * Saves only over version `expected` (undefined: only when there is no row yet) and returns the new version;
   * undefined when the row is at another version (another writer came first), then nothing is written.
   */
  saveIfVersion(id: string, machineVersion: number, snapshot: unknown, now: Date, expected: number | undefined): number | undefined;
}

/** Snapshots of one actor kind, listable at boot. */
export interface SnapshotCollection extends SnapshotStore {
  ids(): string[];
}

/** Partner connections' snapshots; a registration that never completed leaves none behind. */
export interface PartnerSnapshots extends VersionedSnapshotStore {
  ids(): string[];
  /** Removes the partner with everything stored for it (its credentials tokens). */
  delete(id: string): void;
}

/** Runs `fn` inside one synchronous transaction, so a snapshot and the rows that go with it commit together. */
export type Transact = <T>(fn: () => T) => T;

/**
 * One transaction held open across many `Transact` calls (each then a savepoint of it), committed once for all:
 * the group commit of actors/system/group-commit.ts.
 */
export interface WriteBatch {
  begin(): void;
  commit(): void;
  /** Also drops what is kept in memory beside the tables (it may hold the rolled back rows). */
  rollback(): void;
  /** A transaction is open on the connection (a batch, or a `Transact` call outside one). */
  inTransaction(): boolean;
  /** A `Transact` call is running: a batch may not end in the middle of it. */
  nested(): boolean;
}

/** One page of a list, as the query asked for it (OCPI 2.2.1 transport_and_format, "Pagination"). */
export interface PageFilter {
  offset: number;
  limit: number;
  /** last_updated >= fromMs (inclusive) */
  fromMs?: number;
  /** last_updated < toMs (exclusive) */
  toMs?: number;
}

import type { RenderedPage } from './rendered-page.ts';

export type { RenderedPage };

/** The party a Session or CDR belongs to (its token's). */
export interface Owner {
  countryCode: string;
  partyId: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Outbox

export type DeliveryStatus = 'pending' | 'delivered' | 'dead' | 'cancelled';

/** Work that must happen exactly once after a change commits: a push to a partner, a payment capture/release. */
export interface Delivery {
  id: number;
  /** A partner's id, or `payments`. */
  channel: string;
  /** Rows of one object are delivered in the order they were made. */
  objectKey: string;
  method: 'PUT' | 'PATCH' | 'POST' | 'DELETE';
  /** Module of the partner's endpoint, or null with an absolute URL in `path`. */
  module: string | null;
  path: string;
  body: unknown;
  /**
   * The party behind the partner's connection it is for (OCPI-to-*): a session's or CDR's token owner, a command's
   * sender. Null: the connection as a whole (locations, tariffs).
   */
  to: Party | null;
  status: DeliveryStatus;
  attempts: number;
  createdAtMs: number;
  /** When its first attempt failed; its age (DELIVERY_MAX_AGE_S) counts from here. */
  firstFailedAtMs: number | null;
  nextAttemptAtMs: number;
  lastError: string | null;
  deliveredAtMs: number | null;
  responseLocation: string | null;
}

export type NewDelivery = Pick<Delivery, 'channel' | 'objectKey' | 'method' | 'module' | 'path' | 'body'> & { to?: Party };

export interface OutboxStore {
  /** A pending row, due at `dueAtMs` (at once by default). */
  enqueue(delivery: NewDelivery, nowMs: number, dueAtMs?: number): number;
  /** The object's newest row on the channel for party `to` (null: the connection as a whole), whatever its status. */
  latest(channel: string, objectKey: string, to: Party | null): Delivery | undefined;
  /** A pending row takes new content (and due time, when given); false when it is no longer pending. */
  rewrite(id: number, change: Pick<Delivery, 'method' | 'body'> & { nextAttemptAtMs?: number }): boolean;
  /**
   * The next row to send: due, the oldest pending one of its object for its party (rows of one object to one party
   * go in order), and not for a party in `held` (those wait, untouched, until the party is reachable again).
   */
  nextDue(channel: string, nowMs: number, held?: Party[]): Delivery | undefined;
  /** When the earliest pending row not for a `held` party becomes due. */
  nextAttemptAt(channel: string, held?: Party[]): number | undefined;
  delivered(id: number, nowMs: number, responseLocation?: string): void;
  /** Counts a failed attempt; the first one also starts the row's age (DELIVERY_MAX_AGE_S). */
  failed(id: number, error: string, nextAttemptAtMs: number, nowMs: number): void;
  deadLetter(id: number, error: string): void;
  retry(channel: string, id: number, nowMs: number): boolean;
  cancelAll(channel: string): void;
  list(channel: string, statuses: DeliveryStatus[], limit: number): Delivery[];
  channelsWithPending(): string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Sessions and CDRs

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

// ---------------------------------------------------------------------------------------------------------------
// Commands and reservations

export interface CommandRecord {
  id: string;
  partnerId: string;
  type: string;
  body: unknown;
  chargePointId: string | null;
  ocppEvseId: number | null;
  ocppIdTag: string | null;
  createdAtMs: number;
  /** When its CommandResult is due at the latest (TIMEOUT). */
  deadlineMs: number;
  result: string | null;
  /** The party behind the partner's connection its CommandResult is for; null: the connection as a whole. */
  to: Party | null;
}

export type ReservationStatus = 'requested' | 'active' | 'used' | 'cancelled' | 'expired' | 'refused';

export interface ReservationRecord {
  reservationId: number;
  partnerId: string;
  emspReservationId: string;
  chargePointId: string;
  ocppEvseId: number;
  responseUrl: string;
  expiryMs: number;
  status: ReservationStatus;
}

export interface CommandStore {
  insert(row: Omit<CommandRecord, 'result'>): void;
  get(id: string): CommandRecord | undefined;
  settle(id: string, result: string): boolean;
  open(): CommandRecord[];
  latestFor(chargePointId: string, ocppIdTag: string): CommandRecord | undefined;
  nextRemoteStartId(commandId: string): number;
  reservation(partnerId: string, emspReservationId: string): ReservationRecord | undefined;
  upsertReservation(row: Omit<ReservationRecord, 'reservationId'>): ReservationRecord;
  setReservationStatus(reservationId: number, status: ReservationStatus): void;
  /**
   * The expiry's one transition: requested/active → expired, only while the reservation is live and due by `dueMs`
   * (a reservation replaced with a later expiry is not); false when another firing (another node) came first.
   */
  expireReservation(reservationId: number, dueMs: number): boolean;
  liveReservations(): ReservationRecord[];
}

// ---------------------------------------------------------------------------------------------------------------
// Smart charging

/** A session's smart charging by its eMSP (OCPI 2.2.1 ChargingProfiles). */
export interface SessionChargingProfile {
  sessionId: string;
  partnerId: string;
  /** The OCPP chargingProfileId of the eMSP's profiles on this session: a new one replaces the last. */
  ocppProfileId: number;
  /** The eMSP's profile the station took, as the eMSP sent it; null before that and after a clear. */
  profile: ChargingProfile | null;
  /** When the eMSP first set a profile successfully: from then on it is told of schedule changes (OCPI 2.2.1 4.7). */
  acceptedAtMs: number | null;
  /** The unit of its last accepted profile, in which it is told schedules (also after a clear). */
  unit: ChargingRateUnit | null;
  /** The schedule the eMSP was last told, in its unit; null when a new profile or a clear made it stale. */
  active: ActiveChargingProfile | null;
}

export interface ChargingProfileStore {
  /** The session's record, created (with its chargingProfileId) on the eMSP's first request. */
  open(sessionId: string, partnerId: string): SessionChargingProfile;
  get(sessionId: string): SessionChargingProfile | undefined;
  /** The station took the profile; the first success is kept as `acceptedAtMs`. */
  accepted(sessionId: string, profile: ChargingProfile, atMs: number): void;
  /** The station removed it. */
  cleared(sessionId: string): void;
  reported(sessionId: string, active: ActiveChargingProfile): void;
}

// ---------------------------------------------------------------------------------------------------------------
// Partners, charge points, guests

/** Tokens we issued to partners (A and C), as keyed hashes. */
export interface CredentialsTokenStore {
  findActive(hashes: string[], now: Date): { tokenHash: string; partnerId: string; kind: 'A' | 'C' } | undefined;
  issue(partnerId: string, kind: 'A' | 'C', tokenHash: string, now: Date, expiresAt?: Date): void;
  revokeAll(partnerId: string, now: Date): void;
  revoke(tokenHash: string, now: Date): void;
}

/** A driver token's identity: country_code + party_id + uid + type (OCPI 2.2.1 tokens). */
export type TokenKey = Pick<Token, 'country_code' | 'party_id' | 'uid' | 'type'>;

/**
 * The eMSPs' driver tokens we cache for authorization, each held by the partner connection that brought it: the
 * one its sessions, CDRs and questions go to.
 */
export interface DriverTokenCache {
  put(partnerId: string, token: Token): { created: boolean };
  /** Keeps `token` for the connection unless a connection already holds it; returns the holder. */
  adopt(partnerId: string, token: Token): string;
  /** The partner connection holding the token, if we have it. */
  holderOf(token: TokenKey): string | undefined;
  deleteForPartner(partnerId: string): void;
}

/** Registered charge points: their registration and the charge-point actors' snapshots. */
/** When stations were last heard from: kept in memory, flushed here every few seconds (one write for many Heartbeats). */
export interface LastSeenStore {
  stored(id: string): string | undefined;
  /** Stations not registered (removed meanwhile) are skipped. */
  write(entries: Iterable<[id: string, at: string]>): void;
}

export interface ChargePointRegistry {
  snapshots: SnapshotCollection;
  lastSeen: LastSeenStore;
  get(id: string): unknown;
  delete(id: string): boolean;
  /** Ids of the sessions still running at the station. */
  runningSessions(chargePointId: string): string[];
}

export interface GuestSessionStore {
  snapshots: VersionedSnapshotStore;
  idByIdTag(idTag: string): string | undefined;
  ids(): string[];
  /** Guest sessions created at or after `createdAtMs` (the ones that can still be waiting for their start). */
  idsSince(createdAtMs: number): string[];
  /**
   * Takes the one right to a timer-driven step of a guest session (its expiry, its remote start): true once per
   * id and step, false to every later caller on any node. Inside the step's transaction: rolled back with it.
   */
  claimStep(id: string, step: 'expiry' | 'start'): boolean;
}

/** The fencing epoch of each station's owner node (several nodes only; see src/cluster/station-ownership.ts). */
export interface StationEpochs {
  current(chargePointId: string): number | undefined;
  /** Stores `epoch` unless a newer one is already stored. */
  advance(chargePointId: string, epoch: number): void;
}

/** Everything the actor system persists through. */
export interface ActorStorage {
  transact: Transact;
  batch: WriteBatch;
  partnerSnapshots: PartnerSnapshots;
  credentialsTokens: CredentialsTokenStore;
  tokens: DriverTokenCache;
  chargePoints: ChargePointRegistry;
  sessions: SessionStore;
  outbox: OutboxStore;
  commands: CommandStore;
  chargingProfiles: ChargingProfileStore;
  guestSessions: GuestSessionStore;
  stationEpochs: StationEpochs;
}
