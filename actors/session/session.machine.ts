import Big from 'big.js';
import { assign, setup } from 'xstate';
import { ocpiDateTime } from '../../src/lib/clock.ts';
import type { MeterSample } from '../../src/domain/tariff/session-trace.ts';
import type { Session } from '../../src/model/ocpi/session.ts';
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
 * Inserts readings in time order (readings of the same instant in the order they arrived), ignoring those outside
 * the session. A register never goes backwards (stations replay queued values out of order, ocpp-notes §3.4): a
 * reading lower than the one before it is lifted to it, and samples after it that are lower rise to it (a sample
 * without a register of its own, such as a charging-state change, holds the energy known when it was taken).
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
    for (let i = at + 1; i < merged.length && new Big(merged[i]!.energy_kwh).lt(sample.energy_kwh); i++) merged[i] = { ...merged[i]!, energy_kwh: sample.energy_kwh };
  }
  return merged;
}

/**
 * The session's samples once it ended at `endAt` with the final register `finalKwh`: nothing after the end, and
 * the final register authoritative (1.6 meterStop, 2.0.1 the last register) — a reading above it cannot have
 * been charged in this session, so the energy is exactly final − start whatever came in between.
 */
export function closedSamples(samples: MeterSample[], endAt: string, finalKwh: string): MeterSample[] {
  const endMs = Date.parse(endAt);
  const kept = samples.filter((s, i) => i === 0 || Date.parse(s.at) <= endMs);
  const capped = kept.map((s, i) => (i > 0 && new Big(s.energy_kwh).gt(finalKwh) ? { ...s, energy_kwh: finalKwh } : s));
  return [...capped, { at: endAt, energy_kwh: finalKwh, charging: capped.at(-1)!.charging }];
}

const publishAs = (status: Session['status']) => ({ type: 'publish', params: { status } }) as const;

/**
 * A charging session: pending (transaction exists, not authorised yet) → active → completed. Everything that
 * prices it is data in the context, so the same snapshot always renders the same Session and CDR. Every change
 * ends in `publish`: the kind renders the OCPI Session (and, completed, the one CDR) and queues their pushes,
 * inside the same commit as the snapshot.
 */
export const sessionMachine = setup({
  types: { context: {} as SessionContext, events: {} as SessionEvent, input: {} as SessionInput },
  actions: {
    /** Provided by the session kind (actors/session/sessions.ts): it owns the rendered views and the feed. */
    publish: (_, _params: { status: Session['status'] }) => {},
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
      // 1.6 meterStop (2.0.1: the Ended register) is the final register; without it the latest reading stands.
      const finalKwh = event.meterStopKwh ?? String(context.samples.at(-1)!.energy_kwh);
      // A station clock that jumped back must not end the session before it began.
      const endAt = Date.parse(event.at) < Date.parse(context.startAt) ? context.startAt : event.at;
      return { samples: closedSamples(context.samples, endAt, finalKwh), endAt, stopReason: event.reason, lastUpdated: latest(context.lastUpdated, [endAt]) };
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
      entry: publishAs('RESERVATION'),
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
      entry: publishAs('PENDING'),
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
        METER: { actions: ['meter', publishAs('PENDING')] },
        CHARGING_STATE: { actions: ['chargingState', publishAs('PENDING')] },
        STOPPED: { target: 'completed', actions: 'stop' },
      },
    },
    active: {
      entry: publishAs('ACTIVE'),
      on: {
        METER: { actions: ['meter', publishAs('ACTIVE')] },
        CHARGING_STATE: { actions: ['chargingState', publishAs('ACTIVE')] },
        STOPPED: { target: 'completed', actions: 'stop' },
      },
    },
    completed: { type: 'final', entry: publishAs('COMPLETED') },
  },
});

/** `last_updated` is shown to partners and compared as text by date_from/date_to: whole seconds, like every OCPI DateTime we write. */
function latest(current: string, candidates: string[]) {
  return ocpiDateTime(new Date(candidates.reduce((a, b) => Math.max(a, Date.parse(b)), Date.parse(current))));
}
