import { ocpiDateTime, type Clock } from '../../src/lib/clock.ts';
import type { Logger } from '../../src/lib/logger.ts';
import type { Status } from '../../src/model/ocpi/evse.ts';
import type { OcppVersion } from '../../src/ocpp/ocpp-version.ts';
import type { ActorHost } from '../system/actor-host.ts';
import type { BootInfo, ChargePointEvent } from './charge-point.events.ts';
import type { ChargePointContext, chargePointMachine } from './charge-point.machine.ts';

/** Where live EVSE statuses go (the Network): called inside the transaction that persists the station. */
export interface EvseStatusSink {
  applyEvseStatuses(chargePointId: string, statusOf: (ocppEvseId: number) => Status | undefined, at: string): unknown;
}

/** Turns a station's recorded OCPP statuses into the OCPI status of one of its EVSEs (src/domain/evse-status.ts). */
export type EvseStatusRule = (station: ChargePointContext, ocppEvseId: number, online: boolean) => Status | undefined;

export interface ChargePointView extends ChargePointContext {
  state: 'disconnected' | 'connected' | 'booted';
  connected: boolean;
}

/**
 * The charge point actors: every fact a station reports is an event, persisted (with the EVSE statuses it
 * implies) before the station gets its answer. A station offline longer than the grace period shows UNKNOWN.
 */
export class ChargePoints {
  private readonly graceTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly deps: {
      host: ActorHost<typeof chargePointMachine>;
      ids: () => string[];
      sink: EvseStatusSink;
      rule: EvseStatusRule;
      transact: <T>(fn: () => T) => T;
      clock: Clock;
      logger: Logger;
      offlineGraceMs: number;
    },
  ) {}

  connected(id: string, protocol: OcppVersion) {
    this.cancelGrace(id);
    if (!this.deps.host.get(id)) this.deps.host.create(id, { id });
    this.record(id, { type: 'CONNECTED', protocol, at: this.now() });
  }

  disconnected(id: string) {
    this.record(id, { type: 'DISCONNECTED', at: this.now() });
    this.armGrace(id, this.deps.offlineGraceMs);
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

  view(id: string): ChargePointView | undefined {
    const snapshot = this.deps.host.snapshot(id);
    if (!snapshot) return undefined;
    const value = snapshot.value as 'disconnected' | { online: 'connected' | 'booted' };
    const state = value === 'disconnected' ? 'disconnected' : value.online;
    return { ...snapshot.context, state, connected: state !== 'disconnected' };
  }

  /**
   * After a restart no station is connected yet: mark those the snapshots still call online as disconnected
   * now, and re-arm every offline grace from its stored `disconnectedAt` (timers do not survive a restart).
   */
  resume() {
    for (const id of this.deps.ids()) {
      const view = this.view(id);
      if (!view) continue;
      if (view.connected) this.disconnected(id);
      else if (view.disconnectedAt) this.armGrace(id, Math.max(0, Date.parse(view.disconnectedAt) + this.deps.offlineGraceMs - this.deps.clock.now().getTime()));
    }
  }

  stop() {
    for (const timer of this.graceTimers.values()) clearTimeout(timer);
    this.graceTimers.clear();
  }

  private record(id: string, event: ChargePointEvent) {
    const { host, sink, rule } = this.deps;
    host.send(id, event, () => {
      // The actor has already taken the event (persist runs after send): publish what it now implies.
      const station = host.snapshot(id)!.context;
      const online = event.type !== 'DISCONNECTED';
      if (event.type === 'CONNECTOR_STATUS' || event.type === 'CONNECTED')
        sink.applyEvseStatuses(id, (evseId) => rule(station, evseId, online), event.at);
    });
  }

  private armGrace(id: string, delayMs: number) {
    this.cancelGrace(id);
    this.graceTimers.set(
      id,
      setTimeout(() => {
        this.graceTimers.delete(id);
        const view = this.view(id);
        if (!view || view.connected) return;
        this.deps.transact(() => this.deps.sink.applyEvseStatuses(id, (evseId) => this.deps.rule(view, evseId, false), this.now()));
      }, delayMs),
    );
  }

  private cancelGrace(id: string) {
    const timer = this.graceTimers.get(id);
    if (timer) clearTimeout(timer);
    this.graceTimers.delete(id);
  }

  private now() {
    return ocpiDateTime(this.deps.clock.now());
  }
}
