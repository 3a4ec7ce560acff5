/**
 * stampLocation: which last_updated values change when an operator PUTs a location (OCPI 2.2.1, 1.7:
 * a Connector change bumps its EVSE and Location, an EVSE change bumps the Location; date_from syncs must
 * pick up exactly what changed).
 */
import { describe, expect, test } from 'bun:test';
import { stampLocation, type UnstampedLocation } from '../../src/domain/location-timestamps.ts';
import type { Location } from '../../src/model/ocpi/location.ts';
import { stampsOf } from '../support/mothers/examples.ts';

const T0 = '2024-03-01T10:00:00Z';
const T1 = '2024-03-01T11:00:00Z';

function site(): UnstampedLocation {
  return {
    country_code: 'NL',
    party_id: 'DYN',
    id: 'SITE-1',
    publish: true,
    name: 'Station',
    address: 'Stationsplein 1',
    city: 'Utrecht',
    country: 'NLD',
    coordinates: { latitude: '52.089444', longitude: '5.110278' },
    time_zone: 'Europe/Amsterdam',
    evses: [
      {
        uid: 'E1',
        status: 'AVAILABLE',
        connectors: [
          { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 16 },
          { id: '2', standard: 'IEC_62196_T2_COMBO', format: 'CABLE', power_type: 'DC', max_voltage: 920, max_amperage: 200 },
        ],
      },
      {
        uid: 'E2',
        status: 'AVAILABLE',
        connectors: [{ id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32 }],
      },
    ],
  };
}

/** The site as first stored at T0. */
const stored = (): Location => stampLocation(site(), undefined, T0);
/** The same value with every object's keys in reverse order. */
const reverseKeys = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(reverseKeys)
    : value && typeof value === 'object'
      ? Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]))
      : value;
const everyStamp = (location: Location, value: string) => Object.fromEntries(Object.keys(stampsOf(location)).map((k) => [k, value]));

describe('a new location', () => {
  test('gets `now` on the location, every EVSE and every connector', () => {
    const location = stored();
    expect(stampsOf(location)).toEqual(everyStamp(location, T0));
    expect(Object.keys(stampsOf(location))).toHaveLength(1 + 2 + 3);
  });

  test('stamps sent along are ignored', () => {
    const input = site();
    input.last_updated = '2015-06-29T20:39:09Z';
    input.evses![0]!.last_updated = '2015-06-29T20:39:09Z';
    input.evses![0]!.connectors[0]!.last_updated = '2099-01-01T00:00:00Z';
    const location = stampLocation(input, undefined, T0);
    expect(stampsOf(location)).toEqual(everyStamp(location, T0));
  });

  test('keeps every other field as given', () => {
    const { evses, ...rest } = stored();
    const { evses: given, ...restGiven } = site();
    expect(rest).toEqual({ ...restGiven, last_updated: T0 });
    expect(evses!.map((e) => ({ ...e, last_updated: undefined, connectors: e.connectors.map((c) => ({ ...c, last_updated: undefined })) }))).toEqual(
      given!.map((e) => ({ ...e, last_updated: undefined, connectors: e.connectors.map((c) => ({ ...c, last_updated: undefined })) })),
    );
  });
});

describe('a PUT over a stored location', () => {
  test('with identical content changes no stamp', () => {
    expect(stampsOf(stampLocation(site(), stored(), T1))).toEqual(stampsOf(stored()));
  });

  test('with identical content but other stamps, or keys in another order, changes no stamp', () => {
    const previous = stored();
    const input = site();
    input.last_updated = T1;
    input.evses![1]!.last_updated = T1;
    input.evses![0]!.connectors[1]!.last_updated = '2000-01-01T00:00:00Z';
    const reordered = reverseKeys(input) as UnstampedLocation;
    expect(Object.keys(reordered)[0]).toBe('last_updated');
    expect(stampsOf(stampLocation(input, previous, T1))).toEqual(stampsOf(previous));
    expect(stampsOf(stampLocation(reordered, previous, T1))).toEqual(stampsOf(previous));
  });

  test('changing one connector bumps that connector, its EVSE and the location; the rest keep their stamps', () => {
    const input = site();
    input.evses![0]!.connectors[1]!.max_amperage = 400;
    const location = stampLocation(input, stored(), T1);
    expect(stampsOf(location)).toEqual({
      location: T1,
      'evse E1': T1,
      'connector E1/1': T0,
      'connector E1/2': T1,
      'evse E2': T0,
      'connector E2/1': T0,
    });
    expect(location.evses![0]!.connectors[1]!.max_amperage).toBe(400);
  });

  test('adding an optional field to a connector (tariff_ids) counts as a change', () => {
    const input = site();
    input.evses![1]!.connectors[0]!.tariff_ids = ['T1'];
    expect(stampsOf(stampLocation(input, stored(), T1))).toMatchObject({ location: T1, 'evse E2': T1, 'connector E2/1': T1, 'evse E1': T0 });
  });

  test('changing an EVSE\'s own field (status) bumps the EVSE and the location, not its connectors', () => {
    const input = site();
    input.evses![1]!.status = 'CHARGING';
    expect(stampsOf(stampLocation(input, stored(), T1))).toEqual({
      location: T1,
      'evse E1': T0,
      'connector E1/1': T0,
      'connector E1/2': T0,
      'evse E2': T1,
      'connector E2/1': T0,
    });
  });

  test('changing only a location field (name) bumps the location only', () => {
    const input = site();
    input.name = 'Station (renamed)';
    const stamps = stampsOf(stampLocation(input, stored(), T1));
    expect(stamps.location).toBe(T1);
    expect(Object.entries(stamps).filter(([k]) => k !== 'location').every(([, v]) => v === T0)).toBe(true);
  });

  test('dropping an optional location field is a change too (PUT replaces the whole object)', () => {
    const { name: _, ...input } = site();
    expect(stampLocation(input, stored(), T1).last_updated).toBe(T1);
  });

  test('adding an EVSE stamps it and the location; the existing EVSEs keep theirs', () => {
    const input = site();
    input.evses!.push({ uid: 'E3', status: 'PLANNED', connectors: [{ id: '1', standard: 'CHADEMO', format: 'CABLE', power_type: 'DC', max_voltage: 500, max_amperage: 125 }] });
    expect(stampsOf(stampLocation(input, stored(), T1))).toEqual({
      ...stampsOf(stored()),
      location: T1,
      'evse E3': T1,
      'connector E3/1': T1,
    });
  });

  test('removing an EVSE bumps the location', () => {
    const input = site();
    input.evses!.pop();
    const location = stampLocation(input, stored(), T1);
    expect(stampsOf(location)).toEqual({ location: T1, 'evse E1': T0, 'connector E1/1': T0, 'connector E1/2': T0 });
  });

  test('removing a connector bumps its EVSE and the location', () => {
    const input = site();
    input.evses![0]!.connectors.pop();
    expect(stampsOf(stampLocation(input, stored(), T1))).toEqual({ location: T1, 'evse E1': T1, 'connector E1/1': T0, 'evse E2': T0, 'connector E2/1': T0 });
  });

  test('EVSEs and connectors are matched to their previous stamps by id, not by position', () => {
    const previous = stored();
    const swapped = site();
    swapped.evses!.reverse();
    swapped.evses![1]!.connectors.reverse();
    swapped.evses![1]!.connectors[0]!.max_amperage = 250; // connector 2 of E1, now listed first
    expect(stampsOf(stampLocation(swapped, previous, T1))).toEqual({
      location: T1,
      'evse E2': T0,
      'connector E2/1': T0,
      'evse E1': T1,
      'connector E1/2': T1,
      'connector E1/1': T0,
    });
  });

  test('a second change later bumps again; an untouched part keeps its first stamp through both', () => {
    const T2 = '2024-03-01T12:00:00Z';
    const first = site();
    first.evses![0]!.status = 'CHARGING';
    const afterFirst = stampLocation(first, stored(), T1);
    const second = structuredClone(first);
    second.evses![0]!.connectors[0]!.max_amperage = 20;
    const afterSecond = stampLocation(second, afterFirst, T2);
    expect(stampsOf(afterSecond)).toEqual({
      location: T2,
      'evse E1': T2,
      'connector E1/1': T2,
      'connector E1/2': T0,
      'evse E2': T0,
      'connector E2/1': T0,
    });
  });
});
