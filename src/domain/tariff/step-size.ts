/**
 * step_size (digest 6.4): applied once per session total, never per period. ENERGY is rounded once; of TIME and
 * PARKING_TIME only the last time-based dimension is, on its billable total (periods where it had an active
 * component), with the step of the last active component, and the extra is billed at that component's price.
 */
import type { PriceComponent } from '../../model/ocpi/tariff.ts';
import { ceilToMultiple, dec, sum, ZERO, type Decimal } from '../money.ts';
import { billedTimeDimension, durationMs, type TariffPeriod } from './charging-periods.ts';
import type { Phase } from './restrictions.ts';
import { KWH_PER_WH, MS_PER_SECOND } from './units.ts';

/** Quantity added by rounding up: kWh for ENERGY, milliseconds for time-based components. */
export interface StepExtra {
  component: PriceComponent;
  phase: Phase;
  quantity: Decimal;
}

/**
 * [interp] The reservation phase is rounded on its own: it is priced by other elements than the session (6.2) and
 * its TIME is reservation duration, not a time-based session dimension that could "follow" another one (6.4).
 */
export function stepExtras(periods: readonly TariffPeriod[]): StepExtra[] {
  const session = periods.filter((period) => period.phase === 'SESSION');
  const reservation = periods.filter((period) => period.phase !== 'SESSION');
  return [energyExtra(session), timeExtra(session), timeExtra(reservation)].filter(
    (extra): extra is StepExtra => extra !== undefined && extra.quantity.gt(ZERO),
  );
}

/**
 * ENERGY steps are Wh. The "last relevant" ENERGY component is read as the last one energy was billed at: a
 * component that only saw the car parked (no energy) does not bill the rounding of energy charged before it.
 */
function energyExtra(periods: readonly TariffPeriod[]): StepExtra | undefined {
  const billed = periods.filter((period) => period.active.ENERGY);
  const last = billed.findLast((period) => !period.energyKwh.eq(ZERO));
  if (!last) return undefined;
  const component = last.active.ENERGY!;
  const total = sum(billed.map((period) => period.energyKwh));
  const rounded = ceilToMultiple(total, dec(component.step_size).times(KWH_PER_WH));
  return { component, phase: last.phase, quantity: rounded.minus(total) };
}

/** Time steps are seconds; charging time followed by billed parking is not rounded (6.4 case 2). */
function timeExtra(periods: readonly TariffPeriod[]): StepExtra | undefined {
  const last = periods.findLast((period) => period.active[billedTimeDimension(period)]);
  if (!last) return undefined;
  const dimension = billedTimeDimension(last);
  const component = last.active[dimension]!;
  const billed = periods.filter((period) => billedTimeDimension(period) === dimension && period.active[dimension]);
  const total = sum(billed.map(durationMs));
  const rounded = ceilToMultiple(total, dec(component.step_size).times(MS_PER_SECOND));
  return { component, phase: last.phase, quantity: rounded.minus(total) };
}
