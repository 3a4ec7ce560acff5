/**
 * A running session's price, kept up to date reading by reading: `price(untilMs)` equals `priceSession` of all the
 * readings so far up to `untilMs`, yet each reading costs the same however long the session is.
 *
 * Readings come in time order. A stretch between two samples can only change while it ends at the latest instant
 * (a later reading of that instant moves its end energy, see instantsFolded in segments.ts); once a later instant
 * is read, it is cut into segments and folded into tariff periods for good. What stays open is the stretch ending at
 * the latest instant and the tail after it: of the readings of one instant only the first and the latest shape a
 * stretch, so at most four samples stay open (the session's first instant keeps its first reading too, whose energy
 * a later stretch inherits when the session began with readings of one instant).
 */
import type { Tariff } from '../../model/ocpi/tariff.ts';
import { dec, type Decimal } from '../money.ts';
import { tariffPeriods, type TariffPeriod } from './charging-periods.ts';
import { localClock, type LocalClock } from './local-time.ts';
import { restrictionThresholds, type RestrictionThresholds } from './restrictions.ts';
import { phaseSegments, sessionStretches } from './segments.ts';
import { readSample, type MeterSample, type Sample } from './session-trace.ts';
import { pricedPeriods, type PricedSession } from './tariff-engine.ts';

export class RunningPrice {
  private readonly clock: LocalClock;
  private readonly thresholds: RestrictionThresholds;
  private readonly firstKwh: Decimal;
  private readonly startMs: number;
  /** Tariff periods of the stretches no later reading can change. */
  private readonly settled: TariffPeriod[] = [];
  /** The samples from the one that begins the open stretch (or from the first, while nothing is settled). */
  private open: Sample[];

  /** `first` is the session's first sample, taken at its start. Throws a RangeError for an unknown time zone. */
  constructor(
    private readonly tariff: Tariff,
    timeZone: string,
    first: MeterSample,
  ) {
    this.clock = localClock(timeZone);
    this.thresholds = restrictionThresholds(tariff);
    this.firstKwh = dec(first.energy_kwh);
    const sample = readSample(first, this.firstKwh);
    this.startMs = sample.ms;
    this.open = [sample];
  }

  /** Milliseconds of the latest sample. */
  get latestMs(): number {
    return this.open.at(-1)!.ms;
  }

  /** Adds the next sample; throws a RangeError for one earlier than the latest. */
  add(next: MeterSample): void {
    const sample = readSample(next, this.firstKwh);
    const latestMs = this.latestMs;
    if (sample.ms < latestMs) throw new RangeError(`a sample at ${next.at} is earlier than the latest one`);
    const open = this.open;
    if (sample.ms === latestMs) {
      // Between the first and the latest reading of an instant nothing is priced: the latest replaces the others.
      if (open.length >= 2 && open.at(-2)!.ms === latestMs) open[open.length - 1] = sample;
      else open.push(sample);
      return;
    }
    if (open[0]!.ms === latestMs) {
      // Every sample so far is of the first instant: they still decide how the next stretch starts.
      open.push(sample);
      return;
    }
    // The stretch ending at the previous latest instant is final now: settle it and keep its last sample open.
    tariffPeriods(this.tariff, this.clock, phaseSegments(sessionStretches(open, this.startMs, latestMs), this.clock, this.thresholds), this.settled);
    this.open = [open.at(-1)!, sample];
  }

  /** The session priced from its start up to `untilMs`, which must not be before the latest sample. */
  price(untilMs: number): PricedSession {
    if (untilMs < this.latestMs) throw new RangeError('a session is priced up to its latest sample at least');
    const segments = phaseSegments(sessionStretches(this.open, this.startMs, untilMs), this.clock, this.thresholds);
    // The last settled period may grow with the open segments: it is copied, so the settled ones stay as they are.
    const last = this.settled.at(-1);
    const periods = tariffPeriods(this.tariff, this.clock, segments, last ? [...this.settled.slice(0, -1), { ...last }] : []);
    return pricedPeriods(this.tariff, periods, this.startMs, untilMs);
  }
}
