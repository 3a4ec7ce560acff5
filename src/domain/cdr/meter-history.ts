/**
 * A session's meter history as it is stored — every entry once, in the order it arrived — and the samples it
 * prices as. The samples are defined by how entries are merged one after another (ocpp-notes §3.4: stations replay
 * queued values out of order):
 * - a reading goes after every sample of its instant or earlier (readings of one instant keep their arrival order);
 * - a register never goes backwards: a reading lower than the one before it is lifted to it, and later samples
 *   lower than it rise to it; a sample without a register holds the energy known before it;
 * - a reading takes the charging state of the sample before it; a change of the charging state at `at` adds a
 *   sample there and sets every sample from `at` on to the new state;
 * - nothing before the start counts.
 * Merged that way, each sample's energy is the highest register among it and the samples before it in time
 * (the start included), and its charging state is that of the latest-arrived change at or before its instant; so
 * `historySamples` computes them in one sort, whatever the order in which the entries came.
 */
import Big from 'big.js';
import type { MeterSample } from '../tariff/session-trace.ts';

export interface MeterEntry {
  /** Arrival order within the session, from 1. */
  seq: number;
  /**
   * `reading`: a meter reading; `charging`: the charging state changed at `at`; `sample`: a sample a session
   * kept before its readings were stored one by one (session machine version 1), carried over as it was — the
   * first of them, at the start, is the start sample.
   */
  kind: 'reading' | 'charging' | 'sample';
  at: string;
  /** Cumulative energy register, kWh. */
  energyKwh?: string;
  powerKw?: string;
  currentA?: string;
  /** For `charging` and `sample`: whether the vehicle requests power from `at` on. */
  charging?: boolean;
}

/** A meter reading as a station reported it: decimal strings (exact), OCPI DateTime. */
export interface Reading {
  at: string;
  /** Cumulative energy register, kWh. */
  energyKwh?: string;
  powerKw?: string;
  currentA?: string;
}

/** Where a session's meter starts: its start instant and start register. */
export interface MeterStart {
  at: string;
  energyKwh: string;
}

/** What a running session keeps of its meter besides the stored entries (a few values, whatever its length). */
export interface MeterState {
  startAt: string;
  meterStartKwh: string;
  /** False while the station gave no start register: the first register reading becomes the baseline. */
  meterStartKnown: boolean;
  /** The charging state of the latest change (charging from the start). */
  charging: boolean;
  /** The highest register so far (the start register at least): a session stopped without a register ends at it. */
  registerKwh: string;
  /** Entries stored so far: the next one is `recorded + 1`. */
  recorded: number;
}

/**
 * Readings arriving, in the order given: the entries to store (readings before the start count for nothing) and
 * the state after them. Without a start register, the first register among them is where the session's energy
 * counts from, and the samples before it hold that energy.
 */
export function withReadings(state: MeterState, readings: readonly Reading[]): { state: MeterState; entries: MeterEntry[] } {
  const baseline = state.meterStartKnown ? undefined : readings.find((r) => r.energyKwh !== undefined)?.energyKwh;
  const startMs = Date.parse(state.startAt);
  const entries = readings
    .filter((r) => Date.parse(r.at) >= startMs)
    .map((r, i): MeterEntry => ({ seq: state.recorded + i + 1, kind: 'reading', ...r }));
  let registerKwh = baseline ?? state.registerKwh;
  for (const { energyKwh } of entries) if (energyKwh !== undefined && new Big(energyKwh).gt(registerKwh)) registerKwh = energyKwh;
  return {
    state: { ...state, ...(baseline === undefined ? {} : { meterStartKwh: baseline, meterStartKnown: true }), registerKwh, recorded: state.recorded + entries.length },
    entries,
  };
}

/** The charging state changing at `at` (a repeat of the current state is no change and stores nothing). */
export function withChargingState(state: MeterState, at: string, charging: boolean): { state: MeterState; entries: MeterEntry[] } {
  if (charging === state.charging) return { state, entries: [] };
  const seq = state.recorded + 1;
  return { state: { ...state, charging, recorded: seq }, entries: [{ seq, kind: 'charging', at, charging }] };
}

interface Placed {
  ms: number;
  seq: number;
  entry?: MeterEntry;
}

/** The samples of a session's history in time order, the start sample first; out-of-order arrivals merged. */
export function historySamples(start: MeterStart, entries: readonly MeterEntry[]): MeterSample[] {
  const startMs = Date.parse(start.at);
  const carriedStart = entries[0]?.kind === 'sample' ? entries[0] : undefined;
  const placed: Placed[] = [{ ms: startMs, seq: 0, ...(carriedStart ? { entry: carriedStart } : {}) }];
  for (const entry of entries) {
    const ms = Date.parse(entry.at);
    if (entry !== carriedStart && ms >= startMs) placed.push({ ms, seq: entry.seq, entry });
  }
  placed.sort((a, b) => a.ms - b.ms || a.seq - b.seq);
  const stateAt = chargingStates(entries);
  let energy = start.energyKwh;
  return placed.map(({ ms, seq, entry }) => {
    const register = seq === 0 ? start.energyKwh : entry?.energyKwh;
    if (register !== undefined && !new Big(register).lt(energy)) energy = register;
    return {
      at: seq === 0 ? start.at : entry!.at,
      energy_kwh: energy,
      charging: stateAt(ms),
      ...(entry?.powerKw !== undefined ? { power_kw: entry.powerKw } : {}),
      ...(entry?.currentA !== undefined ? { current_a: entry.currentA } : {}),
    };
  });
}

/**
 * The charging state at an instant: that of the latest-arrived change at or before it (charging, as at the start,
 * when none is). Ask in time order.
 */
function chargingStates(entries: readonly MeterEntry[]): (ms: number) => boolean {
  const changes = entries
    .filter((e) => e.charging !== undefined)
    .map((e) => ({ ms: Date.parse(e.at), seq: e.seq, charging: e.charging! }))
    .sort((a, b) => a.ms - b.ms);
  let next = 0;
  let latest = { seq: 0, charging: true };
  return (ms) => {
    for (; next < changes.length && changes[next]!.ms <= ms; next++) if (changes[next]!.seq > latest.seq) latest = changes[next]!;
    return latest.charging;
  };
}

/**
 * The session's samples once it ended at `endAt` with the final register `finalKwh`: nothing after the end, and
 * the final register authoritative (1.6 meterStop, 2.0.1 the last register) — a reading above it cannot have
 * been charged in this session, so the energy is exactly final − start whatever came in between.
 */
export function closedSamples(samples: readonly MeterSample[], endAt: string, finalKwh: string): MeterSample[] {
  const endMs = Date.parse(endAt);
  const kept = samples.filter((s, i) => i === 0 || Date.parse(s.at) <= endMs);
  const capped = kept.map((s, i) => (i > 0 && new Big(s.energy_kwh).gt(finalKwh) ? { ...s, energy_kwh: finalKwh } : s));
  return [...capped, { at: endAt, energy_kwh: finalKwh, charging: capped.at(-1)!.charging }];
}
