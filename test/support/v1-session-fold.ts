/**
 * How session machine version 1 kept a session's samples (actors/session/session.machine.ts at commit a8b20c2),
 * event by event inside the snapshot: the reference the readings table's replay must equal exactly. Kept only as
 * a test oracle; the product replays stored readings instead (src/domain/cdr/meter-history.ts).
 */
import Big from 'big.js';
import type { MeterSample } from '../../src/domain/tariff/session-trace.ts';

export interface V1Reading {
  at: string;
  energyKwh?: string;
  powerKw?: string;
  currentA?: string;
}

export type V1Event = { type: 'METER'; readings: V1Reading[] } | { type: 'CHARGING_STATE'; at: string; charging: boolean };

export interface V1State {
  startAt: string;
  meterStartKwh: string;
  meterStartKnown: boolean;
  charging: boolean;
  samples: MeterSample[];
}

export function v1Start(startAt: string, meterStartKwh: string | undefined): V1State {
  const start = meterStartKwh ?? '0';
  return { startAt, meterStartKwh: start, meterStartKnown: meterStartKwh !== undefined, charging: true, samples: [{ at: startAt, energy_kwh: start, charging: true }] };
}

export function v1MergeReadings(samples: MeterSample[], readings: V1Reading[], charging: boolean, window: { startAt: string; endAt?: string }) {
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

export function v1ClosedSamples(samples: MeterSample[], endAt: string, finalKwh: string): MeterSample[] {
  const endMs = Date.parse(endAt);
  const kept = samples.filter((s, i) => i === 0 || Date.parse(s.at) <= endMs);
  const capped = kept.map((s, i) => (i > 0 && new Big(s.energy_kwh).gt(finalKwh) ? { ...s, energy_kwh: finalKwh } : s));
  return [...capped, { at: endAt, energy_kwh: finalKwh, charging: capped.at(-1)!.charging }];
}

/** The machine's `meter` and `chargingState` actions. */
export function v1Apply(state: V1State, event: V1Event): V1State {
  if (event.type === 'METER') {
    const baseline = state.meterStartKnown ? undefined : event.readings.find((r) => r.energyKwh !== undefined)?.energyKwh;
    const samples = baseline === undefined ? state.samples : state.samples.map((s) => ({ ...s, energy_kwh: baseline }));
    return {
      ...state,
      samples: v1MergeReadings(samples, event.readings, state.charging, state),
      ...(baseline === undefined ? {} : { meterStartKwh: baseline, meterStartKnown: true }),
    };
  }
  if (event.charging === state.charging) return state;
  const samples = v1MergeReadings(state.samples, [{ at: event.at }], event.charging, state).map((s) =>
    Date.parse(s.at) >= Date.parse(event.at) ? { ...s, charging: event.charging } : s,
  );
  return { ...state, samples, charging: event.charging };
}

/** The machine's `stop` action: the final register is meterStop, else the latest sample's. */
export function v1Stop(state: V1State, at: string, meterStopKwh: string | undefined): MeterSample[] {
  const finalKwh = meterStopKwh ?? String(state.samples.at(-1)!.energy_kwh);
  const endAt = Date.parse(at) < Date.parse(state.startAt) ? state.startAt : at;
  return v1ClosedSamples(state.samples, endAt, finalKwh);
}
