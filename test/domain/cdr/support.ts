/**
 * Generated meter traffic of one session for the property tests of test/domain/cdr: version-1 machine events
 * (readings late, out of order, of one millisecond, before the start, without a start register; charging states in
 * any order), and the meter state and stored entries a session now keeps of them.
 */
import Big from 'big.js';
import fc from 'fast-check';
import { historySamples, withChargingState, withReadings, type MeterEntry, type MeterState } from '../../../src/domain/cdr/meter-history.ts';
import type { V1Event } from '../../support/v1-session-fold.ts';

export const START = Date.parse('2026-05-01T10:00:00.500Z');
export const iso = (offsetMs: number) => new Date(START + offsetMs).toISOString();
const kwh = (wh: number) => new Big(wh).div(1000).toString();

/** Offsets that collide: the start, a second before it, a few shared instants, anywhere in an hour. */
const offset = fc.oneof(fc.constantFrom(0, -1000, 1, 60_000, 60_000, 120_500, 3_600_000), fc.integer({ min: -5000, max: 3_600_000 }));
const reading = fc.record({
  offsetMs: offset,
  wh: fc.option(fc.integer({ min: 0, max: 40_000 }), { nil: undefined, freq: 4 }),
  powerW: fc.option(fc.integer({ min: 0, max: 22_000 }), { nil: undefined }),
  currentDa: fc.option(fc.integer({ min: 0, max: 320 }), { nil: undefined }),
});
export const meterEvent: fc.Arbitrary<V1Event> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.array(reading, { minLength: 1, maxLength: 3 }).map((readings) => ({
      type: 'METER' as const,
      readings: readings.map((r) => ({
        at: iso(r.offsetMs),
        ...(r.wh === undefined ? {} : { energyKwh: kwh(r.wh) }),
        ...(r.powerW === undefined ? {} : { powerKw: kwh(r.powerW) }),
        ...(r.currentDa === undefined ? {} : { currentA: new Big(r.currentDa).div(10).toString() }),
      })),
    })),
  },
  { weight: 1, arbitrary: fc.record({ offsetMs: offset, charging: fc.boolean() }).map(({ offsetMs, charging }) => ({ type: 'CHARGING_STATE' as const, at: iso(offsetMs), charging })) },
);
/** A start register, or none (the first register read becomes the baseline). */
export const meterStart = fc.option(fc.integer({ min: 0, max: 30_000 }).map(kwh), { nil: undefined });
export const stopArb = fc.record({ offsetMs: fc.integer({ min: -2000, max: 4_000_000 }), wh: fc.option(fc.integer({ min: 0, max: 45_000 }).map(kwh), { nil: undefined }) });

/** What a session keeps of its meter: its state and the entries it stored. */
export interface Kept {
  state: MeterState;
  entries: MeterEntry[];
}

export function keptStart(meterStartKwh: string | undefined): Kept {
  const kwh = meterStartKwh ?? '0';
  return { state: { startAt: iso(0), meterStartKwh: kwh, meterStartKnown: meterStartKwh !== undefined, charging: true, registerKwh: kwh, recorded: 0 }, entries: [] };
}

/** One event kept: the entries it adds (numbered after the stored ones) and the state after it. */
export function keep(kept: Kept, e: V1Event): Kept & { added: MeterEntry[] } {
  const { state, entries } = e.type === 'METER' ? withReadings(kept.state, e.readings) : withChargingState(kept.state, e.at, e.charging);
  return { state, entries: [...kept.entries, ...entries], added: entries };
}

export const startOf = (kept: Kept) => ({ at: kept.state.startAt, energyKwh: kept.state.meterStartKwh });
export const samplesOf = (kept: Kept) => historySamples(startOf(kept), kept.entries);
