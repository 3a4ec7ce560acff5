import { commandResultOf, ocpp16IdTag, ocpp201IdTokenType } from '../../src/domain/command-mapping.ts';
import { ocpiDateTime, type Clock } from '../../src/lib/clock.ts';
import { partyOf } from '../../src/domain/parties.ts';
import type { Logger } from '../../src/lib/logger.ts';
import type { CancelReservation, ReserveNow } from '../../src/model/ocpi/commands.ts';
import type { EVSE } from '../../src/model/ocpi/location.ts';
import type { Token } from '../../src/model/ocpi/token.ts';
import type { OcppVersion } from '../../src/model/ocpp-version.ts';
import type { CommandStore, ReservationRecord } from '../../src/storage/ports.ts';
import type { Deadlines } from '../system/deadlines.ts';
import type { AuthenticatedPartner } from '../partner/partners.ts';
import type { CommandActors } from './command-actors.ts';
import { checkToken, findTarget, respond, type Reception, type TargetLookup } from './command-targets.ts';

export interface ReservedSession {
  chargePointId: string;
  protocol: OcppVersion;
  ocppEvseId: number;
  reservationId: number;
  token: Token;
  authorizationReference?: string;
  at: string;
}

export interface EndedReservation {
  chargePointId: string;
  reservationId: number;
  reason: string;
}

export interface ReservationDeps extends TargetLookup {
  store: CommandStore;
  station: {
    protocolOf(chargePointId: string): OcppVersion | undefined;
    call(chargePointId: string, action: string, payload: unknown, timeoutMs: number): Promise<unknown>;
  };
  /**
   * The RESERVATION session of an accepted reservation, and its end when cancelled or expired unused: written by
   * the station's node (several nodes: not necessarily this one), resolved once committed there.
   */
  reservationSessions: {
    reserved(r: ReservedSession): Promise<void>;
    ended(r: EndedReservation): Promise<void>;
  };
  /** A command's token is the commanding connection's unless another brought it first: its session goes there. */
  adoptToken(partnerId: string, token: Token): void;
  clock: Clock;
  deadlines: Deadlines;
  logger: Logger;
  timeoutSeconds: number;
  transact: <T>(fn: () => T) => T;
}

/**
 * RESERVE_NOW and CANCEL_RESERVATION: commands like the others (a command actor each), plus the reservation they
 * make or end — a row with a status and an expiry. The reservation outlives its RESERVE_NOW command (which is
 * done when the station answers), so its expiry is not the command's deadline: it is a timer in the shared
 * Deadlines registry, armed from the row's expiry_ms and re-armed from it at boot, whose one effect is guarded by
 * the row's status (an expired reservation is cancelled on the station too).
 */
export class Reservations {
  /** Expiries armed from the record by `resume()` for reservations made elsewhere (several nodes: the timekeeper's). */
  private readonly resumed = new Set<number>();

  constructor(
    private readonly deps: ReservationDeps,
    private readonly actors: CommandActors,
  ) {}

  reserveNow(partner: AuthenticatedPartner, body: ReserveNow): Reception {
    const refused = checkToken(partner, body.token);
    if (refused) return refused;
    const expiryMs = expiryMsOf(body);
    if (expiryMs <= this.deps.clock.now().getTime()) return respond('REJECTED', 'expiry_date is in the past');
    const target = findTarget(this.deps, partner, body.location_id, body.evse_uid, 'RESERVABLE');
    if ('response' in target) return target;
    const protocol = this.deps.station.protocolOf(target.chargePointId);
    const idTag = protocol === 'ocpp2.0.1' ? body.token.uid : ocpp16IdTag(body.token.uid);
    this.deps.adoptToken(partner.partnerId, body.token);
    return this.actors.accept(partner, 'RESERVE_NOW', body, target, idTag, async (command) => {
      const reservation = this.deps.store.upsertReservation({
        partnerId: partner.partnerId,
        emspReservationId: body.reservation_id,
        chargePointId: target.chargePointId,
        ocppEvseId: target.ocppEvseId,
        responseUrl: body.response_url,
        expiryMs,
        status: 'requested',
      });
      const expiryDate = new Date(expiryMs).toISOString();
      const answer =
        protocol === 'ocpp2.0.1'
          ? await this.actors.call(command, 'ReserveNow', { id: reservation.reservationId, expiryDateTime: expiryDate, idToken: { idToken: body.token.uid, type: ocpp201IdTokenType(body.token.type) }, evseId: target.ocppEvseId })
          : await this.actors.call(command, 'ReserveNow', { connectorId: target.ocppEvseId, expiryDate, idTag, reservationId: reservation.reservationId });
      const result = commandResultOf('reserve', answer);
      this.deps.store.setReservationStatus(reservation.reservationId, result === 'ACCEPTED' ? 'active' : 'refused');
      if (result === 'ACCEPTED') {
        this.armExpiry({ ...reservation, status: 'active' });
        await this.sessionWritten(reservation.reservationId, this.deps.reservationSessions.reserved({
          chargePointId: target.chargePointId,
          protocol: protocol ?? 'ocpp1.6',
          ocppEvseId: target.ocppEvseId,
          reservationId: reservation.reservationId,
          token: body.token,
          ...(body.authorization_reference ? { authorizationReference: body.authorization_reference } : {}),
          at: ocpiDateTime(this.deps.clock.now()),
        }));
      }
      return result;
    }, partyOf(body.token));
  }

  cancelReservation(partner: AuthenticatedPartner, body: CancelReservation): Reception {
    const reservation = this.deps.store.reservation(partner.partnerId, body.reservation_id);
    const live = reservation && (reservation.status === 'active' || reservation.status === 'requested') ? reservation : undefined;
    const target = { chargePointId: reservation?.chargePointId ?? '', ocppEvseId: reservation?.ocppEvseId ?? 0, evse: undefined as unknown as EVSE };
    return this.actors.accept(partner, 'CANCEL_RESERVATION', body, target, null, async (command) => {
      if (!live) return 'UNKNOWN_RESERVATION';
      const result = commandResultOf('cancel', await this.actors.call(command, 'CancelReservation', { reservationId: live.reservationId }));
      if (result === 'ACCEPTED') {
        this.deps.store.setReservationStatus(live.reservationId, 'cancelled');
        await this.sessionWritten(live.reservationId, this.deps.reservationSessions.ended({ chargePointId: live.chargePointId, reservationId: live.reservationId, reason: 'Reservation cancelled' }));
      }
      return result;
    });
  }

  /** A transaction consumed a reservation. */
  used(reservationId: number) {
    this.deps.store.setReservationStatus(reservationId, 'used');
  }

  /**
   * After a restart (several nodes: on becoming the timekeeper, and every few lease times after): every live
   * reservation has its expiry armed.
   */
  resume() {
    for (const reservation of this.deps.store.liveReservations()) {
      if (this.deps.deadlines.has(keyOf(reservation))) continue;
      this.armExpiry(reservation);
      this.resumed.add(reservation.reservationId);
    }
  }

  /** Several nodes, the timekeeper lease lost: the expiries `resume()` armed are the next timekeeper's now. */
  stopResumed() {
    for (const reservationId of this.resumed) this.deps.deadlines.cancel(keyOf({ reservationId }));
    this.resumed.clear();
  }

  /**
   * The reservation itself is decided (its row says so): a session the station's node could not write (several
   * nodes: it did not answer) is logged, and the command's result stands.
   */
  private async sessionWritten(reservationId: number, written: Promise<void>) {
    try {
      await written;
    } catch (error) {
      this.deps.logger.warn('The reservation’s session was not written', { reservation: reservationId, error: (error as Error).message });
    }
  }

  /** At expiry an unused reservation is cancelled on the station too (it may not have expired it itself). */
  private armExpiry(reservation: ReservationRecord) {
    this.resumed.delete(reservation.reservationId);
    this.deps.deadlines.arm(keyOf(reservation), reservation.expiryMs, () => {
      this.resumed.delete(reservation.reservationId);
      // Another firing of this expiry (another node's timer) may have come first: only the one that expires it acts.
      // Due by the expiry this timer was armed for (not by the wall clock, which a timer may lead by a millisecond):
      // a reservation replaced with a later expiry waits for its own timer.
      const current = this.deps.transact(() =>
        this.deps.store.expireReservation(reservation.reservationId, reservation.expiryMs) ? this.deps.store.reservation(reservation.partnerId, reservation.emspReservationId)! : undefined,
      );
      if (!current) return;
      void this.sessionWritten(current.reservationId, this.deps.reservationSessions.ended({ chargePointId: current.chargePointId, reservationId: current.reservationId, reason: 'Reservation expired' }));
      void this.deps.station
        .call(current.chargePointId, 'CancelReservation', { reservationId: current.reservationId }, this.deps.timeoutSeconds * 1000)
        .catch((error: Error) => this.deps.logger.info('Expired reservation not cancelled on the station', { reservation: current.reservationId, error: error.message }));
    });
  }
}

const keyOf = ({ reservationId }: Pick<ReservationRecord, 'reservationId'>) => `reservation:${reservationId}`;

/** A reservation's expiry_date in epoch ms (a value without designator is UTC). */
export function expiryMsOf(body: Pick<ReserveNow, 'expiry_date'>): number {
  return Date.parse(body.expiry_date.endsWith('Z') ? body.expiry_date : `${body.expiry_date}Z`);
}
