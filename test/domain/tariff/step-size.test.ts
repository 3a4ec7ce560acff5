/**
 * step_size (digest 6.4): once per session total, on the last component, and of TIME/PARKING_TIME only the last
 * time-based dimension. Local times are Europe/Amsterdam on Monday 2024-01-15 (CET = UTC+1).
 */
import { describe, expect, test } from 'bun:test';
import { toOcpiPricing } from '../../../src/domain/tariff/ocpi-pricing.ts';
import { priceSession } from '../../../src/domain/tariff/tariff-engine.ts';
import type { PriceComponent } from '../../../src/model/ocpi/tariff.ts';
import { fixture, periods, price, session, show, tariffOf } from './support.ts';

const TZ = 'Europe/Amsterdam';
const component = (type: PriceComponent['type'], price: number, step_size: number): PriceComponent => ({ type, price, step_size });

describe('basic blocks', () => {
  const energyAt025 = (step: number) => tariffOf([{ price_components: [component('ENERGY', 0.25, step)] }]);
  const trace = session('2024-01-15T09:00:00Z', [{ minutes: 1, kwh: '0.1152' }]);

  test('115.2 Wh at 0.25/kWh: step 1 → 116 Wh = 0.029; step 25 → 125 Wh = 0.03125; step 500 → 500 Wh = 0.125', () => {
    expect(show(priceSession(energyAt025(1), TZ, trace).total_cost)).toEqual(price('0.029'));
    expect(show(priceSession(energyAt025(25), TZ, trace).total_cost)).toEqual(price('0.03125'));
    expect(show(priceSession(energyAt025(500), TZ, trace).total_cost)).toEqual(price('0.125'));
  });

  test('TIME step 300 s: 6 min used → 10 min billed; at 6.00/h that is 1.00', () => {
    const tariff = tariffOf([{ price_components: [component('TIME', 6, 300)] }]);
    const trace = session('2024-01-15T09:00:00Z', [{ minutes: 6, kwh: 1 }]);
    expect(show(priceSession(tariff, TZ, trace).total_cost)).toEqual(price('1.00'));
  });

  test('PARKING_TIME step 300 s: 8 min parked → 10 min billed; at 6.00/h that is 1.00', () => {
    const tariff = tariffOf([{ price_components: [component('PARKING_TIME', 6, 300)] }]);
    const trace = session('2024-01-15T09:00:00Z', [{ minutes: 1, kwh: 1 }, { minutes: 8, charging: false }]);
    expect(show(priceSession(tariff, TZ, trace).total_cost)).toEqual(price('1.00'));
  });
});

describe('switching elements of the same dimension: no rounding at the switch', () => {
  const before17 = { start_time: '00:00', end_time: '17:00' };
  const after17 = { start_time: '17:00', end_time: '00:00' };

  test('ENERGY 0.20 then 0.27 (step 500 Wh): 4.3 + 1.1 = 5.4 → 5.5 kWh = 4.3 × 0.20 + 1.2 × 0.27 = 1.184', () => {
    const tariff = tariffOf([
      { price_components: [component('ENERGY', 0.2, 500)], restrictions: before17 },
      { price_components: [component('ENERGY', 0.27, 500)], restrictions: after17 },
    ]);
    // 16:00–17:00 local takes 4.3 kWh, 17:00–17:30 another 1.1
    const trace = session('2024-01-15T15:00:00Z', [{ minutes: 60, kwh: '4.3' }, { minutes: 30, kwh: '1.1' }]);
    expect(show(priceSession(tariff, TZ, trace).total_cost)).toEqual(price('1.184'));
  });

  test('ENERGY rounding is billed at the last price energy was billed at, not at one that only saw parking', () => {
    // 4.3 kWh 16:00–17:00 local, parked 17:00–17:30: 4.3 → 4.5 kWh, all at 0.20 = 0.90 (not 0.86 + 0.2 × 0.27)
    const tariff = tariffOf([
      { price_components: [component('ENERGY', 0.2, 500)], restrictions: before17 },
      { price_components: [component('ENERGY', 0.27, 500)], restrictions: after17 },
    ]);
    const trace = session('2024-01-15T15:00:00Z', [{ minutes: 60, kwh: '4.3' }, { minutes: 30, charging: false }]);
    expect(show(priceSession(tariff, TZ, trace).total_cost)).toEqual(price('0.90'));
  });

  test('TIME 5.00/h then 7.00/h (step 600 s): 6 + 22 = 28 → 30 min = 6 min × 5 + 24 min × 7 = 0.50 + 2.80 = 3.30', () => {
    const tariff = tariffOf([
      { price_components: [component('TIME', 5, 600)], restrictions: before17 },
      { price_components: [component('TIME', 7, 600)], restrictions: after17 },
    ]);
    const trace = session('2024-01-15T15:54:00Z', [{ minutes: 28, kwh: 5 }]); // 16:54–17:22 local
    expect(show(priceSession(tariff, TZ, trace).total_cost)).toEqual(price('3.30'));
  });
});

describe('TIME followed by PARKING_TIME: only the last time-based dimension is rounded', () => {
  const timeAndParking = (timePrice: number, parkingPrice: number, step: number) =>
    tariffOf([{ price_components: [component('TIME', timePrice, step), component('PARKING_TIME', parkingPrice, step)] }]);

  test('step 5 min: 21 min charging billed 21 (not 25), 7 min parking billed 10: at 6.00/h + 12.00/h = 2.10 + 2.00', () => {
    const trace = session('2024-01-15T09:00:00Z', [{ minutes: 21, kwh: 4 }, { minutes: 7, charging: false }]);
    const priced = priceSession(timeAndParking(6, 12, 300), TZ, trace);
    expect(show(priced.total_time_cost)).toEqual(price('2.10'));
    expect(show(priced.total_parking_cost)).toEqual(price('2.00'));
  });

  test('step 10 min, 1.00/h and 2.00/h: 21 + 16 → 21 + 20 min = 0.35 + 0.6667 = 1.0167 (4 decimals in the CDR)', () => {
    const trace = session('2024-01-15T09:00:00Z', [{ minutes: 21, kwh: 4 }, { minutes: 16, charging: false }]);
    const priced = priceSession(timeAndParking(1, 2, 600), TZ, trace);
    expect(show(priced.total_time_cost)).toEqual(price('0.35'));
    expect(priced.total_parking_cost!.excl_vat.round(3).toFixed()).toBe('0.667'); // 20/60 × 2 = 2/3
    expect(toOcpiPricing(priced).total_cost).toEqual({ excl_vat: 1.0167 });
  });

  test('charge, park, charge again (tariff_13): TIME is last, so TIME is rounded and parking is not', () => {
    // Charging 10:30 + 20:10 = 30:40 → 31 min (step 60 s) × 3.00/h = 1.55, + 10 % = 1.705;
    // parking 6 min, not rounded × 5.00/h = 0.50, + 20 % = 0.60.
    const trace = session('2024-01-15T09:00:00Z', [
      { minutes: 10.5, kwh: 2 },
      { minutes: 6, charging: false },
      { minutes: 20 + 10 / 60, kwh: 4 },
    ]);
    const priced = priceSession(fixture('tariff_13_simple_3hour_5parking.json'), TZ, trace);
    expect(show(priced.total_time_cost)).toEqual(price('1.55', '1.705'));
    expect(show(priced.total_parking_cost)).toEqual(price('0.50', '0.60'));
  });

  test('parking without a PARKING_TIME component is not billable, so TIME stays the last and is rounded (tariff_1)', () => {
    // 89:30 → 90 min (step 60 s) × 2.00/h = 3.00, + 10 % = 3.30
    const trace = session('2024-01-15T09:00:00Z', [{ minutes: 89.5, kwh: 7 }, { minutes: 20, charging: false }]);
    expect(show(priceSession(fixture('tariff_1_simple_2hour.json'), TZ, trace).total_cost)).toEqual(price('3.00', '3.30'));
  });
});

describe('tariff_14_step_size worked examples (6.4)', () => {
  const tariff = fixture('tariff_14_step_size.json');

  test('#1 plug-in 16:55, charge 10 min, park 2 min: 5 min × 1.20 + 5 min × 2.40 + 2 → 15 min × 1.00 = 0.55', () => {
    const trace = session('2024-01-15T15:55:00Z', [{ minutes: 10, kwh: 2 }, { minutes: 2, charging: false }]);
    const priced = priceSession(tariff, TZ, trace);
    expect(show(priced.total_time_cost)).toEqual(price('0.30')); // 0.10 + 0.20, not rounded: parking follows
    expect(show(priced.total_parking_cost)).toEqual(price('0.25'));
    expect(show(priced.total_cost)).toEqual(price('0.55')); // no VAT in this tariff, so no incl_vat
    expect(periods(priced.charging_periods)).toEqual({
      '2024-01-15T15:55:00Z': { ENERGY: '1', TIME: '0.083333' },
      '2024-01-15T16:00:00Z': { ENERGY: '1', TIME: '0.083333' },
      '2024-01-15T16:05:00Z': { ENERGY: '0', PARKING_TIME: '0.033333' },
    });
  });

  test('#2 plug-in 16:35, charge 35 min: 35 → 45 min (last step 900 s); 25 min × 1.20 + 20 min × 2.40 = 1.30', () => {
    const trace = session('2024-01-15T15:35:00Z', [{ minutes: 35, kwh: 7 }]);
    expect(show(priceSession(tariff, TZ, trace).total_cost)).toEqual(price('1.30'));
  });

  test('#3 plug-in 19:40, charge 12 min, park to 20:12, free after 20:00: 0.48 + 8 → 15 min × 1.00 = 0.73 (post-d2)', () => {
    const trace = session('2024-01-15T18:40:00Z', [{ minutes: 12, kwh: 2 }, { minutes: 20, charging: false }]);
    const priced = priceSession(tariff, TZ, trace);
    expect(show(priced.total_time_cost)).toEqual(price('0.48')); // 12 min × 2.40/h
    expect(show(priced.total_parking_cost)).toEqual(price('0.25'));
    expect(show(priced.total_cost)).toEqual(price('0.73'));
    expect(periods(priced.charging_periods)).toEqual({
      '2024-01-15T18:40:00Z': { ENERGY: '2', TIME: '0.2' },
      '2024-01-15T18:52:00Z': { ENERGY: '0', PARKING_TIME: '0.133333' },
      '2024-01-15T19:00:00Z': { ENERGY: '0', PARKING_TIME: '0.2' }, // 20:00 local: no parking price any more
    });
  });
});
