/** The JSON form: costs rounded to the currency's minor unit (6.7), volumes and quantities to 4 decimals (1.10). */
import { expect, test } from 'bun:test';
import { toOcpiPricing } from '../../../src/domain/tariff/ocpi-pricing.ts';
import { priceSession } from '../../../src/domain/tariff/tariff-engine.ts';
import { session, tariffOf } from './support.ts';

test('yen: 10.5 kWh × 35.5 = 372.75, + 10 % = 410.025 — the CDR keeps OCPI’s 4 decimals even where the currency has no minor unit', () => {
  const tariff = tariffOf([{ price_components: [{ type: 'ENERGY', price: 35.5, vat: 10, step_size: 1 }] }], { currency: 'JPY' });
  const priced = priceSession(tariff, 'Asia/Tokyo', session('2024-01-15T00:00:00Z', [{ minutes: 50, kwh: '10.5' }]));
  expect(toOcpiPricing(priced)).toEqual({
    charging_periods: [
      {
        start_date_time: '2024-01-15T00:00:00Z',
        // 50 min = 0.8333… h
        dimensions: [{ type: 'ENERGY', volume: 10.5 }, { type: 'TIME', volume: 0.8333 }],
        tariff_id: 'T1',
      },
    ],
    total_cost: { excl_vat: 372.75, incl_vat: 410.025 },
    total_energy_cost: { excl_vat: 372.75, incl_vat: 410.025 },
    total_energy: 10.5,
    total_time: 0.8333,
    total_parking_time: 0,
  });
});
