/**
 * Test helpers for the tariff engine: fixtures, session traces built from legs, and exact values as strings.
 * Nothing here prices anything; expected amounts are written by hand in the tests.
 */
import Big from 'big.js';
import type { DecimalChargingPeriod } from '../../../src/domain/tariff/charging-periods.ts';
import type { MeterSample, ReservationTrace, SessionTrace } from '../../../src/domain/tariff/session-trace.ts';
import type { DecimalPrice } from '../../../src/domain/tariff/totals.ts';
import type { Tariff, TariffElement } from '../../../src/model/ocpi/tariff.ts';
import { example } from '../../support/mothers/examples.ts';

/** An official tariff example, typed as the engine takes it. */
export const fixture = (name: string): Tariff => example(name);

/** A tariff for scenarios the fixtures do not cover. */
export function tariffOf(elements: TariffElement[], extra: Partial<Tariff> = {}): Tariff {
  return { country_code: 'NL', party_id: 'DYN', id: 'T1', currency: 'EUR', elements, last_updated: '2024-01-01T00:00:00Z', ...extra };
}

/** One stretch of a session with constant state; `kwh` flows evenly over it. */
export interface Leg {
  minutes: number;
  kwh?: number | string;
  charging?: boolean;
  power?: number;
  current?: number;
}

/**
 * A finished session from `start` through the legs: a sample at the start of every leg (carrying that leg's state
 * and the energy so far) and one at the end.
 */
export function session(start: string, legs: Leg[], reservation?: ReservationTrace): SessionTrace {
  let ms = Date.parse(start);
  let energy = new Big(0);
  const samples: MeterSample[] = [];
  const sample = (leg: Leg): MeterSample => ({
    at: new Date(ms).toISOString(),
    energy_kwh: energy.toFixed(),
    charging: leg.charging ?? true,
    ...(leg.power === undefined ? {} : { power_kw: leg.power }),
    ...(leg.current === undefined ? {} : { current_a: leg.current }),
  });
  for (const leg of legs) {
    samples.push(sample(leg));
    ms += Math.round(leg.minutes * 60_000);
    energy = energy.plus(leg.kwh ?? 0);
  }
  samples.push(sample(legs.at(-1)!));
  return { start_date_time: start, end_date_time: new Date(ms).toISOString(), samples, ...(reservation ? { reservation } : {}) };
}

/** The same trace as it looked while running: readings up to sample `count - 1`, ending at that reading. */
export function soFar(trace: SessionTrace, count: number): SessionTrace {
  const samples = trace.samples.slice(0, count);
  return { ...trace, samples, end_date_time: samples.at(-1)!.at };
}

const norm = (value: string) => new Big(value).toFixed();

/** An expected Price, written as the spec writes it ('9.00'); compared exactly. */
export function price(excl: string, incl?: string): { excl_vat: string; incl_vat?: string } {
  return { excl_vat: norm(excl), ...(incl === undefined ? {} : { incl_vat: norm(incl) }) };
}

export function show(actual: DecimalPrice | undefined): { excl_vat: string; incl_vat?: string } | undefined {
  if (!actual) return undefined;
  return { excl_vat: actual.excl_vat.toFixed(), ...(actual.incl_vat ? { incl_vat: actual.incl_vat.toFixed() } : {}) };
}

/** Periods as `start → {dimension: volume}` with volumes rounded to 6 decimals for readable hour fractions. */
export function periods(list: DecimalChargingPeriod[]): Record<string, Record<string, string>> {
  return Object.fromEntries(
    list.map((period) => [
      period.start_date_time,
      Object.fromEntries(period.dimensions.map((d) => [d.type, d.volume.round(6).toFixed()])),
    ]),
  );
}

