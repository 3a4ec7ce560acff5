/** What the engine accepts as a session trace, and what it refuses. */
import { describe, expect, test } from 'bun:test';
import { readTrace, type MeterSample, type SessionTrace } from '../../../src/domain/tariff/session-trace.ts';

const START = '2024-01-15T09:00:00Z';
const sample = (at: string, energy_kwh: number | string, extra: Partial<MeterSample> = {}): MeterSample => ({
  at,
  energy_kwh,
  charging: true,
  ...extra,
});
const trace = (overrides: Partial<SessionTrace>): SessionTrace => ({
  start_date_time: START,
  end_date_time: '2024-01-15T10:00:00Z',
  samples: [sample(START, 100), sample('2024-01-15T10:00:00Z', 110)],
  ...overrides,
});

describe('readTrace', () => {
  test('session energy counts from the first register reading; DateTimes without Z are UTC', () => {
    const samples = [sample(START, '1234.5'), sample('2024-01-15T10:00:00', '1250.25', { power_kw: 11 })];
    const timeline = readTrace(trace({ samples }));
    expect(timeline.session!.samples.map((s) => s.energyKwh.toFixed())).toEqual(['0', '15.75']);
    expect(timeline.session!.samples[1]!.ms).toBe(Date.parse('2024-01-15T10:00:00Z'));
    expect(timeline.session!.samples[1]!.powerKw!.toFixed()).toBe('11');
    expect(timeline.reservation).toBeUndefined();
  });

  test('a reservation runs until the session starts', () => {
    const timeline = readTrace(trace({ reservation: { start_date_time: '2024-01-15T08:45:00Z', expired: false } }));
    expect(timeline.reservation).toEqual({ startMs: Date.parse('2024-01-15T08:45:00Z'), endMs: Date.parse(START), expired: false });
  });

  const refused: [string, Partial<SessionTrace>, RegExp][] = [
    ['an unparsable DateTime', { end_date_time: 'yesterday' }, /not an OCPI DateTime/],
    ['an end before the start', { end_date_time: '2024-01-15T08:00:00Z' }, /before start_date_time/],
    ['no samples and no reservation', { samples: [], end_date_time: START }, /needs a meter sample/],
    ['a first sample later than the start', { samples: [sample('2024-01-15T09:01:00Z', 0)] }, /first sample/],
    [
      'samples out of order',
      { samples: [sample(START, 0), sample('2024-01-15T09:30:00Z', 2), sample('2024-01-15T09:20:00Z', 3)] },
      /samples\[2\] is earlier/,
    ],
    ['a sample after the end', { samples: [sample(START, 0), sample('2024-01-15T11:00:00Z', 2)] }, /after end_date_time/],
    [
      'a reservation starting after the session',
      { reservation: { start_date_time: '2024-01-15T09:30:00Z', expired: false } },
      /starts after the session/,
    ],
    [
      'samples for an expired reservation',
      { reservation: { start_date_time: '2024-01-15T08:00:00Z', expired: true } },
      /no charging session/,
    ],
    [
      'a trace without samples that does not end at its start',
      { samples: [], reservation: { start_date_time: '2024-01-15T08:00:00Z', expired: true } },
      /must end at start_date_time/,
    ],
  ];
  for (const [problem, overrides, message] of refused) {
    test(`refuses ${problem}`, () => expect(() => readTrace(trace(overrides))).toThrow(message));
  }

  test('refuses an energy value that is not a number', () => {
    expect(() => readTrace(trace({ samples: [sample(START, 'lots')] }))).toThrow();
  });
});
