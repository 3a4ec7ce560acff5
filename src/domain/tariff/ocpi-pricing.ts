/**
 * The JSON form of a priced session, for a Session's `charging_periods`/`total_cost` or a CDR. The only place where
 * rounding happens: costs, volumes and quantities to the 4 decimals OCPI numbers carry (1.10), half-up, after
 * min/max were applied. OCPI itself defines no rounding to the currency (6.7), so the CDR keeps that precision;
 * an amount actually charged (a guest's card) is rounded to minor units from it. Session and CDR share this, so a
 * running cost and the final CDR round the same way.
 */
import type { Price } from '../../model/ocpi/types.ts';
import { roundHalfUp, toOcpiNumber, ZERO, type Decimal } from '../money.ts';
import type { PeriodDimensionType } from './charging-periods.ts';
import type { PricedSession } from './tariff-engine.ts';
import type { DecimalPrice } from './totals.ts';

export interface OcpiChargingPeriod {
  start_date_time: string;
  dimensions: { type: PeriodDimensionType; volume: number }[];
  tariff_id?: string;
}

export interface OcpiPricing {
  charging_periods: OcpiChargingPeriod[];
  total_cost: Price;
  total_fixed_cost?: Price;
  total_energy: number;
  total_energy_cost?: Price;
  total_time: number;
  total_time_cost?: Price;
  total_parking_time: number;
  total_parking_cost?: Price;
  total_reservation_cost?: Price;
}

const COSTS = [
  'total_fixed_cost',
  'total_energy_cost',
  'total_time_cost',
  'total_parking_cost',
  'total_reservation_cost',
] as const;

/**
 * Rounds each period's energy as the difference of the rounded running totals, so the periods shown add up to
 * the rounded total_energy exactly (rounding each on its own can drift by 0.0001 per period).
 */
function runningRound() {
  let exact = ZERO;
  let shown = ZERO;
  return (volume: Decimal): number => {
    exact = exact.plus(volume);
    const previous = shown;
    shown = roundHalfUp(exact, 4);
    return shown.minus(previous).toNumber();
  };
}

export function toOcpiPricing(priced: PricedSession): OcpiPricing {
  const money = (amount: Decimal) => toOcpiNumber(amount);
  const price = ({ excl_vat, incl_vat }: DecimalPrice): Price => ({
    excl_vat: money(excl_vat),
    ...(incl_vat ? { incl_vat: money(incl_vat) } : {}),
  });
  const energyShown = runningRound();
  const pricing: OcpiPricing = {
    charging_periods: priced.charging_periods.map((period) => ({
      ...period,
      dimensions: period.dimensions.map(({ type, volume }) => ({ type, volume: type === 'ENERGY' ? energyShown(volume) : toOcpiNumber(volume) })),
    })),
    total_cost: price(priced.total_cost),
    total_energy: toOcpiNumber(priced.total_energy),
    total_time: toOcpiNumber(priced.total_time),
    total_parking_time: toOcpiNumber(priced.total_parking_time),
  };
  for (const field of COSTS) {
    const cost = priced[field];
    if (cost) pricing[field] = price(cost);
  }
  return pricing;
}
