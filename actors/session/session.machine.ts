import Big from 'big.js';
import { assign, setup } from 'xstate';
import type { MeterSample } from '../../src/domain/tariff/session-trace.ts';
import type { Reading, SessionEvent, SessionInput } from './session.events.ts';

export const SESSION_MACHINE_VERSION = 1;

export interface SessionContext extends SessionInput {
  /** Price-relevant history: register readings (kWh) with the charging state in force, in time order. */
  samples: MeterSample[];
  charging: boolean;
  endAt?: string;
  stopReason?: string;
  lastUpdated: string;
}

/**
 * Inserts readings in time order, ignoring those outside the session; a register never goes backwards
 * (stations replay queued values out of order, ocpp-notes §3.4), so a lower value than an earlier one is lifted
 * to it. Readings without energy still carry power/current for the tariff's power restrictions.
 */
export function mergeReadings(samples: MeterSample[], readings: Reading[], charging: boolean, window: { startAt: string; endAt?: string }) {
  const merged = [...samples];
  for (const reading of readings) {
    const ms = Date.parse(reading.at);
    if (ms < Date.parse(window.startAt) || (window.endAt && ms > Date.parse(window.endAt))) continue;
    const index = merged.findIndex((s) => Date.parse(s.at) > ms);
    const at = index === -1 ? merged.length : index;
    const before = merged[at - 1];
    const energy = reading.energyKwh ?? String(before?.energy_kwh ?? '0');
    const sample: MeterSample = {
      at: reading.at,
      energy_kwh: before && new Big(energy).lt(before.energy_kwh) ? String(before.energy_kwh) : energy,
      charging: before?.charging ?? charging,
      ...(reading.powerKw !== undefined ? { power_kw: reading.powerKw } : {}),
      ...(reading.currentA !== undefined ? { current_a: reading.currentA } : {}),
    };
    merged.splice(at, 0, sample);
  }
  return merged;
}

/**
 * A charging session: pending (transaction exists, not authorised yet) → active → completed. Everything that
 * prices it is data in the context, so the same snapshot always renders the same Session and CDR.
 */
export const sessionMachine = setup({
  types: { context: {} as SessionContext, events: {} as SessionEvent, input: {} as SessionInput },
  actions: {
    meter: assign(({ context, event }) => {
      if (event.type !== 'METER') return {};
      const baseline = context.meterStartKnown ? undefined : event.readings.find((r) => r.energyKwh !== undefined)?.energyKwh;
      // Without a start register, the first register seen is where the session's energy counts from.
      const samples = baseline === undefined ? context.samples : context.samples.map((s) => ({ ...s, energy_kwh: baseline }));
      return {
        samples: mergeReadings(samples, event.readings, context.charging, context),
        ...(baseline === undefined ? {} : { meterStartKwh: baseline, meterStartKnown: true }),
        lastUpdated: latest(context.lastUpdated, event.readings.map((r) => r.at)),
      };
    }),
    stop: assign(({ context, event }) => {
      if (event.type !== 'STOPPED') return {};
      // 1.6 meterStop is authoritative for the final register; without it the last reading stands.
      const final = { at: event.at, energyKwh: event.meterStopKwh ?? String(context.samples.at(-1)!.energy_kwh) };
      const samples = mergeReadings(context.samples, [final], context.charging, context);
      return { samples, endAt: event.at, stopReason: event.reason, lastUpdated: latest(context.lastUpdated, [event.at]) };
    }),
    chargingState: assign(({ context, event }) => {
      if (event.type !== 'CHARGING_STATE' || event.charging === context.charging) return {};
      // A state change opens a new price period: a sample at that moment carries the new state.
      const samples = mergeReadings(context.samples, [{ at: event.at }], event.charging, context).map((s) =>
        Date.parse(s.at) >= Date.parse(event.at) ? { ...s, charging: event.charging } : s,
      );
      return { samples, charging: event.charging, lastUpdated: latest(context.lastUpdated, [event.at]) };
    }),
  },
}).createMachine({
  id: 'session',
  context: ({ input }) => ({
    ...input,
    samples: [{ at: input.startAt, energy_kwh: input.meterStartKwh, charging: true }],
    charging: true,
    lastUpdated: input.startAt,
  }),
  initial: 'start',
  states: {
    start: {
      always: [
        { guard: ({ context }) => context.reservationOnly === true, target: 'reserved' },
        { guard: ({ context }) => context.token === undefined, target: 'pending' },
        { target: 'active' },
      ],
    },
    /**
     * OCPI 2.2.1 sessions: a reservation creates a Session in RESERVATION; when the reserved driver starts, the
     * transaction becomes that same session (start time and meter from the transaction).
     */
    reserved: {
      on: {
        TRANSACTION_STARTED: {
          target: 'active',
          actions: assign(({ context, event }) => ({
            transactionId: event.transactionId,
            startAt: event.at,
            meterStartKwh: event.meterStartKwh,
            meterStartKnown: event.meterStartKnown,
            samples: [{ at: event.at, energy_kwh: event.meterStartKwh, charging: true }],
            ...(event.token ? { token: event.token } : {}),
            authMethod: event.authMethod,
            authorizationReference: event.authorizationReference ?? context.authorizationReference,
            reservationOnly: false,
            lastUpdated: latest(context.lastUpdated, [event.at]),
          })),
        },
        RESERVATION_ENDED: {
          target: 'completed',
          actions: assign(({ context, event }) => ({ endAt: event.at, stopReason: event.reason, lastUpdated: latest(context.lastUpdated, [event.at]) })),
        },
      },
    },
    pending: {
      on: {
        AUTHORIZED: {
          target: 'active',
          actions: assign(({ event }) => ({
            token: event.token,
            authMethod: event.authMethod,
            authorizationReference: event.authorizationReference,
            lastUpdated: event.at,
          })),
        },
        METER: { actions: 'meter' },
        CHARGING_STATE: { actions: 'chargingState' },
        STOPPED: { target: 'completed', actions: 'stop' },
      },
    },
    active: {
      on: {
        METER: { actions: 'meter' },
        CHARGING_STATE: { actions: 'chargingState' },
        STOPPED: { target: 'completed', actions: 'stop' },
      },
    },
    completed: { type: 'final' },
  },
});

function latest(current: string, candidates: string[]) {
  return candidates.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a), current);
}
