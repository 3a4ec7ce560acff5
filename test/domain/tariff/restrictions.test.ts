/** TariffRestrictions matching at one moment (digest 5.4 and the 6.2 table). */
import { describe, expect, test } from 'bun:test';
import { dec } from '../../../src/domain/money.ts';
import type { LocalMoment } from '../../../src/domain/tariff/local-time.ts';
import { restrictionsMatch, restrictionThresholds, type Conditions } from '../../../src/domain/tariff/restrictions.ts';
import type { TariffRestrictions } from '../../../src/model/ocpi/tariff.ts';
import { fixture } from './support.ts';

const monday = (hhmm: string): LocalMoment => ({
  date: '2024-01-15',
  minuteOfDay: Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)),
  dayOfWeek: 'MONDAY',
});
const conditions = (overrides: Partial<Conditions> = {}): Conditions => ({
  phase: 'SESSION',
  local: monday('12:00'),
  energyKwh: dec(0),
  elapsedMs: 0,
  powerKw: dec(0),
  ...overrides,
});
const matches = (r: TariffRestrictions | undefined, overrides: Partial<Conditions> = {}) =>
  restrictionsMatch(r, conditions(overrides));
const atTime = (r: TariffRestrictions, hhmm: string) => matches(r, { local: monday(hhmm) });

describe('time of day', () => {
  test('[start, end): from start_time inclusive until end_time exclusive', () => {
    const r = { start_time: '09:00', end_time: '18:00' };
    expect([atTime(r, '08:59'), atTime(r, '09:00'), atTime(r, '17:59'), atTime(r, '18:00')]).toEqual([false, true, true, false]);
  });

  test('end_time before start_time wraps past midnight', () => {
    const r = { start_time: '22:00', end_time: '06:00' };
    expect([atTime(r, '21:59'), atTime(r, '22:00'), atTime(r, '00:00'), atTime(r, '05:59'), atTime(r, '06:00')]).toEqual([
      false, true, true, true, false,
    ]);
  });

  test('end_time 00:00 is the end of the day; one bound alone is open on the other side', () => {
    const evening = { start_time: '20:00', end_time: '00:00' };
    expect([atTime(evening, '23:59'), atTime(evening, '00:00')]).toEqual([true, false]);
    expect([atTime({ start_time: '17:00' }, '16:59'), atTime({ start_time: '17:00' }, '23:59')]).toEqual([false, true]);
    expect([atTime({ end_time: '17:00' }, '00:00'), atTime({ end_time: '17:00' }, '17:00')]).toEqual([true, false]);
    expect(atTime({ end_time: '00:00' }, '23:59')).toBe(true);
  });
});

describe('dates and weekdays', () => {
  test('start_date inclusive, end_date exclusive (local dates)', () => {
    const r = { start_date: '2024-01-15', end_date: '2024-01-16' };
    expect(matches(r)).toBe(true);
    expect(matches(r, { local: { ...monday('12:00'), date: '2024-01-14' } })).toBe(false);
    expect(matches(r, { local: { ...monday('12:00'), date: '2024-01-16' } })).toBe(false);
  });

  test('day_of_week lists the local days; an empty list does not restrict', () => {
    expect(matches({ day_of_week: ['MONDAY', 'TUESDAY'] })).toBe(true);
    expect(matches({ day_of_week: ['SATURDAY'] })).toBe(false);
    expect(matches({ day_of_week: [] })).toBe(true);
  });
});

describe('session quantities: min inclusive, max exclusive', () => {
  const cases: [string, TariffRestrictions, Partial<Conditions>, boolean][] = [
    ['min_kwh 5 at 4.999 kWh', { min_kwh: 5 }, { energyKwh: dec('4.999') }, false],
    ['min_kwh 5 at 5 kWh', { min_kwh: 5 }, { energyKwh: dec(5) }, true],
    ['max_kwh 5 at 4.999 kWh', { max_kwh: 5 }, { energyKwh: dec('4.999') }, true],
    ['max_kwh 5 at 5 kWh', { max_kwh: 5 }, { energyKwh: dec(5) }, false],
    ['max_power 16 at 15.9 kW', { max_power: 16 }, { powerKw: dec('15.9') }, true],
    ['max_power 16 at 16 kW', { max_power: 16 }, { powerKw: dec(16) }, false],
    ['min_current 32 at 32 A', { min_current: 32 }, { currentA: dec(32) }, true],
    ['max_current 32 at 32 A', { max_current: 32 }, { currentA: dec(32) }, false],
    // An unreported current cannot satisfy a current restriction, whichever side it bounds.
    ['max_current 32 with no current reported', { max_current: 32 }, {}, false],
    ['max_duration 1800 s just before', { max_duration: 1800 }, { elapsedMs: 1_799_999 }, true],
    ['max_duration 1800 s at 1800 s', { max_duration: 1800 }, { elapsedMs: 1_800_000 }, false],
    ['min_duration 1800 s just before', { min_duration: 1800 }, { elapsedMs: 1_799_999 }, false],
    ['min_duration 1800 s at 1800 s', { min_duration: 1800 }, { elapsedMs: 1_800_000 }, true],
    ['all set fields ANDed: ≥ 32 A holds, SATURDAY does not', { min_current: 32, day_of_week: ['SATURDAY'] }, { currentA: dec(40) }, false],
  ];
  for (const [name, restrictions, at, expected] of cases) {
    test(name, () => expect(matches(restrictions, at)).toBe(expected));
  }
});

describe('[interp] reservation phase vs charging session (6.2)', () => {
  test('unrestricted elements price only the session', () => {
    const phases = ['SESSION', 'RESERVATION', 'EXPIRED_RESERVATION'] as const;
    expect(phases.map((phase) => matches(undefined, { phase }))).toEqual([true, false, false]);
  });

  test('RESERVATION matches any reservation phase, RESERVATION_EXPIRES only an expired one', () => {
    const phases = ['SESSION', 'RESERVATION', 'EXPIRED_RESERVATION'] as const;
    expect(phases.map((phase) => matches({ reservation: 'RESERVATION' }, { phase }))).toEqual([false, true, true]);
    expect(phases.map((phase) => matches({ reservation: 'RESERVATION_EXPIRES' }, { phase }))).toEqual([false, false, true]);
  });
});

test('thresholds collected from tariff_4 and the max_duration example', () => {
  // tariff_4 has 09:00, 18:00, 10:00, 17:00, plus midnight for its day_of_week restrictions
  const tariff4 = restrictionThresholds(fixture('tariff_4_complex.json'));
  expect(tariff4.minutesOfDay.sort((a, b) => a - b)).toEqual([0, 540, 600, 1020, 1080]);
  const duration = restrictionThresholds(fixture('tariffrestriction_example_max_duration.json'));
  expect(duration.elapsedMs).toEqual([1_800_000, 3_600_000]);
  expect(duration.kwh).toEqual([]);
});
