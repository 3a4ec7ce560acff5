/**
 * The meter of a running session, kept up to date entry by entry: the latest sample and the session priced so far
 * (running-price.ts), so a reading in time order costs the same however long the session is. An entry that goes
 * before the latest instant changes samples already priced: `add` says so, and the session is replayed from its
 * stored history instead (`replay`, linear in its length).
 */
import Big from 'big.js';
import type { OcpiPricing } from '../tariff/ocpi-pricing.ts';
import { RunningPrice } from '../tariff/running-price.ts';
import type { MeterSample } from '../tariff/session-trace.ts';
import { historySamples, type MeterEntry, type MeterStart } from './meter-history.ts';
import { ocpiPricingOf, tariffOf, type PricedPlace } from './session-pricing.ts';

export class SessionMeter {
  private constructor(
    private readonly place: PricedPlace,
    private readonly start: MeterStart,
    private readonly price: RunningPrice,
    private latest: MeterSample,
    /** The seq of the latest entry taken. */
    private taken: number,
  ) {}

  /** The meter of a stored history (entries in arrival order). */
  static replay(place: PricedPlace, start: MeterStart, entries: readonly MeterEntry[]): SessionMeter {
    const [first, ...rest] = historySamples(start, entries);
    const price = new RunningPrice(tariffOf(place), place.timeZone, first!);
    for (const sample of rest) price.add(sample);
    return new SessionMeter(place, start, price, rest.at(-1) ?? first!, entries.at(-1)?.seq ?? 0);
  }

  /** Whether this meter reflects exactly the first `recorded` entries of a session starting at `start`. */
  matches(start: MeterStart, recorded: number): boolean {
    return this.taken === recorded && this.start.at === start.at && this.start.energyKwh === start.energyKwh;
  }

  /**
   * Takes the next entries, in arrival order. False when one goes before the latest instant (or changes the
   * charging state at the start instant): then this meter is no longer right, and the history must be replayed.
   */
  add(entries: readonly MeterEntry[]): boolean {
    for (const entry of entries) {
      const ms = Date.parse(entry.at);
      const latestMs = Date.parse(this.latest.at);
      if (entry.kind === 'sample' || ms < latestMs || (entry.kind === 'charging' && ms === Date.parse(this.start.at))) return false;
      // In time order a register lower than the latest is lifted to it, and a reading keeps the charging state.
      const energy = entry.energyKwh !== undefined && !new Big(entry.energyKwh).lt(this.latest.energy_kwh) ? entry.energyKwh : String(this.latest.energy_kwh);
      const sample: MeterSample = {
        at: entry.at,
        energy_kwh: energy,
        charging: entry.charging ?? this.latest.charging,
        ...(entry.powerKw !== undefined ? { power_kw: entry.powerKw } : {}),
        ...(entry.currentA !== undefined ? { current_a: entry.currentA } : {}),
      };
      this.price.add(sample);
      this.latest = sample;
      this.taken = entry.seq;
    }
    return true;
  }

  /**
   * Priced up to `now` — or up to the latest reading when the station's clock runs ahead of ours (station
   * timestamps are what the session is made of; a skewed clock must not make it unpriceable).
   */
  pricing(now: string): OcpiPricing {
    const until = Date.parse(now) > Date.parse(this.latest.at) ? now : this.latest.at;
    return ocpiPricingOf(this.place, this.price.price(Date.parse(until)));
  }
}
