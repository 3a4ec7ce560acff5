/**
 * GuestSessionStore: the snapshots of guest (ad-hoc, pay-by-card) session actors, found by the id tag the
 * station sees (the snapshot context's `idTag`), and listed at boot (actors/guest).
 */
import { describe, expect, test } from 'bun:test';
import type { GuestSessionStore } from '../../src/storage/ports.ts';
import { freshPerTest, type AdapterUnderTest } from './adapter-fixture.ts';
import { aGuestSnapshot, T0 } from './mothers.ts';

const at = new Date(T0);

export function describeGuestSessionStoreContract(name: string, makeAdapter: () => AdapterUnderTest<GuestSessionStore>) {
  describe(`GuestSessionStore contract: ${name}`, () => {
    const fixture = freshPerTest(makeAdapter);
    const store = () => fixture().adapter;

    test('an unknown guest session loads nothing and no id tag leads to it', () => {
      expect(store().snapshots.load('g-1')).toBeUndefined();
      expect(store().idByIdTag('GUEST-1')).toBeUndefined();
      expect(store().ids()).toEqual([]);
    });

    test('a saved guest session loads back exactly, with its machine version', () => {
      const snapshot = aGuestSnapshot('GUEST-1', { note: 'Zoë ⚡', steps: [1, 2] });
      store().snapshots.save('g-1', 2, snapshot, at);
      expect(store().snapshots.load('g-1')).toEqual({ machineVersion: 2, snapshot, version: 0 });
    });

    test("a guest session is found by its context's id tag", () => {
      store().snapshots.save('g-1', 1, aGuestSnapshot('GUEST-1'), at);
      store().snapshots.save('g-2', 1, aGuestSnapshot('GUEST-2'), at);
      expect(store().idByIdTag('GUEST-1')).toBe('g-1');
      expect(store().idByIdTag('GUEST-2')).toBe('g-2');
      expect(store().idByIdTag('GUEST-3')).toBeUndefined();
    });

    test('saving again replaces the snapshot; the id tag still finds it and it is listed once', () => {
      store().snapshots.save('g-1', 1, aGuestSnapshot('GUEST-1'), at);
      const later = { ...aGuestSnapshot('GUEST-1'), value: 'charging' };
      store().snapshots.save('g-1', 2, later, new Date(T0 + 60_000));
      expect(store().snapshots.load('g-1')).toEqual({ machineVersion: 2, snapshot: later, version: 0 });
      expect(store().idByIdTag('GUEST-1')).toBe('g-1');
      expect(store().ids()).toEqual(['g-1']);
    });

    test('idsSince lists the guest sessions created at or after a time', () => {
      store().snapshots.save('g-old', 1, aGuestSnapshot('GUEST-1'), at);
      store().snapshots.save('g-new', 1, aGuestSnapshot('GUEST-2'), new Date(T0 + 60_000));
      expect(store().idsSince(T0 + 60_000)).toEqual(['g-new']);
      expect(store().idsSince(T0).toSorted()).toEqual(['g-new', 'g-old']);
    });

    test("a guest session's timer step is claimed once: every later claim of the same step is refused, another step is not", () => {
      expect(store().claimStep('g-1', 'expiry')).toBe(true);
      expect(store().claimStep('g-1', 'expiry')).toBe(false);
      expect(store().claimStep('g-1', 'start')).toBe(true);
      expect(store().claimStep('g-2', 'expiry')).toBe(true);
    });

    test('ids lists every guest session', () => {
      for (const n of [3, 1, 2]) store().snapshots.save(`g-${n}`, 1, aGuestSnapshot(`GUEST-${n}`), at);
      expect(store().ids().toSorted()).toEqual(['g-1', 'g-2', 'g-3']);
    });
  });
}
