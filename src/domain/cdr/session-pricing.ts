import type { Tariff } from '../../model/ocpi/tariff.ts';
import { toOcpiPricing, type OcpiPricing } from '../tariff/ocpi-pricing.ts';
import type { MeterSample } from '../tariff/session-trace.ts';
import { priceSession } from '../tariff/tariff-engine.ts';

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

/**
 * Prices a session's readings from its start up to `until` (its end, or now while it runs) with the tariff of
 * its start. The same function serves the running Session and the CDR, so both always agree for the same
 * readings.
 */
export function priceReadings(place: PricedPlace, startAt: string, until: string, samples: readonly MeterSample[]): OcpiPricing {
  const untilMs = Date.parse(until);
  const trace = { start_date_time: startAt, end_date_time: until, samples: samples.filter((s) => Date.parse(s.at) <= untilMs) };
  const pricing = toOcpiPricing(priceSession(place.tariff ?? UNPRICED, place.timeZone, trace));
  const tariffId = place.tariff?.id;
  return {
    ...pricing,
    charging_periods: pricing.charging_periods.map(({ tariff_id: _, ...period }) => ({ ...period, ...(tariffId ? { tariff_id: tariffId } : {}) })),
  };
}
