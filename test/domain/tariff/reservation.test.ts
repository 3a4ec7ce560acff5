/**
 * Reservation tariffs 15–18 (digest 6.9). [interp] 6.2: reservation elements price only the reservation phase,
 * the others only the charging session. Reservations made at 09:00 UTC on Monday 2024-01-15 (10:00 in Amsterdam).
 */
import { describe, expect, test } from 'bun:test';
import { priceSession } from '../../../src/domain/tariff/tariff-engine.ts';
import { fixture, periods, price, session, show } from './support.ts';

const TZ = 'Europe/Amsterdam';
const RESERVED = '2024-01-15T09:00:00Z';
const reservedFor = (minutes: number) => new Date(Date.parse(RESERVED) + minutes * 60_000).toISOString();

/** Reserved at 09:00, charging starts `minutes` later and takes 20 kWh in 2 h. */
const reservedThenCharged = (minutes: number) =>
  session(reservedFor(minutes), [{ minutes: 120, kwh: 20 }], { start_date_time: RESERVED, expired: false });

/** Reserved at 09:00 and expired unused after `minutes`. */
const expiredAfter = (minutes: number) => ({
  start_date_time: reservedFor(minutes),
  end_date_time: reservedFor(minutes),
  samples: [],
  reservation: { start_date_time: RESERVED, expired: true },
});

test('tariff_15: 15 min reserved × 5.00 + 0.50 + 20 kWh × 0.25 = 6.75 / 1.50 + 0.60 + 5.50 = 7.60', () => {
  const priced = priceSession(fixture('tariff_15_reservation_5_euro_per_hour.json'), TZ, reservedThenCharged(15));
  expect(show(priced.total_reservation_cost)).toEqual(price('1.25', '1.50'));
  expect(show(priced.total_fixed_cost)).toEqual(price('0.50', '0.60'));
  expect(show(priced.total_energy_cost)).toEqual(price('5.00', '5.50'));
  expect(show(priced.total_cost)).toEqual(price('6.75', '7.60'));
  expect(periods(priced.charging_periods)).toEqual({
    '2024-01-15T09:00:00Z': { RESERVATION_TIME: '0.25' },
    '2024-01-15T09:15:00Z': { ENERGY: '20', TIME: '2' },
  });
  expect(priced.total_time.toFixed()).toBe('2'); // the session only; the reservation is not session time
});

test('tariff_16: 13 → 15 min (step 300 s) × 5.00 = 1.25 + fee 2.00 + 0.50 + 5.00 = 8.75 / 1.50 + 2.40 + 0.60 + 5.50 = 10.00', () => {
  const priced = priceSession(fixture('tariff_16_reservation_2_euro_fee_5_euro_per_hour.json'), TZ, reservedThenCharged(13));
  expect(show(priced.total_reservation_cost)).toEqual(price('3.25', '3.90')); // time 1.25 / 1.50 + fee 2.00 / 2.40
  expect(show(priced.total_fixed_cost)).toEqual(price('0.50', '0.60')); // the start fee; both FLATs are billed
  expect(show(priced.total_cost)).toEqual(price('8.75', '10.00'));
});

describe('tariff_17: fee when the reservation expires', () => {
  const tariff = fixture('tariff_17_reservation_with_expire_fee.json');

  test('used after 22 min: 22 → 30 min (step 600 s) × 2.00 = 1.00 + 0.50 + 5.00 = 6.50 / 1.20 + 0.60 + 5.50 = 7.30', () => {
    const priced = priceSession(tariff, TZ, reservedThenCharged(22));
    expect(show(priced.total_reservation_cost)).toEqual(price('1.00', '1.20'));
    expect(show(priced.total_cost)).toEqual(price('6.50', '7.30'));
  });

  test('expired after 1 h: fee 4.00 + 60 min × 2.00 = 6.00 / 4.80 + 2.40 = 7.20; no start fee, no session', () => {
    const priced = priceSession(tariff, TZ, expiredAfter(60));
    expect(show(priced.total_reservation_cost)).toEqual(price('6.00', '7.20'));
    expect(show(priced.total_cost)).toEqual(price('6.00', '7.20'));
    expect(priced.total_fixed_cost).toBeUndefined();
    expect(periods(priced.charging_periods)).toEqual({ '2024-01-15T09:00:00Z': { RESERVATION_TIME: '1' } });
    expect(priced.total_energy.toFixed()).toBe('0');
    expect(priced.total_time.toFixed()).toBe('0');
  });

  test('still reserved after 25 min (a running reservation): only RESERVATION applies, 25 → 30 min × 2.00 = 1.00', () => {
    const running = { ...expiredAfter(25), reservation: { start_date_time: RESERVED, expired: false } };
    expect(show(priceSession(tariff, TZ, running).total_cost)).toEqual(price('1.00', '1.20'));
  });
});

describe('tariff_18: different time price when the reservation expires', () => {
  const tariff = fixture('tariff_18_reservation_with_expire_time.json');

  test('used after 22 min: 22 → 30 min × 3.00 = 1.50 + 0.50 + 5.00 = 7.00 / 1.80 + 0.60 + 5.50 = 7.90', () => {
    expect(show(priceSession(tariff, TZ, reservedThenCharged(22)).total_cost)).toEqual(price('7.00', '7.90'));
  });

  test('expired after 1.5 h: the RESERVATION_EXPIRES element comes first, 90 min × 6.00 = 9.00 / 10.80', () => {
    const priced = priceSession(tariff, TZ, expiredAfter(90));
    expect(show(priced.total_cost)).toEqual(price('9.00', '10.80'));
  });
});
