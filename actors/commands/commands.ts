import type { AuthenticatedPartner } from '../partner/partners.ts';
import { commandFailureOf, commandResultOf, ocpp16IdTag, ocpp201IdTokenType, type CommandKind } from '../../src/domain/command-mapping.ts';
import { ocpiDateTime, type Clock } from '../../src/lib/clock.ts';
import type { Deadlines } from '../system/deadlines.ts';
import type { Logger } from '../../src/lib/logger.ts';
import type { CancelReservation, CommandResponse, CommandResult, ReserveNow, StartSession, StopSession, UnlockConnector } from '../../src/model/ocpi/commands.ts';
import type { EVSE, Location } from '../../src/model/ocpi/location.ts';
import type { Token } from '../../src/model/ocpi/token.ts';
import type { OcppVersion } from '../../src/model/ocpp-version.ts';
import type { CommandRecord, CommandStore, ReservationRecord } from '../../src/storage/ports.ts';
import type { SessionView } from '../session/sessions.ts';


export interface CommandDeps {
  store: CommandStore;
  location(partnerId: string, locationId: string): Location | undefined;
  binding(locationId: string, evseUid: string): { chargePointId: string; ocppEvseId: number } | undefined;
  session(id: string): SessionView | undefined;
  runningOn(chargePointId: string, ocppEvseId: number): string | undefined;
  station: {
    protocolOf(chargePointId: string): OcppVersion | undefined;
    call(chargePointId: string, action: string, payload: unknown, timeoutMs: number): Promise<unknown>;
  };
  /** The RESERVATION session of an accepted reservation, and its end when cancelled or expired unused. */
  reservationSessions: {
    reserved(r: { chargePointId: string; protocol: OcppVersion; ocppEvseId: number; reservationId: number; token: Token; authorizationReference?: string; at: string }): void;
    ended(chargePointId: string, reservationId: number, reason: string): void;
  };
  /** Queues the CommandResult for the eMSP (durable outbox); call inside a transaction. */
  deliverResult(partnerId: string, commandId: string, responseUrl: string, result: CommandResult): void;
  transact: <T>(fn: () => T) => T;
  clock: Clock;
  deadlines: Deadlines;
  logger: Logger;
  timeoutSeconds: number;
}

/** The synchronous outcome of a command: the CommandResponse plus how the OCPI layer reports it. */
export interface Reception {
  response: CommandResponse;
  /** Unknown location/EVSE/connector: HTTP 404 + OCPI 2003 with a REJECTED response (OCPI 2.2.1 commands). */
  unknownObject?: string;
}

type Target = { chargePointId: string; ocppEvseId: number; evse: EVSE };

const PREAUTHORIZED_MS = 15 * 60_000;

/**
 * OCPI commands (we are Receiver) carried out over OCPP. Each accepted command is a row with a deadline; its
 * CommandResult goes out through the partner's durable outbox exactly once — from the station's answer, or
 * TIMEOUT/FAILED when the station is offline or silent, also after a restart.
 */
export class Commands {
  constructor(private readonly deps: CommandDeps) {}

  startSession(partner: AuthenticatedPartner, body: StartSession): Reception {
    const refused = this.checkToken(partner, body.token);
    if (refused) return refused;
    const target = this.target(partner, body.location_id, body.evse_uid, 'REMOTE_START_STOP_CAPABLE');
    if ('response' in target) return target;
    const protocol = this.deps.station.protocolOf(target.chargePointId);
    const idTag = protocol === 'ocpp2.0.1' ? body.token.uid : ocpp16IdTag(body.token.uid);
    return this.accept(partner, 'START_SESSION', body, target, idTag, async (command) => {
      if (target.evse.status === 'INOPERATIVE' || target.evse.status === 'OUTOFORDER') return 'EVSE_INOPERATIVE';
      if (this.deps.runningOn(target.chargePointId, target.ocppEvseId)) return 'EVSE_OCCUPIED';
      const answer =
        protocol === 'ocpp2.0.1'
          ? await this.call(command, 'RequestStartTransaction', {
              idToken: { idToken: body.token.uid, type: ocpp201IdTokenType(body.token.type) },
              remoteStartId: this.deps.store.nextRemoteStartId(command.id),
              evseId: target.ocppEvseId,
            })
          : await this.call(command, 'RemoteStartTransaction', { connectorId: target.ocppEvseId, idTag });
      return commandResultOf('start', answer);
    });
  }

  stopSession(partner: AuthenticatedPartner, body: StopSession): Reception {
    const view = this.deps.session(body.session_id);
    const owner = view?.session?.cdr_token;
    if (!view || !owner || !this.ownsToken(partner, owner)) return respond('UNKNOWN_SESSION', `Unknown session ${body.session_id}`);
    if (view.state === 'completed') return respond('REJECTED', `Session ${body.session_id} has already ended`);
    const { chargePointId, ocppEvseId, transactionId, protocol } = view.context;
    const target = { chargePointId, ocppEvseId, evse: undefined as unknown as EVSE };
    return this.accept(partner, 'STOP_SESSION', body, target, null, async (command) =>
      commandResultOf(
        'stop',
        protocol === 'ocpp2.0.1'
          ? await this.call(command, 'RequestStopTransaction', { transactionId })
          : await this.call(command, 'RemoteStopTransaction', { transactionId: Number(transactionId) }),
      ),
    );
  }

  reserveNow(partner: AuthenticatedPartner, body: ReserveNow): Reception {
    const refused = this.checkToken(partner, body.token);
    if (refused) return refused;
    const expiryMs = Date.parse(body.expiry_date.endsWith('Z') ? body.expiry_date : `${body.expiry_date}Z`);
    if (expiryMs <= this.deps.clock.now().getTime()) return respond('REJECTED', 'expiry_date is in the past');
    const target = this.target(partner, body.location_id, body.evse_uid, 'RESERVABLE');
    if ('response' in target) return target;
    const protocol = this.deps.station.protocolOf(target.chargePointId);
    const idTag = protocol === 'ocpp2.0.1' ? body.token.uid : ocpp16IdTag(body.token.uid);
    return this.accept(partner, 'RESERVE_NOW', body, target, idTag, async (command) => {
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
          ? await this.call(command, 'ReserveNow', { id: reservation.reservationId, expiryDateTime: expiryDate, idToken: { idToken: body.token.uid, type: ocpp201IdTokenType(body.token.type) }, evseId: target.ocppEvseId })
          : await this.call(command, 'ReserveNow', { connectorId: target.ocppEvseId, expiryDate, idTag, reservationId: reservation.reservationId });
      const result = commandResultOf('reserve', answer);
      this.deps.store.setReservationStatus(reservation.reservationId, result === 'ACCEPTED' ? 'active' : 'refused');
      if (result === 'ACCEPTED') {
        this.armExpiry({ ...reservation, status: 'active' });
        this.deps.reservationSessions.reserved({
          chargePointId: target.chargePointId,
          protocol: protocol ?? 'ocpp1.6',
          ocppEvseId: target.ocppEvseId,
          reservationId: reservation.reservationId,
          token: body.token,
          ...(body.authorization_reference ? { authorizationReference: body.authorization_reference } : {}),
          at: ocpiDateTime(this.deps.clock.now()),
        });
      }
      return result;
    });
  }

  cancelReservation(partner: AuthenticatedPartner, body: CancelReservation): Reception {
    const reservation = this.deps.store.reservation(partner.partnerId, body.reservation_id);
    const live = reservation && (reservation.status === 'active' || reservation.status === 'requested') ? reservation : undefined;
    const target = { chargePointId: reservation?.chargePointId ?? '', ocppEvseId: reservation?.ocppEvseId ?? 0, evse: undefined as unknown as EVSE };
    return this.accept(partner, 'CANCEL_RESERVATION', body, target, null, async (command) => {
      if (!live) return 'UNKNOWN_RESERVATION';
      const result = commandResultOf('cancel', await this.call(command, 'CancelReservation', { reservationId: live.reservationId }));
      if (result === 'ACCEPTED') {
        this.deps.store.setReservationStatus(live.reservationId, 'cancelled');
        this.deps.reservationSessions.ended(live.chargePointId, live.reservationId, 'Reservation cancelled');
      }
      return result;
    });
  }

  unlockConnector(partner: AuthenticatedPartner, body: UnlockConnector): Reception {
    const target = this.target(partner, body.location_id, body.evse_uid, 'UNLOCK_CAPABLE');
    if ('response' in target) return target;
    if (!target.evse.connectors.some((c) => c.id.toUpperCase() === body.connector_id.toUpperCase()))
      return { ...respond('REJECTED', `Unknown connector ${body.connector_id}`), unknownObject: `Unknown connector ${body.connector_id}` };
    const protocol = this.deps.station.protocolOf(target.chargePointId);
    return this.accept(partner, 'UNLOCK_CONNECTOR', body, target, null, async (command) =>
      commandResultOf(
        'unlock',
        protocol === 'ocpp2.0.1'
          ? await this.call(command, 'UnlockConnector', { evseId: target.ocppEvseId, connectorId: Number.parseInt(body.connector_id, 10) || 1 })
          : await this.call(command, 'UnlockConnector', { connectorId: target.ocppEvseId }),
      ),
    );
  }

  /**
   * The command behind a start at this station with this id tag — a recent START_SESSION, or a RESERVE_NOW not
   * yet expired: its token is pre-authorized (OCPI pitfall 34) and its authorization_reference belongs on the
   * session.
   */
  preAuthorized(chargePointId: string, idTag: string): { token: Token; authorizationReference?: string } | undefined {
    const command = this.deps.store.latestFor(chargePointId, idTag);
    if (!command) return undefined;
    const body = command.body as StartSession | ReserveNow;
    const now = this.deps.clock.now().getTime();
    // A start's token for 15 minutes; a reservation's until it expires.
    const until = 'expiry_date' in body ? Date.parse(body.expiry_date.endsWith('Z') ? body.expiry_date : `${body.expiry_date}Z`) : command.createdAtMs + PREAUTHORIZED_MS;
    if (now > until) return undefined;
    return { token: body.token, ...(body.authorization_reference ? { authorizationReference: body.authorization_reference } : {}) };
  }

  /** A transaction consumed a reservation. */
  reservationUsed(reservationId: number) {
    this.deps.store.setReservationStatus(reservationId, 'used');
  }

  /** After a restart: every open command gets its deadline back, every live reservation its expiry. */
  resume() {
    for (const command of this.deps.store.open()) this.armDeadline(command);
    for (const reservation of this.deps.store.liveReservations()) this.armExpiry(reservation);
  }

  private accept(
    partner: AuthenticatedPartner,
    type: string,
    body: { response_url: string },
    target: Omit<Target, 'evse'> & { evse?: EVSE },
    ocppIdTag: string | null,
    execute: (command: CommandRecord) => Promise<CommandResult['result']>,
  ): Reception {
    const now = this.deps.clock.now().getTime();
    const command: Omit<CommandRecord, 'result'> = {
      id: crypto.randomUUID(),
      partnerId: partner.partnerId,
      type,
      body,
      chargePointId: target.chargePointId || null,
      ocppEvseId: target.chargePointId ? target.ocppEvseId : null,
      ocppIdTag,
      createdAtMs: now,
      deadlineMs: now + this.deps.timeoutSeconds * 1000,
    };
    this.deps.store.insert(command);
    this.armDeadline({ ...command, result: null });
    // The station is contacted after we answered the eMSP: the response is never held up by the charger.
    queueMicrotask(() =>
      void execute({ ...command, result: null }).then(
        (result) => this.finish(command.id, result),
        (error: Error & { reason?: 'timeout' | 'call-error' | 'closed' | 'invalid-response' }) => {
          // No usable answer from the station (offline, silent, CALLERROR): TIMEOUT or FAILED, never a hang.
          if (!error.reason) this.deps.logger.error('Command failed', { command: command.id, type, error });
          this.finish(command.id, error.reason ? commandFailureOf(error.reason) : 'FAILED');
        },
      ),
    );
    return { response: { result: 'ACCEPTED', timeout: this.deps.timeoutSeconds } };
  }

  /** Our CALL for a command, within what is left of its deadline. */
  private call(command: CommandRecord, action: string, payload: unknown): Promise<unknown> {
    const left = Math.max(1, command.deadlineMs - this.deps.clock.now().getTime());
    return this.deps.station.call(command.chargePointId!, action, payload, left);
  }

  private finish(commandId: string, final: CommandResult['result']) {
    this.deps.transact(() => {
      const command = this.deps.store.get(commandId);
      if (!command || !this.deps.store.settle(commandId, final)) return;
      this.deps.deliverResult(command.partnerId, commandId, (command.body as { response_url: string }).response_url, { result: final });
    });
    this.deps.deadlines.cancel(`command:${commandId}`);
  }

  private armDeadline(command: CommandRecord) {
    this.deps.deadlines.arm(`command:${command.id}`, command.deadlineMs, () => this.finish(command.id, 'TIMEOUT'));
  }

  /** At expiry an unused reservation is cancelled on the station too (it may not have expired it itself). */
  private armExpiry(reservation: ReservationRecord) {
    this.deps.deadlines.arm(`reservation:${reservation.reservationId}`, reservation.expiryMs, () => {
      const current = this.deps.store.reservation(reservation.partnerId, reservation.emspReservationId);
      if (!current || current.reservationId !== reservation.reservationId || (current.status !== 'active' && current.status !== 'requested')) return;
      this.deps.store.setReservationStatus(current.reservationId, 'expired');
      this.deps.reservationSessions.ended(current.chargePointId, current.reservationId, 'Reservation expired');
      void this.deps.station
        .call(current.chargePointId, 'CancelReservation', { reservationId: current.reservationId }, this.deps.timeoutSeconds * 1000)
        .catch((error: Error) => this.deps.logger.info('Expired reservation not cancelled on the station', { reservation: current.reservationId, error: error.message }));
    });
  }

  private checkToken(partner: AuthenticatedPartner, token: Token): Reception | undefined {
    return this.ownsToken(partner, token) ? undefined : respond('REJECTED', `Token ${token.uid} belongs to ${token.country_code}/${token.party_id}, not to the caller`);
  }

  private ownsToken(partner: AuthenticatedPartner, token: { country_code: string; party_id: string }) {
    return partner.context.roles?.some((r) => r.country_code.toUpperCase() === token.country_code.toUpperCase() && r.party_id.toUpperCase() === token.party_id.toUpperCase()) ?? false;
  }

  /** The EVSE a command addresses (or, without evse_uid, the first usable one of the location) and its OCPP side. */
  private target(partner: AuthenticatedPartner, locationId: string, evseUid: string | undefined, capability: EVSE['capabilities'] extends (infer C)[] | undefined ? C : never): Target | Reception {
    const location = this.deps.location(partner.partnerId, locationId);
    if (!location) return { ...respond('REJECTED', `Unknown location ${locationId}`), unknownObject: `Unknown location ${locationId}` };
    const evses = (location.evses ?? []).filter((e) => e.status !== 'REMOVED');
    const evse = evseUid
      ? evses.find((e) => e.uid.toUpperCase() === evseUid.toUpperCase())
      : (evses.find((e) => e.status === 'AVAILABLE' && this.deps.binding(location.id, e.uid)) ?? evses.find((e) => this.deps.binding(location.id, e.uid)));
    if (!evse) return evseUid ? { ...respond('REJECTED', `Unknown EVSE ${evseUid}`), unknownObject: `Unknown EVSE ${evseUid} at location ${locationId}` } : respond('NOT_SUPPORTED', 'No EVSE of this location can be controlled remotely');
    // An EVSE that lists its capabilities and lacks this one cannot do it (OCPI 2.2.1 Capability).
    if (evse.capabilities && !evse.capabilities.includes(capability)) return respond('NOT_SUPPORTED', `EVSE ${evse.uid} is not ${capability}`);
    const binding = this.deps.binding(location.id, evse.uid);
    if (!binding) return respond('NOT_SUPPORTED', `EVSE ${evse.uid} is not connected to a charge point we control`);
    return { ...binding, evse };
  }
}

function respond(result: CommandResponse['result'], message: string): Reception {
  return { response: { result, timeout: 0, message: [{ language: 'en', text: message }] } };
}
