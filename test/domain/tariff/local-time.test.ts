/** Wall-clock reading in the Location's time zone, independent of the process TZ (Europe/Amsterdam in tests). */
import { describe, expect, test } from 'bun:test';
import { localClock } from '../../../src/domain/tariff/local-time.ts';

const ms = Date.parse;
const iso = (instants: number[]) => instants.map((instant) => new Date(instant).toISOString());

describe('at', () => {
  test('Amsterdam in winter is UTC+1, in summer UTC+2', () => {
    const amsterdam = localClock('Europe/Amsterdam');
    expect(amsterdam.at(ms('2024-01-15T15:55:00Z'))).toEqual({ date: '2024-01-15', minuteOfDay: 16 * 60 + 55, dayOfWeek: 'MONDAY' });
    expect(amsterdam.at(ms('2024-07-15T22:30:00Z'))).toEqual({ date: '2024-07-16', minuteOfDay: 30, dayOfWeek: 'TUESDAY' });
  });

  test('other zones, including a half-hour offset', () => {
    expect(localClock('America/New_York').at(ms('2024-01-15T03:00:00Z'))).toEqual({
      date: '2024-01-14',
      minuteOfDay: 22 * 60,
      dayOfWeek: 'SUNDAY',
    });
    expect(localClock('Asia/Kolkata').at(ms('2024-01-15T18:30:00Z'))).toEqual({
      date: '2024-01-16',
      minuteOfDay: 0,
      dayOfWeek: 'TUESDAY',
    });
  });

  test('an unknown zone is a RangeError', () => {
    expect(() => localClock('Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('boundaries', () => {
  test('local midnight in Kolkata is 18:30 UTC', () => {
    expect(iso(localClock('Asia/Kolkata').boundaries(ms('2024-01-15T12:00:00Z'), ms('2024-01-16T12:00:00Z'), [0]))).toEqual([
      '2024-01-15T18:30:00.000Z',
    ]);
  });

  test('only instants strictly inside the range', () => {
    const utc = localClock('UTC');
    expect(iso(utc.boundaries(ms('2024-01-15T17:00:00Z'), ms('2024-01-15T19:00:00Z'), [17 * 60, 18 * 60, 19 * 60]))).toEqual([
      '2024-01-15T18:00:00.000Z',
    ]);
  });

  test('spring forward: the jump itself is a boundary; 02:30 does not exist that night', () => {
    const found = localClock('Europe/Amsterdam').boundaries(ms('2024-03-30T22:00:00Z'), ms('2024-03-31T06:00:00Z'), [0, 150, 420]);
    expect(iso(found)).toEqual(['2024-03-30T23:00:00.000Z', '2024-03-31T01:00:00.000Z', '2024-03-31T05:00:00.000Z']);
  });

  test('fall back: 02:30 happens twice, and the jump back is a boundary', () => {
    const found = localClock('Europe/Amsterdam').boundaries(ms('2024-10-27T00:00:00Z'), ms('2024-10-27T02:30:00Z'), [150]);
    expect(iso(found)).toEqual(['2024-10-27T00:30:00.000Z', '2024-10-27T01:00:00.000Z', '2024-10-27T01:30:00.000Z']);
  });
});
