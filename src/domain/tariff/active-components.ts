/** Which PriceComponent is active per dimension at one moment (digest 6.2). */
import type { PriceComponent, Tariff, TariffDimensionType } from '../../model/ocpi/tariff.ts';
import { restrictionsMatch, type Conditions } from './restrictions.ts';

/** At most one component per dimension; a missing dimension is free at that moment (6.2). */
export type ActiveComponents = Partial<Record<TariffDimensionType, PriceComponent>>;

const DIMENSIONS: readonly TariffDimensionType[] = ['ENERGY', 'FLAT', 'PARKING_TIME', 'TIME'];
/** A reservation element may only carry FLAT and TIME components (5.4 `reservation`). */
const RESERVATION_DIMENSIONS: readonly TariffDimensionType[] = ['FLAT', 'TIME'];

/**
 * Dimensions are looked up independently: for each, the component of the first element in list order that has
 * that dimension and whose restrictions all hold (6.2). So ENERGY may come from element 1 and TIME from element 3.
 */
export function activeComponents(tariff: Tariff, at: Conditions): ActiveComponents {
  const allowed = at.phase === 'SESSION' ? DIMENSIONS : RESERVATION_DIMENSIONS;
  const active: ActiveComponents = {};
  for (const element of tariff.elements) {
    if (!restrictionsMatch(element.restrictions, at)) continue;
    for (const component of element.price_components) {
      if (allowed.includes(component.type)) active[component.type] ??= component;
    }
  }
  return active;
}

/** Same components (by identity: two elements with equal prices are still different components). */
export function sameComponents(a: ActiveComponents, b: ActiveComponents): boolean {
  return DIMENSIONS.every((dimension) => a[dimension] === b[dimension]);
}
