/**
 * A session's meter history stored entry by entry, in arrival order, gives exactly the samples the version-1 session
 * machine built event by event inside its snapshot (test/support/v1-session-fold.ts) — for readings late, out of
 * order, of one millisecond, before the start, without a start register, and charging-state changes in any order;
 * also for a session whose version-1 samples were carried over mid-way (drizzle/0006 moves them into the table).
 */
import { describe, expect, test } from 'bun:test';
import Big from 'big.js';
import fc from 'fast-check';
import { closedSamples, type MeterEntry, type MeterState } from '../../../src/domain/cdr/meter-history.ts';
import type { MeterSample } from '../../../src/domain/tariff/session-trace.ts';
import { v1Apply, v1Start, v1Stop, type V1State } from '../../support/v1-session-fold.ts';
import { iso, keep, keptStart, meterEvent, meterStart, samplesOf, stopArb, type Kept } from './support.ts';

const runs = Number(process.env.PROPERTY_RUNS ?? 300);

/** Samples compared by value: a register of 5 is the same register as 5.0. */
const shown = (samples: MeterSample[]) =>
  samples.map((s) => ({ at: s.at, kwh: new Big(s.energy_kwh).toFixed(), charging: s.charging, power: s.power_kw, current: s.current_a }));

/** What drizzle/0006 does to an open version-1 session: its samples become entries, the start sample first. */
function carriedOver(v1: V1State): Kept {
  const entries = v1.samples.map((s, i): MeterEntry => ({
    seq: i + 1,
    kind: 'sample',
    at: s.at,
    ...(v1.meterStartKnown ? { energyKwh: String(s.energy_kwh) } : {}),
    ...(s.power_kw === undefined ? {} : { powerKw: String(s.power_kw) }),
    ...(s.current_a === undefined ? {} : { currentA: String(s.current_a) }),
    charging: s.charging,
  }));
  const state: MeterState = {
    startAt: v1.startAt,
    meterStartKwh: v1.meterStartKwh,
    meterStartKnown: v1.meterStartKnown,
    charging: v1.charging,
    registerKwh: String(v1.samples.at(-1)!.energy_kwh),
    recorded: entries.length,
  };
  return { state, entries };
}

function stopBoth(v1: V1State, kept: Kept, s: { offsetMs: number; wh?: string }) {
  const meterStop = s.wh;
  const endAt = s.offsetMs < 0 ? kept.state.startAt : iso(s.offsetMs);
  return { v1: v1Stop(v1, iso(s.offsetMs), meterStop), kept: closedSamples(samplesOf(kept), endAt, meterStop ?? kept.state.registerKwh) };
}

describe('the samples of a stored meter history', () => {
  test('equal the version-1 samples after every event, and once stopped', () => {
    fc.assert(
      fc.property(meterStart, fc.array(meterEvent, { maxLength: 12 }), stopArb, (meterStart, events, end) => {
        let v1 = v1Start(iso(0), meterStart);
        let kept = keptStart(meterStart);
        for (const e of events) {
          v1 = v1Apply(v1, e);
          kept = keep(kept, e);
          expect(shown(samplesOf(kept))).toEqual(shown(v1.samples));
          expect(new Big(kept.state.registerKwh).eq(v1.samples.at(-1)!.energy_kwh)).toBe(true);
          expect(kept.state.charging).toBe(v1.charging);
        }
        const stopped = stopBoth(v1, kept, end);
        expect(shown(stopped.kept)).toEqual(shown(stopped.v1));
      }),
      { numRuns: runs },
    );
  });

  test('equal them for a session carried over from version 1 in the middle', () => {
    fc.assert(
      fc.property(meterStart, fc.array(meterEvent, { maxLength: 8 }), fc.array(meterEvent, { maxLength: 8 }), stopArb, (meterStart, before, after, end) => {
        let v1 = before.reduce(v1Apply, v1Start(iso(0), meterStart));
        let kept = carriedOver(v1);
        expect(shown(samplesOf(kept))).toEqual(shown(v1.samples));
        for (const e of after) {
          v1 = v1Apply(v1, e);
          kept = keep(kept, e);
          expect(shown(samplesOf(kept))).toEqual(shown(v1.samples));
        }
        const stopped = stopBoth(v1, kept, end);
        expect(shown(stopped.kept)).toEqual(shown(stopped.v1));
      }),
      { numRuns: runs },
    );
  });

  const minutes = (n: number) => iso(n * 60_000);
  const energies = (samples: MeterSample[]) => samples.map((s) => [(Date.parse(s.at) - Date.parse(iso(0))) / 1000, String(s.energy_kwh)]);
  const keepAll = (events: Parameters<typeof keep>[1][], meterStartKwh = '0') => events.reduce<Kept>(keep, keptStart(meterStartKwh));

  test('readings of the same millisecond stay apart, in the order they arrived', () => {
    const kept = keepAll([{ type: 'METER', readings: [{ at: iso(250), energyKwh: '5' }, { at: iso(250), energyKwh: '10' }] }]);
    expect(energies(samplesOf(kept))).toEqual([[0, '0'], [0.25, '5'], [0.25, '10']]);
  });

  test('a replayed earlier reading goes into its place; later samples without a register rise to it', () => {
    const kept = keepAll([
      { type: 'METER', readings: [{ at: minutes(30) }, { at: minutes(60), energyKwh: '9' }] },
      { type: 'METER', readings: [{ at: minutes(20), energyKwh: '4' }] },
    ]);
    expect(energies(samplesOf(kept))).toEqual([[0, '0'], [1200, '4'], [1800, '4'], [3600, '9']]);
  });

  test('a lower register than the one before it is lifted', () => {
    const kept = keepAll([{ type: 'METER', readings: [{ at: minutes(10), energyKwh: '3' }, { at: minutes(20), energyKwh: '2' }] }]);
    expect(energies(samplesOf(kept))).toEqual([[0, '0'], [600, '3'], [1200, '3']]);
  });

  test('a change of the charging state holds from its instant on, whenever it arrives', () => {
    const kept = keepAll([
      { type: 'METER', readings: [{ at: minutes(10), energyKwh: '1' }, { at: minutes(30), energyKwh: '2' }] },
      { type: 'CHARGING_STATE', at: minutes(20), charging: false },
    ]);
    expect(samplesOf(kept).map((s) => s.charging)).toEqual([true, true, false, false]);
  });

  test('the final register ends a session: readings after the end or above it do not count', () => {
    const kept = keepAll([{ type: 'METER', readings: [{ at: minutes(10), energyKwh: '13' }, { at: minutes(40), energyKwh: '20' }] }]);
    expect(energies(closedSamples(samplesOf(kept), minutes(30), '12.345'))).toEqual([[0, '0'], [600, '12.345'], [1800, '12.345']]);
  });

  test('readings before the start are not stored; a repeated charging state stores nothing', () => {
    let kept = keptStart('1');
    kept = keep(kept, { type: 'METER', readings: [{ at: iso(-1), energyKwh: '2' }, { at: iso(0), energyKwh: '3' }] });
    kept = keep(kept, { type: 'CHARGING_STATE', at: iso(5), charging: true });
    expect(kept.entries).toEqual([{ seq: 1, kind: 'reading', at: iso(0), energyKwh: '3' }]);
    expect(kept.state).toMatchObject({ recorded: 1, registerKwh: '3' });
  });

  test('without a start register, the first register read is the baseline, even one from before the start', () => {
    let kept = keptStart(undefined);
    kept = keep(kept, { type: 'METER', readings: [{ at: iso(-1), energyKwh: '7' }, { at: iso(10), energyKwh: '6' }] });
    expect(kept.state).toMatchObject({ meterStartKwh: '7', meterStartKnown: true, registerKwh: '7' });
    expect(shown(samplesOf(kept)).map((s) => s.kwh)).toEqual(['7', '7']);
  });
});
