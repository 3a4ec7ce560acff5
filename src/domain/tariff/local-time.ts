/**
 * Wall-clock time in the Location's IANA `time_zone`, which is what TariffRestrictions' start/end_time,
 * start/end_date and day_of_week refer to (digest 5.4). Uses Intl only, so the process TZ never matters.
 */
import type { DayOfWeek } from '../../model/ocpi/tariff.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEKDAYS: readonly DayOfWeek[] = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];

/** One instant as read on a local wall clock. */
export interface LocalMoment {
  /** `YYYY-MM-DD`, comparable as a string with start_date/end_date. */
  date: string;
  /** 0–1439; restrictions are whole minutes (`HH:MM`), so seconds never decide a match. */
  minuteOfDay: number;
  dayOfWeek: DayOfWeek;
}

export interface LocalClock {
  at(ms: number): LocalMoment;
  /**
   * Instants strictly inside (fromMs, toMs) where the wall clock reaches one of `minutesOfDay`, plus the instants
   * where its UTC offset changes. At a DST jump the wall clock skips or repeats an hour, so a restriction can switch
   * there without its HH:MM ever being shown; in a repeated hour an HH:MM occurs twice and both are returned.
   */
  boundaries(fromMs: number, toMs: number, minutesOfDay: readonly number[]): number[];
}

/** Throws a RangeError for an unknown time zone (from Intl). */
export function localClock(timeZone: string): LocalClock {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });

  /** The local wall-clock reading of `ms`, expressed as the UTC instant with the same digits. */
  const wall = (ms: number): number => {
    const parts = format.formatToParts(ms);
    const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
    return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  };
  const offset = (ms: number): number => wall(ms) - Math.floor(ms / SECOND) * SECOND;

  /** First instant in (lo, hi] whose offset differs from `before` (transitions fall on whole seconds). */
  const offsetChange = (lo: number, hi: number, before: number): number => {
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offset(mid) === before) lo = mid;
      else hi = mid;
    }
    return hi;
  };

  return {
    at(ms) {
      const local = new Date(wall(ms));
      return {
        date: local.toISOString().slice(0, 10),
        minuteOfDay: local.getUTCHours() * 60 + local.getUTCMinutes(),
        dayOfWeek: WEEKDAYS[local.getUTCDay()]!,
      };
    },

    boundaries(fromMs, toMs, minutesOfDay) {
      const found = new Set<number>();
      const inside = (ms: number) => ms > fromMs && ms < toMs;
      // Hourly probes find every offset change: real zones never change twice within an hour.
      const offsets = new Set([offset(fromMs)]);
      let probeOffset = offset(fromMs);
      for (let probe = fromMs; probe < toMs; probe += HOUR) {
        const next = Math.min(probe + HOUR, toMs);
        const nextOffset = offset(next);
        if (nextOffset !== probeOffset) {
          const change = offsetChange(probe, next, probeOffset);
          if (inside(change)) found.add(change);
          offsets.add(nextOffset);
        }
        probeOffset = nextOffset;
      }
      // A local day ± one day covers every offset (at most ±14 h) on both ends.
      const firstDay = Math.floor(wall(fromMs) / DAY) * DAY - DAY;
      const lastDay = Math.floor(wall(toMs) / DAY) * DAY + DAY;
      for (let day = firstDay; day <= lastDay; day += DAY) {
        for (const minute of minutesOfDay) {
          for (const candidateOffset of offsets) {
            const instant = day + minute * MINUTE - candidateOffset;
            if (inside(instant) && offset(instant) === candidateOffset) found.add(instant);
          }
        }
      }
      return [...found].sort((a, b) => a - b);
    },
  };
}
