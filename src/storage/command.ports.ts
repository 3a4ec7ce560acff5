/** OCPI commands, the reservations they make, and the eMSPs' smart charging of sessions (ChargingProfiles). */
import type { ActiveChargingProfile, ChargingProfile, ChargingRateUnit } from '../model/ocpi/charging-profiles.ts';
import type { Party } from '../domain/parties.ts';

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
