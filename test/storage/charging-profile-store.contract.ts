/**
 * ChargingProfileStore: per session, the OCPP chargingProfileId its eMSP's profiles carry, the profile the station
 * took, whether the eMSP ever set one successfully, and the schedule it was last told (actors/charging-profiles).
 */
import { describe, expect, test } from 'bun:test';
import type { ActiveChargingProfile, ChargingProfile } from '../../src/model/ocpi/charging-profiles.ts';
import type { ChargingProfileStore } from '../../src/storage/ports.ts';
import { freshPerTest, type AdapterUnderTest } from './adapter-fixture.ts';
import { iso, T0 } from './mothers.ts';

const watts: ChargingProfile = { charging_rate_unit: 'W', charging_profile_period: [{ start_period: 0, limit: 7400 }] };
const amps: ChargingProfile = { start_date_time: iso(T0), duration: 3600, charging_rate_unit: 'A', min_charging_rate: 6.5, charging_profile_period: [{ start_period: 0, limit: 16 }, { start_period: 900, limit: 10.7 }] };
const active: ActiveChargingProfile = { start_date_time: iso(T0), charging_profile: { start_date_time: iso(T0), duration: 900, charging_rate_unit: 'W', charging_profile_period: [{ start_period: 0, limit: 7383 }] } };

export function describeChargingProfileStoreContract(name: string, makeAdapter: () => AdapterUnderTest<ChargingProfileStore>) {
  describe(`ChargingProfileStore contract: ${name}`, () => {
    const fixture = freshPerTest(makeAdapter);
    const store = () => fixture().adapter;

    test('a session without a request has no record', () => {
      expect(store().get('s-1')).toBeUndefined();
    });

    test('the first request opens the record with its own profile id; opening again returns the same', () => {
      const first = store().open('s-1', 'emsp-1');
      expect(first).toEqual({ sessionId: 's-1', partnerId: 'emsp-1', ocppProfileId: first.ocppProfileId, profile: null, acceptedAtMs: null, unit: null, active: null });
      expect(Number.isInteger(first.ocppProfileId)).toBe(true);
      expect(store().open('s-1', 'emsp-1')).toEqual(first);
      const other = store().open('s-2', 'emsp-1');
      expect(other.ocppProfileId).not.toBe(first.ocppProfileId);
    });

    test('an accepted profile reads back exactly; the first acceptance is kept', () => {
      store().open('s-1', 'emsp-1');
      store().accepted('s-1', watts, T0);
      expect(store().get('s-1')).toMatchObject({ profile: watts, acceptedAtMs: T0, unit: 'W' });
      store().accepted('s-1', amps, T0 + 60_000);
      expect(store().get('s-1')).toMatchObject({ profile: amps, acceptedAtMs: T0, unit: 'A' });
    });

    test('a reported schedule is kept until a new profile or a clear makes it stale', () => {
      store().open('s-1', 'emsp-1');
      store().accepted('s-1', watts, T0);
      store().reported('s-1', active);
      expect(store().get('s-1')?.active).toEqual(active);
      store().accepted('s-1', amps, T0 + 1000);
      expect(store().get('s-1')?.active).toBeNull();
      store().reported('s-1', active);
      store().cleared('s-1');
      expect(store().get('s-1')).toMatchObject({ profile: null, active: null, acceptedAtMs: T0, unit: 'A' });
    });
  });
}
