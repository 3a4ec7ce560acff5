/**
 * Charging periods: maximal runs of segments with the same phase, charging state and active price components, so
 * a new period starts at every moment that changes which components apply (6.2, CPO obligation) and each period
 * has one set of components and its own volumes (6.8 step 1–2).
 */
import type { Tariff } from '../../model/ocpi/tariff.ts';
import { dec, ZERO, type Decimal } from '../money.ts';
import { activeComponents, sameComponents, type ActiveComponents } from './active-components.ts';
import type { LocalClock } from './local-time.ts';
import type { Phase } from './restrictions.ts';
import type { Segment } from './segments.ts';
import { hoursOf } from './units.ts';

export interface TariffPeriod {
  phase: Phase;
  startMs: number;
  endMs: number;
  charging: boolean;
  active: ActiveComponents;
  energyKwh: Decimal;
  /** Measured power/current extremes, when the charger reported them. */
  power?: Extremes;
  current?: Extremes;
}

interface Extremes {
  min: Decimal;
  max: Decimal;
}

/** The CdrDimensionTypes a CDR may carry (5.3; CURRENT, POWER etc. are Session-only). */
export type PeriodDimensionType =
  | 'ENERGY'
  | 'MAX_CURRENT'
  | 'MIN_CURRENT'
  | 'MAX_POWER'
  | 'MIN_POWER'
  | 'PARKING_TIME'
  | 'RESERVATION_TIME'
  | 'TIME';

/** OCPI CdrDimension with an exact volume (kWh, hours, A or kW). */
export interface DecimalCdrDimension {
  type: PeriodDimensionType;
  volume: Decimal;
}

/** OCPI ChargingPeriod with exact volumes. */
export interface DecimalChargingPeriod {
  start_date_time: string;
  dimensions: DecimalCdrDimension[];
  tariff_id?: string;
}

/** Folds segments into `periods` (those of the segments before them, whose last one may grow further). */
export function tariffPeriods(tariff: Tariff, clock: LocalClock, segments: readonly Segment[], periods: TariffPeriod[] = []): TariffPeriod[] {
  for (const segment of segments) {
    const active = activeComponents(tariff, {
      phase: segment.phase,
      local: clock.at(segment.startMs),
      // Every threshold crossing is a segment boundary, so the whole segment lies on one side of each threshold;
      // its energy midpoint is strictly inside and decides correctly whichever way energy flows.
      energyKwh: segment.energyStartKwh.plus(segment.energyEndKwh).times(dec('0.5')),
      elapsedMs: segment.elapsedMs,
      powerKw: segment.powerKw,
      ...(segment.currentA ? { currentA: segment.currentA } : {}),
    });
    const { phase, startMs, endMs, charging } = segment;
    const last = periods.at(-1);
    const continues = last && last.phase === phase && last.charging === charging && sameComponents(last.active, active);
    const period = continues ? last : { phase, startMs, endMs, charging, active, energyKwh: ZERO };
    if (!continues) periods.push(period);
    period.endMs = endMs;
    period.energyKwh = period.energyKwh.plus(segment.energyEndKwh.minus(segment.energyStartKwh));
    widen(period, 'power', segment.measuredPowerKw);
    widen(period, 'current', segment.currentA);
  }
  return periods;
}

function widen(period: TariffPeriod, key: 'power' | 'current', value: Decimal | undefined): void {
  if (!value) return;
  const seen = period[key];
  period[key] = seen
    ? { min: seen.min.lt(value) ? seen.min : value, max: seen.max.gt(value) ? seen.max : value }
    : { min: value, max: value };
}

/**
 * The time dimension a period bills: TIME while charging, PARKING_TIME while not (6.3); in a reservation phase
 * the reservation's TIME component bills the reservation duration.
 */
export function billedTimeDimension(period: TariffPeriod): 'TIME' | 'PARKING_TIME' {
  return period.phase === 'SESSION' && !period.charging ? 'PARKING_TIME' : 'TIME';
}

export function durationMs(period: TariffPeriod): Decimal {
  return dec(period.endMs - period.startMs);
}

/** The OCPI view of a period: actual volumes (step_size never changes them) and the tariff that priced it. */
export function chargingPeriod(period: TariffPeriod, tariffId: string): DecimalChargingPeriod {
  const hours = hoursOf(durationMs(period));
  const dimensions: DecimalCdrDimension[] =
    period.phase === 'SESSION'
      ? [
          { type: 'ENERGY', volume: period.energyKwh },
          { type: billedTimeDimension(period), volume: hours },
          ...extremes('CURRENT', period.current),
          ...extremes('POWER', period.power),
        ]
      : [{ type: 'RESERVATION_TIME', volume: hours }];
  return { start_date_time: ocpiDateTime(period.startMs), dimensions, tariff_id: tariffId };
}

function extremes(kind: 'CURRENT' | 'POWER', range: Extremes | undefined): DecimalCdrDimension[] {
  if (!range) return [];
  return [
    { type: `MAX_${kind}`, volume: range.max },
    { type: `MIN_${kind}`, volume: range.min },
  ];
}

/** UTC with `Z`; milliseconds only when present (interpolated kWh crossings), which DateTime allows (1.10). */
function ocpiDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
