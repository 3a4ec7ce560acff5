/**
 * Billed quantity per price component (6.8 steps 3–4): the volumes of the periods in which it was active, the
 * step_size extra, and FLAT once per phase.
 */
import type { PriceComponent } from '../../model/ocpi/tariff.ts';
import { dec, divide, ZERO, type Decimal } from '../money.ts';
import { billedTimeDimension, durationMs, type TariffPeriod } from './charging-periods.ts';
import type { Phase } from './restrictions.ts';
import { stepExtras } from './step-size.ts';
import { MS_PER_HOUR } from './units.ts';

/** Which CDR sub-total a line counts towards (6.8 step 6). */
export type CostCategory = 'fixed' | 'energy' | 'time' | 'parking' | 'reservation';

export interface BillingLine {
  component: PriceComponent;
  category: CostCategory;
  /** kWh for ENERGY, milliseconds for TIME and PARKING_TIME, a count for FLAT. */
  quantity: Decimal;
}

const ONE = dec(1);

export function billingLines(periods: readonly TariffPeriod[]): BillingLine[] {
  const lines = new Map<PriceComponent, BillingLine>();
  const bill = (component: PriceComponent, phase: Phase, quantity: Decimal) => {
    const line = lines.get(component) ?? { component, category: categoryOf(component, phase), quantity: ZERO };
    line.quantity = line.quantity.plus(quantity);
    lines.set(component, line);
  };
  periods.forEach((period, i) => {
    // [interp] 6.3: FLAT is billed once per phase, the one active when the phase starts (session start, or
    // reservation start for reservation elements); example 16 bills both a reservation and a start fee.
    const flat = period.active.FLAT;
    if (flat && period.phase !== periods[i - 1]?.phase) bill(flat, period.phase, ONE);
    if (period.active.ENERGY) bill(period.active.ENERGY, period.phase, period.energyKwh);
    const time = period.active[billedTimeDimension(period)];
    if (time) bill(time, period.phase, durationMs(period));
  });
  for (const extra of stepExtras(periods)) bill(extra.component, extra.phase, extra.quantity);
  return [...lines.values()];
}

/**
 * Reservation components (FLAT fee included) count towards total_reservation_cost; a session FLAT is a fixed
 * cost. OCPI 2.2.1 cannot mark a FLAT as a "fixed part of parking", so none is treated as one.
 */
function categoryOf(component: PriceComponent, phase: Phase): CostCategory {
  if (phase !== 'SESSION') return 'reservation';
  const byType = { FLAT: 'fixed', ENERGY: 'energy', TIME: 'time', PARKING_TIME: 'parking' } as const;
  return byType[component.type];
}

/** Cost excl. VAT; time prices are per hour, so milliseconds × price are divided once, last. */
export function lineCost(line: BillingLine): Decimal {
  const amount = line.quantity.times(dec(line.component.price));
  const perHour = line.component.type === 'TIME' || line.component.type === 'PARKING_TIME';
  return perHour ? divide(amount, MS_PER_HOUR) : amount;
}
