/**
 * Readings that share an instant with each other, with the start or with the stop: the register's energy never
 * depends on how the clock divides it (issue 10). Expected figures are worked by hand from the registers.
 */
import { describe, expect, test } from 'bun:test';
import { priceSession } from '../../../src/domain/tariff/tariff-engine.ts';
import { toOcpiPricing } from '../../../src/domain/tariff/ocpi-pricing.ts';
import type { MeterSample } from '../../../src/domain/tariff/session-trace.ts';
import { tariffOf } from './support.ts';

const TZ = 'Europe/Amsterdam';
const perKwh = tariffOf([{ price_components: [{ type: 'ENERGY', price: 0.25, step_size: 1 }] }]);
const at = (offsetMs: number) => new Date(Date.parse('2026-11-20T09:00:00Z') + offsetMs).toISOString();
const sample = (offsetMs: number, kwh: string, charging = true): MeterSample => ({ at: at(offsetMs), energy_kwh: kwh, charging });
const price = (samples: MeterSample[], endOffsetMs: number, tariff = perKwh) =>
  toOcpiPricing(priceSession(tariff, TZ, { start_date_time: at(0), end_date_time: at(endOffsetMs), samples }));
const energyOf = (periods: { dimensions: { type: string; volume: number }[] }[]) =>
  periods.flatMap((p) => p.dimensions.filter((d) => d.type === 'ENERGY').map((d) => Math.round(d.volume * 10_000))).reduce((a, b) => a + b, 0);

describe('readings of the same instant keep their energy', () => {
  test('start 0, 5 and 10 kWh at the start instant, stop 12.345 a second later: 12.345 kWh, 3.0863 EUR', () => {
    const priced = price([sample(0, '0'), sample(0, '5'), sample(0, '10'), sample(1000, '12.345')], 1000);
    expect(priced.total_energy).toBe(12.345);
    // 12.345 × 0.25 = 3.08625 → 3.0863 (4 decimals, half-up)
    expect(priced.total_cost.excl_vat).toBe(3.0863);
    expect(energyOf(priced.charging_periods)).toBe(123_450);
  });

  test('readings in the same millisecond mid-session and at the stop', () => {
    const priced = price([sample(0, '0'), sample(400, '5'), sample(400, '10'), sample(900, '11'), sample(900, '12.345')], 900);
    expect(priced.total_energy).toBe(12.345);
    expect(energyOf(priced.charging_periods)).toBe(123_450);
  });

  test('a session that is one instant long still has its energy, in one period', () => {
    const priced = price([sample(0, '1'), sample(0, '3'), sample(0, '6')], 0);
    expect(priced.total_energy).toBe(5);
    expect(priced.charging_periods).toHaveLength(1);
    expect(energyOf(priced.charging_periods)).toBe(50_000);
  });

  test('a jump at the moment parking starts belongs to the charging period before it', () => {
    const parkingPriced = tariffOf([{ price_components: [{ type: 'ENERGY', price: 0.25, step_size: 1 }, { type: 'PARKING_TIME', price: 6, step_size: 1 }] }]);
    const hour = 3_600_000;
    const priced = price([sample(0, '0'), sample(hour, '0', false), sample(hour, '7', false), sample(2 * hour, '7', false)], 2 * hour, parkingPriced);
    expect(priced.total_energy).toBe(7);
    const [charging, parking] = priced.charging_periods;
    expect(charging!.dimensions).toContainEqual({ type: 'ENERGY', volume: 7 });
    expect(parking!.dimensions).toContainEqual({ type: 'ENERGY', volume: 0 });
    expect(parking!.dimensions).toContainEqual({ type: 'PARKING_TIME', volume: 1 });
  });

  test('a kWh restriction crossed within one instant splits the energy at the threshold', () => {
    const stepped = tariffOf([
      { price_components: [{ type: 'ENERGY', price: 0.2, step_size: 1 }], restrictions: { max_kwh: 10 } },
      { price_components: [{ type: 'ENERGY', price: 0.5, step_size: 1 }] },
    ]);
    const priced = price([sample(0, '0'), sample(0, '4'), sample(0, '16')], 0, stepped);
    expect(priced.total_energy).toBe(16);
    // 10 × 0.20 + 6 × 0.50 = 5.00
    expect(priced.total_cost.excl_vat).toBe(5);
  });
});

test('a kWh restriction crossed within a millisecond of a reading is still priced on each side', () => {
  const stepped = tariffOf([
    { price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }], restrictions: { max_kwh: 7.5 } },
    { price_components: [{ type: 'ENERGY', price: 0.2, step_size: 1 }] },
  ]);
  const hour = 3_600_000;
  const priced = price([sample(0, '0'), sample(hour, '7.4'), sample(hour + 1, '10')], hour + 1, stepped);
  // 7.5 × 0.30 + 2.5 × 0.20 = 2.25 + 0.50 = 2.75 (the crossing at 7.5 kWh falls 0.04 ms after the 7.4 kWh reading)
  expect(priced.total_cost.excl_vat).toBe(2.75);
  expect(energyOf(priced.charging_periods)).toBe(100_000);
});

describe('period energies add up to the total as shown', () => {
  test('thirds of a kWh cut by the hour round so that the periods sum to total_energy', () => {
    // Time-of-day elements cut the stretch at 10:00 and 10:20; 1 kWh over 60 min splits into non-terminating thirds.
    const byTime = tariffOf([
      { price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }], restrictions: { start_time: '10:00', end_time: '10:20' } },
      { price_components: [{ type: 'ENERGY', price: 0.2, step_size: 1 }] },
    ]);
    const start = Date.parse('2026-11-20T08:40:00Z'); // 09:40 in Amsterdam
    const samples = [0, 0.001].map((kwh, i) => ({ at: new Date(start + i * 3_600_000).toISOString(), energy_kwh: String(kwh), charging: true }));
    const priced = toOcpiPricing(priceSession(byTime, TZ, { start_date_time: samples[0]!.at, end_date_time: samples[1]!.at, samples }));
    expect(priced.charging_periods.length).toBe(3);
    expect(priced.total_energy).toBe(0.001);
    expect(energyOf(priced.charging_periods)).toBe(10);
  });
});
