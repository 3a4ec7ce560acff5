import { ocpiDateTime, type Clock } from '../../src/lib/clock.ts';
import type { Logger } from '../../src/lib/logger.ts';
import type { Status } from '../../src/model/ocpi/evse.ts';
import type { OcppVersion } from '../../src/model/ocpp-version.ts';
import type { ActorHost } from '../system/actor-host.ts';
import type { BootInfo, ChargePointEvent } from './charge-point.events.ts';
import type { Liveness } from './liveness.ts';
import { Arrivals, type Connected } from './arrivals.ts';
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

/**
 * Stations resumed at once after a restart, and the pause between two slices (a slice takes a few ms; 100,000
 * stations resume in about 5 s of background work). While a reconnect storm runs (more than one station connecting
 * per STORM_MS_PER_CONNECTION since the previous slice, however loaded the machine) the pause is longer: the
 * stations reconnecting go first, and those that are back before their turn cost the resume nothing.
 */
const RESUME_SLICE = 200;
const RESUME_PAUSE_MS = 10;
const RESUME_STORM_PAUSE_MS = 250;
const STORM_MS_PER_CONNECTION = 10;

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
      /** Last seen, in memory and flushed every few seconds: a Heartbeat writes nothing. */
      liveness: Liveness;
      ids: () => string[];
      sink: EvseStatusSink;
      rule: EvseStatusRule;
      transact: <T>(fn: () => T) => T;
      clock: Clock;
      logger: Logger;
      removal: RemovalPorts;
      /** Whether the station has a live socket now (the gateway). */
      isConnected: (id: string) => boolean;
      offlineGraceMs: number;
    },
  ) {
    this.arrivals = new Arrivals(deps.clock, (id, event) => {
      try {
        this.record(id, event);
      } catch (error) {
        deps.logger.error('Recording a station’s connection failed', { chargePointId: id, error });
      }
    });
  }

  /** The background part of `resume()` while it runs (cancelled by `stop()`). */
  private resuming: ReturnType<typeof setTimeout> | undefined;
  /** Stations connected so far: how the resume tells a reconnect storm. */
  private connections = 0;
  private readonly arrivals: Arrivals;
  /**
   * Whether a station coming back within its grace has its connection held (arrivals.ts). Only on a node alone,
   * once resumed: other nodes route to a station by its recorded connection.
   */
  private holdArrivals = false;

  connected(id: string, protocol: OcppVersion) {
    this.connections += 1;
    const event: Connected = { type: 'CONNECTED', protocol, at: this.now() };
    if (!this.deps.host.get(id)) this.deps.host.create(id, { id });
    else if (this.holdArrivals && this.backWithinGrace(id)) return this.arrivals.hold(id, event);
    this.record(id, event);
  }

  /** Online already (a new socket), or disconnected less than the grace ago: partners saw no change. */
  private backWithinGrace(id: string): boolean {
    const station = this.recorded(id);
    if (!station || station.connected) return station !== undefined;
    return station.disconnectedAt !== undefined && Date.parse(station.disconnectedAt) + this.deps.offlineGraceMs > this.deps.clock.now().getTime();
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

  /** A message that only tells the station is there (Heartbeat, …): remembered in memory, flushed every few seconds. */
  seen(id: string) {
    this.deps.liveness.seen(id, this.now());
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
    this.deps.liveness.forget(id);
    this.arrivals.forget(id);
    removal.disconnect(id, 'Charge point removed');
    return true;
  }

  view(id: string): ChargePointView | undefined {
    const station = this.recorded(id);
    if (!station) return undefined;
    // The snapshot's contact (connect, boot, status) or a later Heartbeat's, whichever is newer (same format: text order is time order).
    const heard = this.deps.liveness.lastSeen(id);
    return heard !== undefined && (station.lastSeenAt === undefined || heard > station.lastSeenAt) ? { ...station, lastSeenAt: heard } : station;
  }

  /**
   * The view without the last-seen lookup: what the resume of every station and the offline announcement need.
   * A held connection is shown as the machine's `connect` will record it.
   */
  private recorded(id: string): ChargePointView | undefined {
    const snapshot = this.deps.host.peek(id);
    if (!snapshot) return undefined;
    const arrival = this.arrivals.pending(id);
    if (arrival) {
      const { disconnectedAt: _, ...context } = snapshot.context;
      return { ...context, protocol: arrival.protocol, connectedAt: arrival.at, lastSeenAt: arrival.at, state: context.boot ? 'booted' : 'connected', connected: true };
    }
    const value = snapshot.value as 'disconnected' | { online: 'connected' | 'booted' };
    const state = value === 'disconnected' ? 'disconnected' : value.online;
    return { ...snapshot.context, state, connected: state !== 'disconnected' };
  }

  /**
   * After a restart no station is connected yet: those the snapshots still call online are marked disconnected
   * as of the resume's start, however late their slice comes (their grace starts then); those disconnected within
   * the grace get what is left of it re-armed (timers do not survive a restart); those past it are announced
   * UNKNOWN again — a crash may have cut that short — from the stored snapshot, without bringing their actors into
   * memory. The first RESUME_SLICE stations at once, the rest
   * in slices while the server already serves: a station that reconnected before its turn is skipped (its
   * CONNECTED is recorded already). `disconnectConnected` false (several nodes): those still called online are
   * left alone — their socket may be on another node.
   */
  resume(disconnectConnected = true) {
    this.holdArrivals = disconnectConnected;
    const ids = this.deps.ids();
    const cutAt = this.deps.clock.now().toISOString();
    let next = 0;
    let last = { at: performance.now(), connections: this.connections };
    // One transaction per slice: the stations' own commits nest in it (most announcements change nothing).
    const slice = (background: boolean) => {
      this.resuming = undefined;
      this.deps.transact(() => {
        for (const end = Math.min(next + RESUME_SLICE, ids.length); next < end; next += 1) {
          // At start a problem (a snapshot of another machine version) stops the start; later it is logged.
          if (!background) this.resumeOne(ids[next]!, disconnectConnected, cutAt);
          else
            try {
              this.resumeOne(ids[next]!, disconnectConnected, cutAt);
            } catch (error) {
              this.deps.logger.error('Resuming a charge point failed', { chargePointId: ids[next], error });
            }
        }
      });
      if (next === ids.length) return;
      const now = { at: performance.now(), connections: this.connections };
      const storm = (now.connections - last.connections) * STORM_MS_PER_CONNECTION > now.at - last.at;
      last = now;
      this.resuming = setTimeout(() => slice(true), storm ? RESUME_STORM_PAUSE_MS : RESUME_PAUSE_MS);
    };
    slice(false);
  }

  /** Stops a resume still running in the background (shutdown). */
  stop() {
    clearTimeout(this.resuming);
    this.resuming = undefined;
    this.arrivals.stop();
  }

  private resumeOne(id: string, disconnectConnected: boolean, cutAt: string) {
    if (this.deps.isConnected(id)) return;
    const view = this.recorded(id);
    if (!view) return;
    if (view.connected) return disconnectConnected ? this.record(id, { type: 'DISCONNECTED', at: cutAt }) : undefined;
    if (view.disconnectedAt === undefined) return;
    if (Date.parse(view.disconnectedAt) + this.deps.offlineGraceMs > this.deps.clock.now().getTime()) this.deps.host.rearm(id, { type: 'RESTORED' });
    else this.announceOffline(id, view);
  }

  /** The offline grace ran out (the machine's delayed transition): partners see the station's EVSEs as UNKNOWN. */
  announceOffline(id: string, view = this.recorded(id)) {
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
    const arrival = event.type === 'CONNECTED' ? undefined : this.arrivals.take(id);
    if (!arrival) return void host.send(id, event);
    try {
      host.send(id, [arrival, event]);
    } catch (error) {
      this.arrivals.putBack(id, arrival);
      throw error;
    }
  }

  private now() {
    return ocpiDateTime(this.deps.clock.now());
  }
}
