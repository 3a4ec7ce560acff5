/** VAT per component (digest 6.5) and min/max price on the excl and incl totals separately (6.6). */
import { describe, expect, test } from 'bun:test';
import { priceSession } from '../../../src/domain/tariff/tariff-engine.ts';
import type { PriceComponent, Tariff } from '../../../src/model/ocpi/tariff.ts';
import { price, session, show, tariffOf } from './support.ts';

const TZ = 'Europe/Amsterdam';
const tenKwh = session('2024-01-15T09:00:00Z', [{ minutes: 60, kwh: 10 }]);
const energy = (vat?: number): PriceComponent => ({
  type: 'ENERGY',
  price: 0.25,
  step_size: 1,
  ...(vat === undefined ? {} : { vat }),
});

describe('VAT', () => {
  test('absent VAT is not 0 %: without any VAT information there is no incl_vat at all', () => {
    const priced = priceSession(tariffOf([{ price_components: [energy()] }]), TZ, tenKwh);
    expect(show(priced.total_cost)).toEqual(price('2.50'));
  });

  test('0 % VAT is VAT information: incl_vat is given and equals excl_vat', () => {
    const priced = priceSession(tariffOf([{ price_components: [energy(0)] }]), TZ, tenKwh);
    expect(show(priced.total_cost)).toEqual(price('2.50', '2.50'));
  });

  test('mixed rates are applied per component and summed: 1.00 + 21 % and 10 kWh × 0.25 without VAT', () => {
    // 1.00 → 1.21; 2.50 has no VAT applicable → 2.50; total 3.50 / 3.71
    const tariff = tariffOf([{ price_components: [{ type: 'FLAT', price: 1, vat: 21, step_size: 1 }, energy()] }]);
    const priced = priceSession(tariff, TZ, tenKwh);
    expect(show(priced.total_cost)).toEqual(price('3.50', '3.71'));
    expect(show(priced.total_energy_cost)).toEqual(price('2.50', '2.50'));
  });
});

describe('min_price and max_price', () => {
  const startFeeAndEnergy = (bounds: Partial<Tariff>) =>
    tariffOf([{ price_components: [{ type: 'FLAT', price: 4, vat: 25, step_size: 1 }, energy(0)] }], bounds);
  const kwh26 = session('2024-01-15T09:00:00Z', [{ minutes: 180, kwh: 26 }]);

  test('bound separately: 4.00 + 26 × 0.25 = 10.50 is capped at 10.00, while incl 5.00 + 6.50 = 11.50 stays under 12.00', () => {
    const priced = priceSession(startFeeAndEnergy({ max_price: { excl_vat: 10, incl_vat: 12 } }), TZ, kwh26);
    expect(show(priced.total_cost)).toEqual(price('10.00', '11.50'));
  });

  test('a bound without incl_vat leaves the incl total alone', () => {
    const priced = priceSession(startFeeAndEnergy({ max_price: { excl_vat: 10 } }), TZ, kwh26);
    expect(show(priced.total_cost)).toEqual(price('10.00', '11.50'));
  });

  test('min_price lifts, max_price caps, within one tariff', () => {
    const bounded = startFeeAndEnergy({ min_price: { excl_vat: 5, incl_vat: 6 }, max_price: { excl_vat: 10, incl_vat: 11 } });
    // 1 kWh: 4.25 / 5.25 → 5.00 / 6.00
    expect(show(priceSession(bounded, TZ, session('2024-01-15T09:00:00Z', [{ minutes: 10, kwh: 1 }])).total_cost)).toEqual(
      price('5.00', '6.00'),
    );
    expect(show(priceSession(bounded, TZ, kwh26).total_cost)).toEqual(price('10.00', '11.00'));
  });
});
