/**
 * Whether a TariffElement's restrictions hold at one moment (digest 6.2 table; all set fields ANDed), and the
 * values at which any of them can switch (needed to cut charging periods there).
 */
import type { ReservationRestrictionType, Tariff, TariffRestrictions } from '../../model/ocpi/tariff.ts';
import { dec, type Decimal } from '../money.ts';
import type { LocalMoment } from './local-time.ts';

/**
 * The part of the timeline a moment lies in. A reservation phase runs from the reservation until charging starts
 * or the reservation expires (6.2); once it has expired without a session the whole phase is EXPIRED_RESERVATION.
 */
export type Phase = 'RESERVATION' | 'EXPIRED_RESERVATION' | 'SESSION';

/** Everything a restriction can look at, at one moment. */
export interface Conditions {
  phase: Phase;
  local: LocalMoment;
  /** Energy charged in the session so far. */
  energyKwh: Decimal;
  /** Session duration so far (6.2); in a reservation phase, time since the reservation was made. */
  elapsedMs: number;
  powerKw: Decimal;
  /** Sum over phases; undefined when the charger did not report it. */
  currentA?: Decimal;
}

const DAY_MINUTES = 24 * 60;
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function restrictionsMatch(r: TariffRestrictions | undefined, at: Conditions): boolean {
  if (!phaseMatches(r?.reservation, at.phase)) return false;
  if (!r) return true;
  return (
    timeOfDayMatches(r, at.local.minuteOfDay) &&
    (r.start_date === undefined || at.local.date >= r.start_date) &&
    (r.end_date === undefined || at.local.date < r.end_date) &&
    // An empty day_of_week list is read as "not restricted", like an absent one (a `*` list may be empty).
    (!r.day_of_week?.length || r.day_of_week.includes(at.local.dayOfWeek)) &&
    within(at.energyKwh, r.min_kwh, r.max_kwh) &&
    within(at.powerKw, r.min_power, r.max_power) &&
    // Unknown current cannot satisfy a current restriction: the element is skipped and the next one decides.
    within(at.currentA, r.min_current, r.max_current) &&
    (r.min_duration === undefined || at.elapsedMs >= r.min_duration * 1000) &&
    (r.max_duration === undefined || at.elapsedMs < r.max_duration * 1000)
  );
}

/**
 * [interp] 6.2: reservation elements price only the reservation phase, other elements only the charging session.
 * RESERVATION matches the whole reservation phase; RESERVATION_EXPIRES only one that expired unused.
 */
function phaseMatches(reservation: ReservationRestrictionType | undefined, phase: Phase): boolean {
  if (reservation === undefined) return phase === 'SESSION';
  return reservation === 'RESERVATION' ? phase !== 'SESSION' : phase === 'EXPIRED_RESERVATION';
}

/**
 * Local time in [start_time, end_time); end_time `00:00` means end of day, a missing bound is open, and
 * end ≤ start wraps past midnight (so equal bounds cover the whole day).
 */
function timeOfDayMatches(r: TariffRestrictions, minute: number): boolean {
  if (r.start_time === undefined && r.end_time === undefined) return true;
  const start = r.start_time === undefined ? 0 : minutesOf(r.start_time);
  const end = r.end_time === undefined ? DAY_MINUTES : minutesOf(r.end_time) || DAY_MINUTES;
  return start < end ? start <= minute && minute < end : minute >= start || minute < end;
}

/** `min` inclusive, `max` exclusive (5.4). */
function within(value: Decimal | undefined, min: number | undefined, max: number | undefined): boolean {
  if (min === undefined && max === undefined) return true;
  if (value === undefined) return false;
  return (min === undefined || value.gte(dec(min))) && (max === undefined || value.lt(dec(max)));
}

/** Where restriction results can flip, apart from samples (power, current and charging change only there). */
export interface RestrictionThresholds {
  /** Local minutes of day; midnight always, because dates and weekdays change there. */
  minutesOfDay: number[];
  /** Session energy values (min_kwh / max_kwh). */
  kwh: Decimal[];
  /** Times since phase start (min_duration / max_duration). */
  elapsedMs: number[];
}

export function restrictionThresholds(tariff: Tariff): RestrictionThresholds {
  const minutes = new Set([0]);
  const kwh = new Map<string, Decimal>();
  const elapsed = new Set<number>();
  for (const { restrictions: r } of tariff.elements) {
    if (!r) continue;
    for (const time of [r.start_time, r.end_time]) if (time !== undefined) minutes.add(minutesOf(time));
    for (const value of [r.min_kwh, r.max_kwh]) if (value !== undefined) kwh.set(String(value), dec(value));
    for (const seconds of [r.min_duration, r.max_duration]) if (seconds !== undefined) elapsed.add(seconds * 1000);
  }
  return { minutesOfDay: [...minutes], kwh: [...kwh.values()], elapsedMs: [...elapsed] };
}
