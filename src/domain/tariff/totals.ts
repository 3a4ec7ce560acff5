/** CDR cost totals from billing lines: VAT per component (6.5), min/max price on the total (6.6). */
import type { Tariff } from '../../model/ocpi/tariff.ts';
import { addPercentage, clamp, dec, sum, type Decimal } from '../money.ts';
import { lineCost, type BillingLine, type CostCategory } from './billing-lines.ts';

/** OCPI Price with exact amounts. */
export interface DecimalPrice {
  excl_vat: Decimal;
  incl_vat?: Decimal;
}

export interface CostTotals {
  total_cost: DecimalPrice;
  total_fixed_cost?: DecimalPrice;
  total_energy_cost?: DecimalPrice;
  total_time_cost?: DecimalPrice;
  total_parking_cost?: DecimalPrice;
  total_reservation_cost?: DecimalPrice;
}

const FIELDS: Record<CostCategory, Exclude<keyof CostTotals, 'total_cost'>> = {
  fixed: 'total_fixed_cost',
  energy: 'total_energy_cost',
  time: 'total_time_cost',
  parking: 'total_parking_cost',
  reservation: 'total_reservation_cost',
};

interface Amount {
  category: CostCategory;
  excl: Decimal;
  incl: Decimal;
}

/**
 * A sub-total is present when a component of its kind was active at some point, even if it came to 0.
 * `incl_vat` is given only when the tariff carries VAT information at all (6.5: it may be omitted otherwise).
 */
export function costTotals(tariff: Tariff, lines: readonly BillingLine[]): CostTotals {
  const withVat = tariff.elements.some((element) => element.price_components.some((c) => c.vat !== undefined));
  const amounts = lines.map((line): Amount => {
    const excl = lineCost(line);
    // VAT absent means no VAT applicable, which is not 0 % but does leave the amount unchanged (5.4, pitfall 27).
    const vat = line.component.vat;
    return { category: line.category, excl, incl: vat === undefined ? excl : addPercentage(excl, dec(vat)) };
  });
  const price = (items: readonly Amount[]): DecimalPrice => ({
    excl_vat: sum(items.map((a) => a.excl)),
    ...(withVat ? { incl_vat: sum(items.map((a) => a.incl)) } : {}),
  });

  const totals: CostTotals = { total_cost: bounded(price(amounts), tariff) };
  for (const [category, field] of Object.entries(FIELDS) as [CostCategory, keyof CostTotals][]) {
    const items = amounts.filter((a) => a.category === category);
    if (items.length > 0) totals[field] = price(items);
  }
  return totals;
}

/**
 * min_price and max_price bound the excl and the incl total separately, since mixed VAT rates make them bind at
 * different points (6.6); an incl bound applies only where given. [interp] Sub-totals keep their computed values.
 */
function bounded(total: DecimalPrice, tariff: Tariff): DecimalPrice {
  const bound = (value: number | undefined) => (value === undefined ? undefined : dec(value));
  const { min_price: min, max_price: max } = tariff;
  return {
    excl_vat: clamp(total.excl_vat, bound(min?.excl_vat), bound(max?.excl_vat)),
    ...(total.incl_vat ? { incl_vat: clamp(total.incl_vat, bound(min?.incl_vat), bound(max?.incl_vat)) } : {}),
  };
}
