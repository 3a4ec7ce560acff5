/**
 * Prices a session under one Tariff: charging periods and CDR totals (digest 6.8), all exact. Pure: time comes in
 * as data, so the same readings always give the same result. That is what makes a running session's cost "so far"
 * (readings up to now, end = now) equal to what the CDR would say if the session ended with those readings.
 */
import type { Tariff } from '../../model/ocpi/tariff.ts';
import { dec, sum, type Decimal } from '../money.ts';
import { billingLines } from './billing-lines.ts';
import { chargingPeriod, durationMs, tariffPeriods, type DecimalChargingPeriod, type TariffPeriod } from './charging-periods.ts';
import { localClock } from './local-time.ts';
import { restrictionThresholds } from './restrictions.ts';
import { timelineSegments } from './segments.ts';
import { readTrace, type SessionTrace } from './session-trace.ts';
import { costTotals, type CostTotals } from './totals.ts';
import { hoursOf } from './units.ts';

export interface PricedSession extends CostTotals {
  /** Reservation periods first (RESERVATION_TIME), then the session's. */
  charging_periods: DecimalChargingPeriod[];
  /** kWh actually charged; step_size never changes it (6.8 step 6). */
  total_energy: Decimal;
  /**
   * Hours from session start to end, charging plus parking. [interp] The reservation before it is not included,
   * so that charging time = total_time − total_parking_time holds (5.3).
   */
  total_time: Decimal;
  total_parking_time: Decimal;
}

/**
 * The tariff valid at session start prices the whole session (6.1 common practice); choosing it is the caller's
 * job. `timeZone` is the Location's IANA time_zone. Throws a RangeError for an invalid trace or time zone.
 */
export function priceSession(tariff: Tariff, timeZone: string, trace: SessionTrace): PricedSession {
  const timeline = readTrace(trace);
  const clock = localClock(timeZone);
  const periods = tariffPeriods(tariff, clock, timelineSegments(timeline, clock, restrictionThresholds(tariff)));
  const { startMs = 0, endMs = 0 } = timeline.session ?? {};
  return pricedPeriods(tariff, periods, startMs, endMs);
}

/** Totals of the tariff periods of a session that ran from `startMs` to `endMs` (6.8 steps 3–6). */
export function pricedPeriods(tariff: Tariff, periods: readonly TariffPeriod[], startMs: number, endMs: number): PricedSession {
  const session = periods.filter((period) => period.phase === 'SESSION');
  const parking = session.filter((period) => !period.charging);
  return {
    charging_periods: periods.map((period) => chargingPeriod(period, tariff.id)),
    ...costTotals(tariff, billingLines(periods)),
    total_energy: sum(session.map((period) => period.energyKwh)),
    total_time: hoursOf(dec(endMs - startMs)),
    total_parking_time: hoursOf(sum(parking.map(durationMs))),
  };
}
