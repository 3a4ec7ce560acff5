/** How a session keeps its meter samples: time order, arrival order within an instant, a register that never goes back. */
import { describe, expect, test } from 'bun:test';
import { closedSamples, mergeReadings } from '../../actors/session/session.machine.ts';
import type { MeterSample } from '../../src/domain/tariff/session-trace.ts';

const window = { startAt: '2026-11-20T09:00:00Z' };
const start: MeterSample[] = [{ at: '2026-11-20T09:00:00Z', energy_kwh: '0', charging: true }];
const energies = (samples: MeterSample[]) => samples.map((s) => [s.at.slice(11), String(s.energy_kwh)]);

describe('merging readings', () => {
  test('readings of the same millisecond stay apart, in the order they arrived', () => {
    const merged = mergeReadings(start, [
      { at: '2026-11-20T09:00:00.250Z', energyKwh: '5' },
      { at: '2026-11-20T09:00:00.250Z', energyKwh: '10' },
    ], true, window);
    expect(energies(merged)).toEqual([['09:00:00Z', '0'], ['09:00:00.250Z', '5'], ['09:00:00.250Z', '10']]);
  });

  test('a replayed earlier reading goes into its place; later samples without a register rise to it', () => {
    const withState = mergeReadings(start, [{ at: '2026-11-20T09:30:00Z' }, { at: '2026-11-20T10:00:00Z', energyKwh: '9' }], true, window);
    const replayed = mergeReadings(withState, [{ at: '2026-11-20T09:20:00Z', energyKwh: '4' }], true, window);
    expect(energies(replayed)).toEqual([['09:00:00Z', '0'], ['09:20:00Z', '4'], ['09:30:00Z', '4'], ['10:00:00Z', '9']]);
  });

  test('a lower register than the one before it is lifted; readings before the start are ignored', () => {
    const merged = mergeReadings(start, [
      { at: '2026-11-20T08:59:59.999Z', energyKwh: '7' },
      { at: '2026-11-20T09:10:00Z', energyKwh: '3' },
      { at: '2026-11-20T09:20:00Z', energyKwh: '2' },
    ], true, window);
    expect(energies(merged)).toEqual([['09:00:00Z', '0'], ['09:10:00Z', '3'], ['09:20:00Z', '3']]);
  });
});

describe('closing a session', () => {
  test('the final register ends it; readings after the end or above the final register do not count', () => {
    const samples = mergeReadings(start, [
      { at: '2026-11-20T09:10:00Z', energyKwh: '13' },
      { at: '2026-11-20T09:40:00Z', energyKwh: '20' },
    ], true, window);
    const closed = closedSamples(samples, '2026-11-20T09:30:00Z', '12.345');
    expect(energies(closed)).toEqual([['09:00:00Z', '0'], ['09:10:00Z', '12.345'], ['09:30:00Z', '12.345']]);
  });
});
