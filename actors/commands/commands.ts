import { commandResultOf, ocpp16IdTag, ocpp201IdTokenType } from '../../src/domain/command-mapping.ts';
import { partyOf, type Party } from '../../src/domain/parties.ts';
import type { Clock } from '../../src/lib/clock.ts';
import type { Logger } from '../../src/lib/logger.ts';
import type { CancelReservation, CommandType, ReserveNow, StartSession, StopSession, UnlockConnector } from '../../src/model/ocpi/commands.ts';
import type { Token } from '../../src/model/ocpi/token.ts';
import type { CommandStore } from '../../src/storage/ports.ts';
import type { AuthenticatedPartner } from '../partner/partners.ts';
import type { SessionView } from '../session/sessions.ts';
import type { Deadlines } from '../system/deadlines.ts';
import type { CommandActors } from './command-actors.ts';
import { checkToken, findTarget, ownsToken, respond, type Reception, type TargetLookup } from './command-targets.ts';
import { expiryMsOf, Reservations, type ReservationDeps } from './reservations.ts';

export type { Reception } from './command-targets.ts';

export interface CommandDeps extends TargetLookup {
  store: CommandStore;
  session(id: string): SessionView | undefined;
  runningOn(chargePointId: string, ocppEvseId: number): string | undefined;
  station: ReservationDeps['station'];
  reservationSessions: ReservationDeps['reservationSessions'];
  /** A command's token is the commanding connection's unless another brought it first: its session goes there. */
  adoptToken(partnerId: string, token: Token): void;
  clock: Clock;
  /** The reservations' expiries (a command's own deadline lives in its actor). */
  deadlines: Deadlines;
  logger: Logger;
  timeoutSeconds: number;
  transact: <T>(fn: () => T) => T;
}

const PREAUTHORIZED_MS = 15 * 60_000;
const COMMAND_TYPES: readonly CommandType[] = ['START_SESSION', 'STOP_SESSION', 'RESERVE_NOW', 'CANCEL_RESERVATION', 'UNLOCK_CONNECTOR'];

/**
 * OCPI commands (we are Receiver) carried out over OCPP. Each accepted command is a row and an actor
 * (command.machine.ts, run by the CommandActors it shares with the charging-profile requests) whose CommandResult goes out through the partner's durable outbox
 * exactly once — from the station's answer, or TIMEOUT/FAILED when the station is offline or silent, also after
 * a restart. This class is the kind's API: it checks a command, finds its target and says what the station is
 * to do; reservations (RESERVE_NOW, CANCEL_RESERVATION and their expiry) are in reservations.ts.
 */
export class Commands {
  private readonly reservations: Reservations;

  constructor(
    private readonly deps: CommandDeps,
    private readonly actors: CommandActors,
  ) {
    // A station offline or answering with an error: FAILED; silent until the deadline: TIMEOUT (OCPI 2.2.1 commands).
    actors.register(COMMAND_TYPES, { failures: { timeout: 'TIMEOUT', failed: 'FAILED' } });
    this.reservations = new Reservations(deps, actors);
  }

  startSession(partner: AuthenticatedPartner, body: StartSession): Reception {
    const refused = checkToken(partner, body.token);
    if (refused) return refused;
    const target = findTarget(this.deps, partner, body.location_id, body.evse_uid, 'REMOTE_START_STOP_CAPABLE');
    if ('response' in target) return target;
    const protocol = this.deps.station.protocolOf(target.chargePointId);
    const idTag = protocol === 'ocpp2.0.1' ? body.token.uid : ocpp16IdTag(body.token.uid);
    this.deps.adoptToken(partner.partnerId, body.token);
    return this.actors.accept(partner, 'START_SESSION', body, target, idTag, async (command) => {
      if (target.evse.status === 'INOPERATIVE' || target.evse.status === 'OUTOFORDER') return 'EVSE_INOPERATIVE';
      if (this.deps.runningOn(target.chargePointId, target.ocppEvseId)) return 'EVSE_OCCUPIED';
      const answer =
        protocol === 'ocpp2.0.1'
          ? await this.actors.call(command, 'RequestStartTransaction', {
              idToken: { idToken: body.token.uid, type: ocpp201IdTokenType(body.token.type) },
              remoteStartId: this.deps.store.nextRemoteStartId(command.id),
              evseId: target.ocppEvseId,
            })
          : await this.actors.call(command, 'RemoteStartTransaction', { connectorId: target.ocppEvseId, idTag });
      return commandResultOf('start', answer);
    }, partyOf(body.token));
  }

  stopSession(partner: AuthenticatedPartner, body: StopSession): Reception {
    const view = this.deps.session(body.session_id);
    const owner = view?.session?.cdr_token;
    if (!view || !owner || !ownsToken(partner, owner)) return respond('UNKNOWN_SESSION', `Unknown session ${body.session_id}`);
    if (view.state === 'completed') return respond('REJECTED', `Session ${body.session_id} has already ended`);
    const { chargePointId, ocppEvseId, transactionId, protocol } = view.context;
    return this.actors.accept(
      partner,
      'STOP_SESSION',
      body,
      { chargePointId, ocppEvseId },
      null,
      async (command) =>
        commandResultOf(
          'stop',
          protocol === 'ocpp2.0.1'
            ? await this.actors.call(command, 'RequestStopTransaction', { transactionId })
            : await this.actors.call(command, 'RemoteStopTransaction', { transactionId: Number(transactionId) }),
        ),
      partyOf(owner),
    );
  }

  reserveNow(partner: AuthenticatedPartner, body: ReserveNow): Reception {
    return this.reservations.reserveNow(partner, body);
  }

  cancelReservation(partner: AuthenticatedPartner, body: CancelReservation): Reception {
    return this.reservations.cancelReservation(partner, body);
  }

  unlockConnector(partner: AuthenticatedPartner, body: UnlockConnector): Reception {
    const target = findTarget(this.deps, partner, body.location_id, body.evse_uid, 'UNLOCK_CAPABLE');
    if ('response' in target) return target;
    if (!target.evse.connectors.some((c) => c.id.toUpperCase() === body.connector_id.toUpperCase()))
      return { ...respond('REJECTED', `Unknown connector ${body.connector_id}`), unknownObject: `Unknown connector ${body.connector_id}` };
    const protocol = this.deps.station.protocolOf(target.chargePointId);
    return this.actors.accept(partner, 'UNLOCK_CONNECTOR', body, target, null, async (command) =>
      commandResultOf(
        'unlock',
        protocol === 'ocpp2.0.1'
          ? await this.actors.call(command, 'UnlockConnector', { evseId: target.ocppEvseId, connectorId: Number.parseInt(body.connector_id, 10) || 1 })
          : await this.actors.call(command, 'UnlockConnector', { connectorId: target.ocppEvseId }),
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
    const until = 'expiry_date' in body ? expiryMsOf(body) : command.createdAtMs + PREAUTHORIZED_MS;
    if (now > until) return undefined;
    return { token: body.token, ...(body.authorization_reference ? { authorizationReference: body.authorization_reference } : {}) };
  }

  /** A transaction consumed a reservation. */
  reservationUsed(reservationId: number) {
    this.reservations.used(reservationId);
  }

  /** After a restart: every live reservation gets its expiry back (open commands are resumed by their actors). */
  resume() {
    this.reservations.resume();
  }

  /** Several nodes, the timekeeper lease lost: the reservation expiries `resume()` armed stop here. */
  stopResumed() {
    this.reservations.stopResumed();
  }
}
