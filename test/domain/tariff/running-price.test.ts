/**
 * A running session priced reading by reading (RunningPrice) says exactly what pricing all its readings at once
 * (priceSession) says — for any tariff restrictions, readings of one instant, and time since the latest reading.
 */
import { describe, expect, test } from 'bun:test';
import fc from 'fast-check';
import { RunningPrice } from '../../../src/domain/tariff/running-price.ts';
import type { MeterSample } from '../../../src/domain/tariff/session-trace.ts';
import { priceSession } from '../../../src/domain/tariff/tariff-engine.ts';
import type { PriceComponent, TariffElement, TariffRestrictions } from '../../../src/model/ocpi/tariff.ts';
import { fixture, session, tariffOf } from './support.ts';

const runs = Number(process.env.PROPERTY_RUNS ?? 200);
const exact = (value: unknown) => JSON.parse(JSON.stringify(value));

const hhmm = fc.record({ h: fc.integer({ min: 0, max: 23 }), m: fc.constantFrom(0, 15, 30, 45) }).map(({ h, m }) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const restrictions: fc.Arbitrary<TariffRestrictions> = fc.record(
  {
    start_time: hhmm,
    end_time: hhmm,
    min_kwh: fc.integer({ min: 0, max: 30 }),
    max_kwh: fc.integer({ min: 1, max: 40 }),
    min_power: fc.integer({ min: 0, max: 20 }),
    max_power: fc.integer({ min: 1, max: 50 }),
    max_current: fc.integer({ min: 1, max: 64 }),
    min_duration: fc.integer({ min: 0, max: 7200 }),
    max_duration: fc.integer({ min: 1, max: 10_800 }),
    day_of_week: fc.subarray(['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const, { minLength: 1 }).map((days) => [...days]),
  },
  { requiredKeys: [] },
);
const component: fc.Arbitrary<PriceComponent> = fc.record({
  type: fc.constantFrom('ENERGY', 'TIME', 'PARKING_TIME', 'FLAT'),
  price: fc.integer({ min: 0, max: 500 }).map((cents) => cents / 100),
  vat: fc.option(fc.constantFrom(0, 9, 21), { nil: undefined }),
  step_size: fc.constantFrom(0, 1, 60, 300, 1000),
}).map(({ vat, ...c }) => ({ ...c, ...(vat === undefined ? {} : { vat }) }));
const element: fc.Arbitrary<TariffElement> = fc.record({ price_components: fc.array(component, { minLength: 1, maxLength: 3 }), restrictions: fc.option(restrictions, { nil: undefined }) }).map(
  ({ restrictions: r, ...e }) => ({ ...e, ...(r ? { restrictions: r } : {}) }),
);
const tariffArb = fc.record({ elements: fc.array(element, { minLength: 1, maxLength: 4 }), minPrice: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }) }).map(({ elements, minPrice }) =>
  tariffOf(elements, minPrice === undefined ? {} : { min_price: { excl_vat: minPrice / 100 } }),
);

/** Readings after the start: often in the same millisecond, sometimes seconds or hours apart. */
const step = fc.record({
  gapMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 999 }), fc.integer({ min: 1, max: 600 }).map((s) => s * 1000), fc.integer({ min: 600_000, max: 4 * 3_600_000 })),
  wh: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 21, max: 9000 })),
  charging: fc.boolean(),
  powerW: fc.option(fc.integer({ min: 0, max: 50_000 }), { nil: undefined }),
  currentDa: fc.option(fc.integer({ min: 0, max: 640 }), { nil: undefined }),
});
/** Start instants around a DST change and a midnight, in zones with and without DST. */
const starts = ['2026-03-29T00:30:00.250Z', '2026-10-24T21:59:00Z', '2026-06-10T16:45:00Z', '2026-01-01T23:00:00.999Z'];

function samplesOf(startAt: string, steps: { gapMs: number; wh: number; charging: boolean; powerW?: number; currentDa?: number }[]): MeterSample[] {
  let ms = Date.parse(startAt);
  let wh = 12_345;
  const samples: MeterSample[] = [{ at: startAt, energy_kwh: '12.345', charging: true }];
  for (const s of steps) {
    ms += s.gapMs;
    wh += s.wh;
    samples.push({
      at: new Date(ms).toISOString(),
      energy_kwh: String(wh / 1000),
      charging: s.charging,
      ...(s.powerW === undefined ? {} : { power_kw: String(s.powerW / 1000) }),
      ...(s.currentDa === undefined ? {} : { current_a: String(s.currentDa / 10) }),
    });
  }
  return samples;
}

describe('a session priced reading by reading', () => {
  test('equals the whole history priced at once, after every reading and at any time after it', () => {
    fc.assert(
      fc.property(
        tariffArb,
        fc.constantFrom('Europe/Amsterdam', 'America/New_York', 'UTC'),
        fc.constantFrom(...starts),
        fc.array(step, { maxLength: 14 }),
        fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 12 * 3_600_000 })), { minLength: 15, maxLength: 15 }),
        (tariff, timeZone, startAt, steps, waits) => {
          const samples = samplesOf(startAt, steps);
          const running = new RunningPrice(tariff, timeZone, samples[0]!);
          samples.forEach((sample, i) => {
            if (i > 0) running.add(sample);
            const untilMs = Date.parse(sample.at) + waits[i]!;
            const whole = priceSession(tariff, timeZone, { start_date_time: startAt, end_date_time: new Date(untilMs).toISOString(), samples: samples.slice(0, i + 1) });
            expect(exact(running.price(untilMs))).toEqual(exact(whole));
          });
        },
      ),
      { numRuns: runs },
    );
  });

  test('the spec example with parking: every reading of it, priced as it comes', () => {
    const tariff = fixture('tariff_13_simple_3hour_5parking.json');
    const trace = session('2024-01-15T09:00:00Z', [...Array.from({ length: 5 }, () => ({ minutes: 30, kwh: 6 })), { minutes: 42, charging: false }]);
    const running = new RunningPrice(tariff, 'Europe/Amsterdam', trace.samples[0]!);
    for (const sample of trace.samples.slice(1)) running.add(sample);
    const untilMs = Date.parse(trace.end_date_time);
    expect(exact(running.price(untilMs))).toEqual(exact(priceSession(tariff, 'Europe/Amsterdam', trace)));
  });

  test('a reading earlier than the latest is refused', () => {
    const running = new RunningPrice(tariffOf([{ price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }] }]), 'UTC', { at: '2026-01-01T10:00:00Z', energy_kwh: '0', charging: true });
    running.add({ at: '2026-01-01T10:05:00Z', energy_kwh: '1', charging: true });
    expect(() => running.add({ at: '2026-01-01T10:04:59.999Z', energy_kwh: '1', charging: true })).toThrow(RangeError);
    expect(() => running.price(Date.parse('2026-01-01T10:04:00Z'))).toThrow(RangeError);
  });
});
