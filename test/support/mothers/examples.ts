/**
 * The official OCPI 2.2.1 examples (verbatim in src/model/ocpi/examples) and what a test does with
 * them: read one, make it ours (the API fills in our country_code/party_id and sets every last_updated itself),
 * and compare what the server gives back while ignoring the stamps it chose.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'bun:test';
import type { ManualClock } from '../manual-clock.ts';

export const EXAMPLES_DIR = join(import.meta.dir, '../../../src/model/ocpi/examples');

/** A fresh copy of an example file each call, so tests can change it freely. */
export function example(name: string): any {
  return JSON.parse(readFileSync(join(EXAMPLES_DIR, name), 'utf8'));
}

/** The example as an operator sends it to us: without the foreign country_code / party_id it carries. */
export function asOurs<T extends Record<string, unknown>>(object: T): Omit<T, 'country_code' | 'party_id'> {
  const { country_code: _c, party_id: _p, ...rest } = structuredClone(object);
  return rest;
}

/** A deep copy without any `last_updated` (Location, EVSE and Connector each carry one). */
export function withoutStamps(value: unknown): any {
  if (Array.isArray(value)) return value.map(withoutStamps);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'last_updated').map(([k, v]) => [k, withoutStamps(v)]));
  return value;
}

/** A deep copy without the operator-only `ocpp` binding of EVSEs. */
export function withoutBindings(value: unknown): any {
  if (Array.isArray(value)) return value.map(withoutBindings);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'ocpp').map(([k, v]) => [k, withoutBindings(v)]));
  return value;
}

/** How we write DateTimes: UTC, whole seconds, `Z` (OCPI 2.2.1 types, DateTime). */
export const OUR_DATETIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$/;

/** Start of the current second: a stamp we set from now on is never earlier. */
export const startOfSecond = (ms = Date.now()) => Math.floor(ms / 1000) * 1000;

/** A stamp written by the server between `sinceMs` and now. */
export function expectFreshStamp(stamp: unknown, sinceMs: number) {
  expect(stamp).toMatch(OUR_DATETIME);
  const ms = Date.parse(stamp as string);
  expect(ms).toBeGreaterThanOrEqual(startOfSecond(sinceMs));
  expect(ms).toBeLessThanOrEqual(Date.now());
}

/** Every stamp of a location: the location's, each EVSE's and each connector's, by path. */
export function stampsOf(location: any): Record<string, string> {
  const stamps: Record<string, string> = { location: location.last_updated };
  for (const evse of location.evses ?? []) {
    stamps[`evse ${evse.uid}`] = evse.last_updated;
    for (const c of evse.connectors) stamps[`connector ${evse.uid}/${c.id}`] = c.last_updated;
  }
  return stamps;
}

/** All stamps of a location are ours and fresh, and no child is newer than its parent (OCPI 2.2.1, 1.7). */
export function expectFreshLocationStamps(location: any, sinceMs: number) {
  expectFreshStamp(location.last_updated, sinceMs);
  for (const evse of location.evses ?? []) {
    expectFreshStamp(evse.last_updated, sinceMs);
    expect(Date.parse(evse.last_updated)).toBeLessThanOrEqual(Date.parse(location.last_updated));
    for (const connector of evse.connectors) {
      expectFreshStamp(connector.last_updated, sinceMs);
      expect(Date.parse(connector.last_updated)).toBeLessThanOrEqual(Date.parse(evse.last_updated));
    }
  }
}

/** Moves the server's clock into the second after `stamp`'s, so the next stamp the server writes is later. */
export function advanceToNextSecond(clock: ManualClock, stamp: string) {
  const next = Math.floor(Date.parse(stamp) / 1000) * 1000 + 1000;
  clock.advance(Math.max(0, next - clock.now().getTime()));
}
