/**
 * ChargePointRegistry: the registered stations (registration itself is the operator API's business, not the
 * port's), their charge-point actors' snapshots, and the sessions still running at each — what must be stopped
 * before a station is removed (actors/charge-point).
 */
import { describe, expect, test } from 'bun:test';
import type { ChargePointRegistry, SessionStore } from '../../src/storage/ports.ts';
import { freshPerTest, type AdapterUnderTest } from './adapter-fixture.ts';
import { aSessionSnapshot, richSnapshot, T0, type SessionState } from './mothers.ts';

export interface ChargePointRegistryUnderTest extends AdapterUnderTest<ChargePointRegistry> {
  /** Registers a station, as the operator API does. */
  register(chargePointId: string): void;
  /** Sessions are written through their own port. */
  sessions: SessionStore;
}

const at = new Date(T0);

export function describeChargePointRegistryContract(name: string, makeAdapter: () => ChargePointRegistryUnderTest) {
  describe(`ChargePointRegistry contract: ${name}`, () => {
    const fixture = freshPerTest(makeAdapter);
    const registry = () => fixture().adapter;
    const session = (id: string, chargePointId: string, state: SessionState, ocppEvseId = 1) =>
      fixture().sessions.snapshots.save(id, 1, aSessionSnapshot({ id, chargePointId, state, ocppEvseId }), at);

    test('an unregistered station is unknown, has no snapshot, and cannot be deleted', () => {
      expect(registry().get('CP-1')).toBeUndefined();
      expect(registry().snapshots.load('CP-1')).toBeUndefined();
      expect(registry().delete('CP-1')).toBe(false);
    });

    test('a registered station is known, with no snapshot until its actor saves one', () => {
      fixture().register('CP-1');
      expect(registry().get('CP-1')).toBeDefined();
      expect(registry().snapshots.load('CP-1')).toBeUndefined();
      expect(registry().snapshots.ids()).toEqual([]);
    });

    test('the snapshot of an unregistered station is refused', () => {
      expect(() => registry().snapshots.save('CP-1', 1, richSnapshot, at)).toThrow();
      expect(registry().snapshots.load('CP-1')).toBeUndefined();
    });

    test("a registered station's snapshot loads back exactly, with its machine version; saving again replaces it", () => {
      fixture().register('CP-1');
      registry().snapshots.save('CP-1', 1, { value: 'offline' }, at);
      registry().snapshots.save('CP-1', 2, richSnapshot, at);
      expect(registry().snapshots.load('CP-1')).toEqual({ machineVersion: 2, snapshot: richSnapshot });
    });

    test('ids lists the stations that have a snapshot, each once', () => {
      for (const id of ['CP-1', 'CP-2', 'CP-3']) fixture().register(id);
      registry().snapshots.save('CP-1', 1, { value: 'offline' }, at);
      registry().snapshots.save('CP-3', 1, { value: 'offline' }, at);
      registry().snapshots.save('CP-3', 1, { value: 'online' }, at);
      expect(registry().snapshots.ids().toSorted()).toEqual(['CP-1', 'CP-3']);
    });

    test('a deleted station is gone with its snapshot; deleting it again is refused', () => {
      fixture().register('CP-1');
      fixture().register('CP-2');
      registry().snapshots.save('CP-1', 1, { value: 'offline' }, at);
      registry().snapshots.save('CP-2', 1, { value: 'offline' }, at);
      expect(registry().delete('CP-1')).toBe(true);
      expect(registry().delete('CP-1')).toBe(false);
      expect(registry().get('CP-1')).toBeUndefined();
      expect(registry().snapshots.load('CP-1')).toBeUndefined();
      expect(registry().snapshots.ids()).toEqual(['CP-2']);
      expect(registry().get('CP-2')).toBeDefined();
    });

    test('a station registered again after deletion starts without a snapshot', () => {
      fixture().register('CP-1');
      registry().snapshots.save('CP-1', 1, { value: 'offline' }, at);
      registry().delete('CP-1');
      fixture().register('CP-1');
      expect(registry().snapshots.load('CP-1')).toBeUndefined();
    });

    test("running sessions are the station's pending and active ones, on any EVSE", () => {
      fixture().register('CP-1');
      session('pending', 'CP-1', 'pending', 1);
      session('active', 'CP-1', 'active', 2);
      session('reserved', 'CP-1', 'reserved', 3);
      session('completed', 'CP-1', 'completed', 1);
      session('elsewhere', 'CP-2', 'active', 1);
      expect(registry().runningSessions('CP-1').toSorted()).toEqual(['active', 'pending']);
      expect(registry().runningSessions('CP-3')).toEqual([]);
    });

    test('a session that completes stops running', () => {
      session('s-1', 'CP-1', 'active');
      session('s-1', 'CP-1', 'completed');
      expect(registry().runningSessions('CP-1')).toEqual([]);
    });
  });
}
