import { ocpiDateTime, type Clock } from '../../src/lib/clock.ts';
import type { Logger } from '../../src/lib/logger.ts';
import type { Status } from '../../src/model/ocpi/evse.ts';
import type { OcppVersion } from '../../src/model/ocpp-version.ts';
import type { ActorHost } from '../system/actor-host.ts';
import type { BootInfo, ChargePointEvent } from './charge-point.events.ts';
import type { ChargePointContext, chargePointMachine } from './charge-point.machine.ts';

/** Where live EVSE statuses go (the Network): called inside the transaction that persists the station. */
export interface EvseStatusSink {
  applyEvseStatuses(chargePointId: string, statusOf: (ocppEvseId: number) => Status | undefined, at: string): unknown;
}

/** Turns a station's recorded OCPP statuses into the OCPI status of one of its EVSEs (src/domain/evse-status.ts). */
export type EvseStatusRule = (station: ChargePointContext, ocppEvseId: number, online: boolean) => Status | undefined;

/** What removing a charge point touches besides its own actor (wired in src/app.ts). */
export interface RemovalPorts {
  /** The station's registration (id + password hash, which also holds the actor's snapshot). */
  registration: { exists(id: string): boolean; delete(id: string): boolean };
  sessions: { runningAt(chargePointId: string): string[]; stop(sessionId: string, at: string, reason: string): void };
  /** Closes the station's live socket, if any. */
  disconnect(chargePointId: string, reason: string): void;
}

/** The stop reason of sessions ended by removing their station (Session `stop_reason`, CDR remark). */
export const REMOVED_STOP_REASON = 'ChargePointRemoved';

export interface ChargePointView extends ChargePointContext {
  state: 'disconnected' | 'connected' | 'booted';
  connected: boolean;
}

/**
 * The charge point actors: every fact a station reports is an event, persisted (with the EVSE statuses it
 * implies) before the station gets its answer. A station offline longer than the grace period shows UNKNOWN.
 */
export class ChargePoints {
  constructor(
    private readonly deps: {
      host: ActorHost<typeof chargePointMachine>;
      ids: () => string[];
      sink: EvseStatusSink;
      rule: EvseStatusRule;
      transact: <T>(fn: () => T) => T;
      clock: Clock;
      logger: Logger;
      removal: RemovalPorts;
    },
  ) {}

  connected(id: string, protocol: OcppVersion) {
    if (!this.deps.host.get(id)) this.deps.host.create(id, { id });
    this.record(id, { type: 'CONNECTED', protocol, at: this.now() });
  }

  disconnected(id: string) {
    // A removed station's socket closes after its actor and registration are gone: nothing left to record.
    if (!this.deps.host.get(id)) return;
    // To the millisecond: the offline grace counts from it, also after a restart.
    this.record(id, { type: 'DISCONNECTED', at: this.deps.clock.now().toISOString() });
  }

  booted(id: string, info: BootInfo) {
    this.record(id, { type: 'BOOTED', ...info, at: this.now() });
  }

  seen(id: string) {
    this.record(id, { type: 'SEEN', at: this.now() });
  }

  connectorStatus(id: string, evseId: number, status: string, errorCode: string | undefined, connectorId?: number) {
    this.record(id, {
      type: 'CONNECTOR_STATUS',
      evseId,
      status,
      ...(errorCode ? { errorCode } : {}),
      ...(connectorId !== undefined ? { connectorId } : {}),
      at: this.now(),
    });
  }

  /**
   * Takes a station out of service for good (operator DELETE). Its running sessions are stopped as by any stop
   * (each gets its one CDR), its EVSEs show UNKNOWN to partners at once (it will never report again, so no grace),
   * its grace timer, actor and registration go, and then its socket is closed: the id authenticates no more, and
   * the close that follows is no event for anyone. False when no such station is registered.
   */
  remove(id: string): boolean {
    const { removal, host, sink, transact } = this.deps;
    if (!removal.registration.exists(id)) return false;
    const at = this.now();
    // Each stop commits on its own, as a station's StopTransaction would: a failure below leaves them done.
    for (const sessionId of removal.sessions.runningAt(id)) removal.sessions.stop(sessionId, at, REMOVED_STOP_REASON);
    transact(() => {
      sink.applyEvseStatuses(id, () => 'UNKNOWN', at);
      removal.registration.delete(id);
    });
    host.forget(id);
    removal.disconnect(id, 'Charge point removed');
    return true;
  }

  view(id: string): ChargePointView | undefined {
    const snapshot = this.deps.host.snapshot(id);
    if (!snapshot) return undefined;
    const value = snapshot.value as 'disconnected' | { online: 'connected' | 'booted' };
    const state = value === 'disconnected' ? 'disconnected' : value.online;
    return { ...snapshot.context, state, connected: state !== 'disconnected' };
  }

  /**
   * After a restart no station is connected yet: mark those the snapshots still call online as disconnected
   * now; the others' actors re-enter their state, which re-arms the offline grace from the stored
   * `disconnectedAt` (timers do not survive a restart). `disconnectConnected` false (several nodes): those still
   * called online are left alone — their socket may be on another node.
   */
  resume(disconnectConnected = true) {
    for (const id of this.deps.ids()) {
      const view = this.view(id);
      if (!view) continue;
      if (!view.connected) this.deps.host.rearm(id, { type: 'RESTORED' });
      else if (disconnectConnected) this.disconnected(id);
    }
  }

  /** The offline grace ran out (the machine's delayed transition): partners see the station's EVSEs as UNKNOWN. */
  announceOffline(id: string) {
    const view = this.view(id);
    if (!view || view.connected) return;
    this.deps.transact(() => this.deps.sink.applyEvseStatuses(id, (evseId) => this.deps.rule(view, evseId, false), this.now()));
  }

  /** The machine's `publishStatuses` action, inside the commit: the OCPI statuses of an online station's EVSEs. */
  publishStatuses(station: ChargePointContext, at: string) {
    this.deps.sink.applyEvseStatuses(station.id, (evseId) => this.deps.rule(station, evseId, true), at);
  }

  private record(id: string, event: ChargePointEvent) {
    const { host, logger } = this.deps;
    // A frame already queued when its station was removed finds no actor (every connection creates one).
    if (!host.get(id)) return logger.info('Event for a removed charge point ignored', { chargePointId: id, event: event.type });
    host.send(id, event);
  }

  private now() {
    return ocpiDateTime(this.deps.clock.now());
  }
}
