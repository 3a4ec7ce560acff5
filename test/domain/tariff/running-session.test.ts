/**
 * A running session is priced from the readings so far, with end = now. The result must be what the CDR would
 * say for the same readings, and the periods reported so far must stay as they are when more readings come.
 */
import { describe, expect, test } from 'bun:test';
import { priceSession } from '../../../src/domain/tariff/tariff-engine.ts';
import { fixture, periods, price, session, show, soFar } from './support.ts';

const TZ = 'Europe/Amsterdam';
const tariff = fixture('tariff_13_simple_3hour_5parking.json'); // TIME 3.00/h (10 %) step 60 s, PARKING 5.00/h (20 %) step 300 s
const legs = [
  ...Array.from({ length: 5 }, () => ({ minutes: 30, kwh: 6 })),
  { minutes: 42, charging: false },
];
// Samples at +0, 30, 60, 90, 120 (charging), +150 (parking starts) and +192 (end).
const final = session('2024-01-15T09:00:00Z', legs);

describe('cost so far', () => {
  test('at the first reading nothing is due yet', () => {
    expect(show(priceSession(tariff, TZ, soFar(final, 1)).total_cost)).toEqual(price('0', '0'));
  });

  test('after 60 min of charging: 60 min × 3.00 = 3.00 / 3.30', () => {
    expect(show(priceSession(tariff, TZ, soFar(final, 3)).total_cost)).toEqual(price('3.00', '3.30'));
  });

  test('when parking starts: 150 min × 3.00 = 7.50 / 8.25', () => {
    expect(show(priceSession(tariff, TZ, soFar(final, 6)).total_cost)).toEqual(price('7.50', '8.25'));
  });

  test('final: 7.50 + 42 → 45 min × 5.00 = 11.25 / 8.25 + 4.50 = 12.75', () => {
    expect(show(priceSession(tariff, TZ, final).total_cost)).toEqual(price('11.25', '12.75'));
  });

  test('between readings time runs on and no energy is assumed: 75 min × 3.00 = 3.75 / 4.125, 12 kWh', () => {
    const now = { ...soFar(final, 3), end_date_time: '2024-01-15T10:15:00Z' };
    const priced = priceSession(tariff, TZ, now);
    expect(show(priced.total_cost)).toEqual(price('3.75', '4.125'));
    expect(priced.total_energy.toFixed()).toBe('12');
  });

  test('equals the CDR of a session that ended with the same readings', () => {
    const endedAfterTwoLegs = session('2024-01-15T09:00:00Z', legs.slice(0, 2));
    expect(priceSession(tariff, TZ, soFar(final, 3))).toEqual(priceSession(tariff, TZ, endedAfterTwoLegs));
  });
});

test('periods reported so far stay; only the last one grows', () => {
  const all = priceSession(tariff, TZ, final).charging_periods;
  expect(periods(all)).toEqual({
    '2024-01-15T09:00:00Z': { ENERGY: '30', TIME: '2.5' },
    '2024-01-15T11:30:00Z': { ENERGY: '0', PARKING_TIME: '0.7' },
  });
  for (let count = 2; count < final.samples.length; count++) {
    const running = priceSession(tariff, TZ, soFar(final, count)).charging_periods;
    running.slice(0, -1).forEach((period, i) => expect(period).toEqual(all[i]!));
    expect(all.map((period) => period.start_date_time)).toContain(running.at(-1)!.start_date_time);
  }
});
