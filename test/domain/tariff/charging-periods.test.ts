/**
 * A new charging period at every moment that changes the active components (digest 6.2): local time of day (incl.
 * DST days), power, duration and energy thresholds, and charging ↔ parking. Energy between samples flows evenly,
 * so boundaries between samples split it proportionally.
 */
import { describe, expect, test } from 'bun:test';
import { priceSession } from '../../../src/domain/tariff/tariff-engine.ts';
import type { PriceComponent, TariffRestrictions } from '../../../src/model/ocpi/tariff.ts';
import { fixture, periods, price, session, show, tariffOf } from './support.ts';

const TZ = 'Europe/Amsterdam';
const at = (type: PriceComponent['type'], price: number, restrictions?: TariffRestrictions) => ({
  price_components: [{ type, price, step_size: 1 }],
  ...(restrictions ? { restrictions } : {}),
});

describe('time of day in Europe/Amsterdam', () => {
  const energyBy17 = tariffOf([at('ENERGY', 0.2, { end_time: '17:00' }), at('ENERGY', 0.27)]);

  test('winter: 17:00 local is 16:00 UTC; 6 kWh evenly over 16:30–17:30 = 3 × 0.20 + 3 × 0.27 = 1.41', () => {
    const priced = priceSession(energyBy17, TZ, session('2024-01-15T15:30:00Z', [{ minutes: 60, kwh: 6 }]));
    expect(show(priced.total_cost)).toEqual(price('1.41'));
    expect(periods(priced.charging_periods)).toEqual({
      '2024-01-15T15:30:00Z': { ENERGY: '3', TIME: '0.5' },
      '2024-01-15T16:00:00Z': { ENERGY: '3', TIME: '0.5' },
    });
  });

  test('summer: 17:00 local is 15:00 UTC', () => {
    const priced = priceSession(energyBy17, TZ, session('2024-07-15T14:30:00Z', [{ minutes: 60, kwh: 6 }]));
    expect(Object.keys(periods(priced.charging_periods))).toEqual(['2024-07-15T14:30:00Z', '2024-07-15T15:00:00Z']);
    expect(show(priced.total_cost)).toEqual(price('1.41'));
  });

  test('the same instants in another zone cut elsewhere (the process TZ is Europe/Amsterdam and plays no part)', () => {
    // In UTC 17:00 is after this session: all 6 kWh × 0.20 = 1.20
    const priced = priceSession(energyBy17, 'UTC', session('2024-01-15T15:30:00Z', [{ minutes: 60, kwh: 6 }]));
    expect(show(priced.total_cost)).toEqual(price('1.20'));
  });

  test('DST spring forward (2024-03-31): 23:00 CET → 08:00 CEST is 8 h, of which 07:00–08:00 is day rate', () => {
    // Night 22:00Z–05:00Z = 7 h × 1.00 = 7.00; day from 07:00 CEST = 05:00Z, 1 h × 2.00 = 2.00.
    const tariff = tariffOf([at('TIME', 2, { start_time: '07:00', end_time: '23:00' }), at('TIME', 1)]);
    const priced = priceSession(tariff, TZ, session('2024-03-30T22:00:00Z', [{ minutes: 480, kwh: 40 }]));
    expect(show(priced.total_cost)).toEqual(price('9.00'));
    expect(periods(priced.charging_periods)).toEqual({
      '2024-03-30T22:00:00Z': { ENERGY: '35', TIME: '7' },
      '2024-03-31T05:00:00Z': { ENERGY: '5', TIME: '1' },
    });
  });

  test('DST spring forward: a window from 02:30, which does not exist that night, starts when clocks jump to 03:00', () => {
    // 00:00Z–03:00Z = 01:00 CET … 05:00 CEST; 02:30–04:00 local is 01:00Z–02:00Z: 1 h × 10.00 + 2 h × 1.00 = 12.00
    const tariff = tariffOf([at('TIME', 10, { start_time: '02:30', end_time: '04:00' }), at('TIME', 1)]);
    const priced = priceSession(tariff, TZ, session('2024-03-31T00:00:00Z', [{ minutes: 180, kwh: 12 }]));
    expect(show(priced.total_cost)).toEqual(price('12.00'));
    expect(Object.keys(periods(priced.charging_periods))).toEqual([
      '2024-03-31T00:00:00Z',
      '2024-03-31T01:00:00Z',
      '2024-03-31T02:00:00Z',
    ]);
  });

  test('DST fall back (2024-10-27): 02:30–03:00 local happens twice, 00:30Z–01:00Z and 01:30Z–02:00Z', () => {
    // 00:00Z–02:30Z: 1 h × 10.00 + 1.5 h × 1.00 = 11.50
    const tariff = tariffOf([at('TIME', 10, { start_time: '02:30', end_time: '03:00' }), at('TIME', 1)]);
    const priced = priceSession(tariff, TZ, session('2024-10-27T00:00:00Z', [{ minutes: 150, kwh: 10 }]));
    expect(show(priced.total_cost)).toEqual(price('11.50'));
    expect(Object.keys(periods(priced.charging_periods))).toEqual([
      '2024-10-27T00:00:00Z',
      '2024-10-27T00:30:00Z',
      '2024-10-27T01:00:00Z',
      '2024-10-27T01:30:00Z',
      '2024-10-27T02:00:00Z',
    ]);
  });

  test('a window wrapping midnight (22:00–06:00) and day_of_week use the local date', () => {
    // Sunday 2024-01-14 21:00 local → Monday 01:00: 21–22 day 1.00, 22–24 night 0.50 (Sunday),
    // 00–01 Monday: the night element is restricted to SUNDAY, so day rate again: 1 + 1 + 1 = 3.00
    const tariff = tariffOf([at('TIME', 0.5, { start_time: '22:00', end_time: '06:00', day_of_week: ['SUNDAY'] }), at('TIME', 1)]);
    const priced = priceSession(tariff, TZ, session('2024-01-14T20:00:00Z', [{ minutes: 240, kwh: 20 }]));
    expect(show(priced.total_cost)).toEqual(price('3.00'));
    expect(Object.keys(periods(priced.charging_periods))).toEqual([
      '2024-01-14T20:00:00Z',
      '2024-01-14T21:00:00Z',
      '2024-01-14T23:00:00Z',
    ]);
  });
});

describe('thresholds between and at samples', () => {
  test('max_power: a period per power band, with the measured MIN/MAX_POWER', () => {
    const trace = session('2024-01-15T09:00:00Z', [
      { minutes: 10, kwh: 1, power: 6 },
      { minutes: 50, kwh: 40, power: 48 },
      { minutes: 7.5, kwh: '0.5', power: 4 },
    ]);
    const priced = priceSession(fixture('tariffrestriction_example_max_power.json'), TZ, trace);
    expect(periods(priced.charging_periods)).toEqual({
      '2024-01-15T09:00:00Z': { ENERGY: '1', TIME: '0.166667', MAX_POWER: '6', MIN_POWER: '6' },
      '2024-01-15T09:10:00Z': { ENERGY: '40', TIME: '0.833333', MAX_POWER: '48', MIN_POWER: '48' },
      '2024-01-15T10:00:00Z': { ENERGY: '0.5', TIME: '0.125', MAX_POWER: '4', MIN_POWER: '4' },
    });
  });

  test('max_power without reported power uses the average from the meter: 1 kWh in 10 min = 6 kW → same 20.30', () => {
    const trace = session('2024-01-15T09:00:00Z', [{ minutes: 10, kwh: 1 }, { minutes: 50, kwh: 40 }, { minutes: 7.5, kwh: '0.5' }]);
    const priced = priceSession(fixture('tariffrestriction_example_max_power.json'), TZ, trace);
    expect(show(priced.total_cost)).toEqual(price('20.30', '24.36'));
    expect(priced.charging_periods[0]!.dimensions.map((d) => d.type)).toEqual(['ENERGY', 'TIME']); // nothing measured
  });

  test('max_duration cuts between samples: 7.5 kWh evenly over 75 min = 3 × 0 + 3 × 0.25 + 1.5 × 0.40 = 1.35', () => {
    const trace = session('2024-01-15T09:00:00Z', [{ minutes: 75, kwh: '7.5' }]);
    const priced = priceSession(fixture('tariffrestriction_example_max_duration.json'), TZ, trace);
    expect(show(priced.total_cost)).toEqual(price('1.35', '1.62'));
    expect(periods(priced.charging_periods)).toEqual({
      '2024-01-15T09:00:00Z': { ENERGY: '3', TIME: '0.5' },
      '2024-01-15T09:30:00Z': { ENERGY: '3', TIME: '0.5' },
      '2024-01-15T10:00:00Z': { ENERGY: '1.5', TIME: '0.25' },
    });
  });

  const tiered = tariffOf([at('ENERGY', 0.3, { max_kwh: 5 }), at('ENERGY', 0.2, { min_kwh: 5 })]);

  test('kWh threshold: 15 kWh evenly in 60 min crosses 5 kWh at 20 min: 5 × 0.30 + 10 × 0.20 = 3.50', () => {
    const priced = priceSession(tiered, TZ, session('2024-01-15T09:00:00Z', [{ minutes: 60, kwh: 15 }]));
    expect(show(priced.total_cost)).toEqual(price('3.50'));
    expect(periods(priced.charging_periods)).toEqual({
      '2024-01-15T09:00:00Z': { ENERGY: '5', TIME: '0.333333' },
      '2024-01-15T09:20:00Z': { ENERGY: '10', TIME: '0.666667' },
    });
  });

  test('kWh threshold at an odd moment: 7 kWh in 60 min crosses 5 kWh at 42:51.429; energy splits exactly 5 + 2', () => {
    const priced = priceSession(tiered, TZ, session('2024-01-15T09:00:00Z', [{ minutes: 60, kwh: 7 }]));
    const [first, second] = priced.charging_periods;
    expect(second!.start_date_time).toBe('2024-01-15T09:42:51.429Z'); // 5/7 h = 2571428.57 ms, rounded
    expect(first!.dimensions[0]!.volume.toFixed()).toBe('5');
    expect(second!.dimensions[0]!.volume.toFixed()).toBe('2');
    expect(show(priced.total_cost)).toEqual(price('1.90')); // 5 × 0.30 + 2 × 0.20
  });

  test('a threshold reached exactly at a sample cuts there', () => {
    const trace = session('2024-01-15T09:00:00Z', [{ minutes: 20, kwh: 5 }, { minutes: 20, kwh: 5 }]);
    expect(Object.keys(periods(priceSession(tiered, TZ, trace).charging_periods))).toEqual([
      '2024-01-15T09:00:00Z',
      '2024-01-15T09:20:00Z',
    ]);
  });
});

describe('charging and parking', () => {
  test('PARKING_TIME only while the EV requests no power; load-managed 0 kW is still charging (post-d2)', () => {
    // tariff_10: 0.50 + 10 kWh × 0.25 = 2.50; 20 min at 0 kW requested is TIME (free here);
    // parking 10 → 15 min (step 900 s) × 2.00/h = 0.50: 3.50, incl 0.60 + 2.75 + 0.60 = 3.95
    const trace = session('2024-01-15T09:00:00Z', [
      { minutes: 30, kwh: 10 },
      { minutes: 20, kwh: 0, charging: true },
      { minutes: 10, charging: false },
    ]);
    const priced = priceSession(fixture('tariff_10_025kwh_parking_start.json'), TZ, trace);
    expect(show(priced.total_cost)).toEqual(price('3.50', '3.95'));
    expect(priced.total_parking_time.round(6).toFixed()).toBe('0.166667');
    expect(periods(priced.charging_periods)).toEqual({
      '2024-01-15T09:00:00Z': { ENERGY: '10', TIME: '0.833333' },
      '2024-01-15T09:50:00Z': { ENERGY: '0', PARKING_TIME: '0.166667' },
    });
  });

  test('FLAT is charged once per session, however many periods', () => {
    // 1.00 start fee + 1 kWh × 0.20 (< 16 kW) + 5 kWh × 0.50 + 1 kWh × 0.20 = 3.90
    const tariff = tariffOf([at('FLAT', 1), at('ENERGY', 0.2, { max_power: 16 }), at('ENERGY', 0.5)]);
    const trace = session('2024-01-15T09:00:00Z', [
      { minutes: 6, kwh: 1, power: 10 },
      { minutes: 15, kwh: 5, power: 20 },
      { minutes: 6, kwh: 1, power: 10 },
    ]);
    const priced = priceSession(tariff, TZ, trace);
    expect(priced.charging_periods).toHaveLength(3);
    expect(show(priced.total_fixed_cost)).toEqual(price('1.00'));
    expect(show(priced.total_cost)).toEqual(price('3.90'));
  });

  test('[interp] the FLAT active at session start is the one billed, even if another becomes active later', () => {
    // Evening start fee 2.00 from 18:00 local; this session starts 17:30, so the 1.00 fee applies: 1.00 + 4 × 0.25
    const tariff = tariffOf([at('FLAT', 2, { start_time: '18:00' }), { price_components: [
      { type: 'FLAT', price: 1, step_size: 1 },
      { type: 'ENERGY', price: 0.25, step_size: 1 },
    ] }]);
    const priced = priceSession(tariff, TZ, session('2024-01-15T16:30:00Z', [{ minutes: 60, kwh: 4 }]));
    expect(show(priced.total_fixed_cost)).toEqual(price('1.00'));
    expect(show(priced.total_cost)).toEqual(price('2.00'));
  });
});
