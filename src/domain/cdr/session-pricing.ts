import type { Tariff } from '../../model/ocpi/tariff.ts';
import { toOcpiPricing, type OcpiPricing } from '../tariff/ocpi-pricing.ts';
import type { MeterSample } from '../tariff/session-trace.ts';
import { priceSession, type PricedSession } from '../tariff/tariff-engine.ts';
import { closedSamples, historySamples, type MeterEntry, type MeterStart } from './meter-history.ts';

export interface PricedPlace {
  tariff?: Tariff;
  timeZone: string;
  currency: string;
}

/**
 * [interp] A connector without a tariff charges nothing: it is priced as free (one ENERGY component at 0, no
 * VAT), so the Session and CDR still carry periods and totals; CDR.tariffs stays empty, since no tariff was
 * published for it. Operators are expected to attach an explicit free tariff (OCPI 2.2.1 Tariffs).
 */
const UNPRICED: Tariff = {
  country_code: 'XX',
  party_id: 'XXX',
  id: 'UNPRICED',
  currency: 'EUR',
  elements: [{ price_components: [{ type: 'ENERGY', price: 0, step_size: 1 }] }],
  last_updated: '1970-01-01T00:00:00Z',
};

/** The tariff a session at `place` is priced with. */
export function tariffOf(place: PricedPlace): Tariff {
  return place.tariff ?? UNPRICED;
}

/**
 * Prices a session's readings from its start up to `until` (its end, or now while it runs) with the tariff of
 * its start. The running Session is priced the same way reading by reading (session-meter.ts), so it always
 * agrees with the CDR for the same readings.
 */
export function priceReadings(place: PricedPlace, startAt: string, until: string, samples: readonly MeterSample[]): OcpiPricing {
  const untilMs = Date.parse(until);
  const trace = { start_date_time: startAt, end_date_time: until, samples: samples.filter((s) => Date.parse(s.at) <= untilMs) };
  return ocpiPricingOf(place, priceSession(tariffOf(place), place.timeZone, trace));
}

/** An ended session's final figures: its whole stored history, merged, closed at its end and priced once. */
export function priceHistory(place: PricedPlace, start: MeterStart, entries: readonly MeterEntry[], end: { at: string; finalKwh: string }): OcpiPricing {
  return priceReadings(place, start.at, end.at, closedSamples(historySamples(start, entries), end.at, end.finalKwh));
}

/** The OCPI figures of a priced session, its periods naming the place's tariff (none for an unpriced place). */
export function ocpiPricingOf(place: PricedPlace, priced: PricedSession): OcpiPricing {
  const pricing = toOcpiPricing(priced);
  const tariffId = place.tariff?.id;
  return {
    ...pricing,
    charging_periods: pricing.charging_periods.map(({ tariff_id: _, ...period }) => ({ ...period, ...(tariffId ? { tariff_id: tariffId } : {}) })),
  };
}
