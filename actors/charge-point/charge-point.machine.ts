import { assign, setup } from 'xstate';
import { statusKey } from '../../src/domain/evse-status.ts';
import type { OcppVersion } from '../../src/model/ocpp-version.ts';
import type { BootInfo, ChargePointEvent } from './charge-point.events.ts';

/** 2: EVSE statuses keyed "e1" rather than "1" (statusKey); snapshots of version 1 are upgraded as they are loaded (charge-point-snapshots.ts). */
export const CHARGE_POINT_MACHINE_VERSION = 2;

export interface EvseState {
  /** The OCPP status as reported (1.6 ChargePointStatus or 2.0.1 ConnectorStatus). */
  status: string;
  errorCode?: string;
  at: string;
}

export interface ChargePointContext {
  id: string;
  protocol?: OcppVersion;
  boot?: BootInfo & { at: string };
  connectedAt?: string;
  /** Data, not a timer: the "offline → UNKNOWN" grace is re-armed from it after a restart. */
  disconnectedAt?: string;
  /** Its last message of those that change the snapshot (connect, boot, status); Heartbeats are kept apart (liveness.ts). */
  lastSeenAt?: string;
  /** By statusKey (src/domain/evse-status.ts): "e<evseId>" or "e<evseId>.<connectorId>"; EVSE 0 = the station itself. */
  evses: Record<string, EvseState>;
}

/**
 * A charge point: disconnected → online (connected → booted), with its EVSE statuses and last contact. Every accepted
 * event is persisted by the actor host before the station gets its answer. Disconnected longer than the offline
 * grace, it announces its EVSEs as UNKNOWN to partners (the last real statuses come back on reconnect).
 */
export const chargePointMachine = setup({
  types: { context: {} as ChargePointContext, events: {} as ChargePointEvent, input: {} as { id: string } },
  actions: {
    // One assign per event (each assign clones the snapshot): the report and the contact time together.
    recordStatus: assign(({ context, event }) =>
      event.type === 'CONNECTOR_STATUS'
        ? {
            lastSeenAt: event.at,
            evses: { ...context.evses, [statusKey(event.evseId, event.connectorId)]: { status: event.status, ...(event.errorCode ? { errorCode: event.errorCode } : {}), at: event.at } },
          }
        : {},
    ),
    recordBoot: assign(({ event }) =>
      event.type === 'BOOTED'
        ? {
            lastSeenAt: event.at,
            boot: {
              vendor: event.vendor,
              model: event.model,
              ...(event.serialNumber ? { serialNumber: event.serialNumber } : {}),
              ...(event.firmwareVersion ? { firmwareVersion: event.firmwareVersion } : {}),
              at: event.at,
            },
          }
        : {},
    ),
    connect: assign(({ event }) =>
      event.type === 'CONNECTED' ? { protocol: event.protocol, connectedAt: event.at, lastSeenAt: event.at, disconnectedAt: undefined } : {},
    ),
    /** Partners see the station's EVSEs as UNKNOWN (provided by the kind: it writes the statuses). */
    announceOffline: () => {},
    /** Partners see the EVSE statuses the station's reports now imply (provided by the kind, in the commit). */
    publishStatuses: () => {},
  },
  guards: { wasOnline: ({ context }) => context.disconnectedAt !== undefined },
  /** Until OFFLINE_GRACE_S after `disconnectedAt` (provided by the host, which knows the setting and the clock). */
  delays: { offlineGrace: () => 0 },
}).createMachine({
  id: 'charge-point',
  context: ({ input }) => ({ id: input.id, evses: {} }),
  initial: 'disconnected',
  on: {
    // A station reconnecting after a network blip does not boot again (OCPP 1.6 §4.2): it stays booted.
    CONNECTED: [
      { guard: ({ context }) => context.boot !== undefined, target: '.online.booted', actions: ['connect', 'publishStatuses'] },
      { target: '.online.connected', actions: ['connect', 'publishStatuses'] },
    ],
  },
  states: {
    disconnected: {
      // The grace is data (disconnectedAt): a restored actor re-enters this state on RESTORED and waits what is left.
      after: { offlineGrace: { guard: 'wasOnline', actions: 'announceOffline' } },
      on: { RESTORED: { target: 'disconnected', reenter: true } },
    },
    online: {
      initial: 'connected',
      on: {
        // Before its boot is accepted a station may still report; we keep what it says.
        CONNECTOR_STATUS: { actions: ['recordStatus', 'publishStatuses'] },
        DISCONNECTED: { target: 'disconnected', actions: assign({ disconnectedAt: ({ event }) => event.at }) },
      },
      states: {
        connected: { on: { BOOTED: { target: 'booted', actions: 'recordBoot' } } },
        booted: { on: { BOOTED: { actions: 'recordBoot' } } },
      },
    },
  },
});
