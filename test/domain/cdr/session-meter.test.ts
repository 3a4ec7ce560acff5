/**
 * A running session's meter (SessionMeter), kept up to date entry by entry and replayed from the stored history
 * only when an entry goes before the latest instant, shows exactly what pricing the whole history at once shows.
 */
import { describe, expect, test } from 'bun:test';
import fc from 'fast-check';
import { priceReadings, type PricedPlace } from '../../../src/domain/cdr/session-pricing.ts';
import { SessionMeter } from '../../../src/domain/cdr/session-meter.ts';
import { iso, keep, keptStart, meterEvent, meterStart, samplesOf, startOf, type Kept } from './support.ts';

const runs = Number(process.env.PROPERTY_RUNS ?? 300);
/** ENERGY cheaper from 5 kWh on, TIME dearer from 12:30 local (10:30 UTC), PARKING_TIME. */
const place: PricedPlace = {
  timeZone: 'Europe/Amsterdam',
  currency: 'EUR',
  tariff: {
    country_code: 'NL', party_id: 'DYN', id: 'T-METER', currency: 'EUR', last_updated: '2026-01-01T00:00:00Z',
    elements: [
      { price_components: [{ type: 'TIME', price: 3, vat: 21, step_size: 60 }], restrictions: { start_time: '12:30' } },
      { price_components: [{ type: 'ENERGY', price: 0.4, vat: 21, step_size: 1 }, { type: 'TIME', price: 1.2, vat: 21, step_size: 60 }], restrictions: { max_kwh: 5 } },
      { price_components: [{ type: 'ENERGY', price: 0.25, vat: 21, step_size: 1 }, { type: 'PARKING_TIME', price: 2, vat: 21, step_size: 300 }] },
    ],
  },
};
const whole = (kept: Kept, now: string) => {
  const samples = samplesOf(kept);
  const until = Date.parse(now) > Date.parse(samples.at(-1)!.at) ? now : samples.at(-1)!.at;
  return priceReadings(place, kept.state.startAt, until, samples);
};

describe('a running session’s meter', () => {
  test('prices like the whole history at once after every event, replaying only what came out of order', () => {
    fc.assert(
      fc.property(meterStart, fc.array(meterEvent, { maxLength: 12 }), fc.array(fc.integer({ min: -60_000, max: 5_000_000 }), { minLength: 12, maxLength: 12 }), (start, events, nows) => {
        let kept: Kept = keptStart(start);
        let meter = SessionMeter.replay(place, startOf(kept), kept.entries);
        events.forEach((e, i) => {
          const before = kept;
          const next = keep(kept, e);
          kept = next;
          const usable = meter.matches(startOf(before), before.state.recorded) && meter.add(next.added) && meter.matches(startOf(kept), kept.state.recorded);
          if (!usable) meter = SessionMeter.replay(place, startOf(kept), kept.entries);
          const now = iso(nows[i]!);
          expect(meter.pricing(now)).toEqual(whole(kept, now));
        });
      }),
      { numRuns: runs },
    );
  });

  test('readings in time order are taken as they come; one before the latest instant asks for a replay', () => {
    let kept = keptStart('0');
    const meter = SessionMeter.replay(place, startOf(kept), kept.entries);
    for (const minutes of [1, 2, 2, 3]) {
      const next = keep(kept, { type: 'METER', readings: [{ at: iso(minutes * 60_000), energyKwh: String(minutes) }] });
      expect(meter.add(next.added)).toBe(true);
      kept = next;
    }
    expect(meter.matches(startOf(kept), 4)).toBe(true);
    expect(meter.add(keep(kept, { type: 'METER', readings: [{ at: iso(150_000), energyKwh: '2.5' }] }).added)).toBe(false);
  });

  test('a station clock running ahead of ours still gives a priced running session, up to its latest reading', () => {
    const kept = keep(keptStart('0'), { type: 'METER', readings: [{ at: iso(15 * 60_000), energyKwh: '4' }] });
    const meter = SessionMeter.replay(place, startOf(kept), kept.entries);
    // Our clock says an hour before the station's start.
    const pricing = meter.pricing(iso(-3_600_000));
    // 4 kWh × 0.40 + 15 min × 1.20/h = 1.90 excl. VAT
    expect(pricing).toMatchObject({ total_energy: 4, total_time: 0.25, total_cost: { excl_vat: 1.9 } });
  });
});
