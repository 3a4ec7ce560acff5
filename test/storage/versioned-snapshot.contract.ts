/**
 * VersionedSnapshotStore: the snapshots any node may write (guest sessions, partners) are saved by compare-and-set
 * of a per-row version, so of two writers that read the same version only the first one's snapshot is stored.
 */
import { describe, expect, test } from 'bun:test';
import type { VersionedSnapshotStore } from '../../src/storage/ports.ts';
import { freshPerTest, type AdapterUnderTest } from './adapter-fixture.ts';
import { aGuestSnapshot, T0 } from './mothers.ts';

const at = new Date(T0);

export function describeVersionedSnapshotContract(name: string, makeAdapter: () => AdapterUnderTest<VersionedSnapshotStore>) {
  describe(`VersionedSnapshotStore contract: ${name}`, () => {
    const fixture = freshPerTest(makeAdapter);
    const store = () => fixture().adapter;
    const snapshot = (value: string) => ({ ...aGuestSnapshot('GUEST-1'), value });

    test('a first write creates version 1; an id never written has no version', () => {
      expect(store().versionOf('v-1')).toBeUndefined();
      expect(store().saveIfVersion('v-1', 1, snapshot('first'), at, undefined)).toBe(1);
      expect(store().load('v-1')).toEqual({ machineVersion: 1, snapshot: snapshot('first'), version: 1 });
      expect(store().versionOf('v-1')).toBe(1);
    });

    test('a first write finds the row already created: refused, the row unchanged', () => {
      store().saveIfVersion('v-1', 1, snapshot('first'), at, undefined);
      expect(store().saveIfVersion('v-1', 1, snapshot('other'), at, undefined)).toBeUndefined();
      expect(store().load('v-1')).toEqual({ machineVersion: 1, snapshot: snapshot('first'), version: 1 });
    });

    test('of two writers that read the same version, the second is refused and the first one’s snapshot stays', () => {
      store().saveIfVersion('v-1', 1, snapshot('read by both'), at, undefined);
      const read = store().load('v-1')!.version;
      expect(store().saveIfVersion('v-1', 1, snapshot('first writer'), at, read)).toBe(2);
      expect(store().saveIfVersion('v-1', 1, snapshot('second writer'), at, read)).toBeUndefined();
      expect(store().load('v-1')).toEqual({ machineVersion: 1, snapshot: snapshot('first writer'), version: 2 });
      // Read again, the second writer's change goes over the first one's.
      expect(store().saveIfVersion('v-1', 1, snapshot('second writer'), at, 2)).toBe(3);
      expect(store().load('v-1')?.snapshot).toEqual(snapshot('second writer'));
    });

    test('a row written by a node alone (plain save) is at version 0 and takes a compare-and-set over it', () => {
      store().save('v-1', 1, snapshot('alone'), at);
      expect(store().versionOf('v-1')).toBe(0);
      expect(store().saveIfVersion('v-1', 1, snapshot('cluster'), at, 0)).toBe(1);
      expect(store().load('v-1')).toEqual({ machineVersion: 1, snapshot: snapshot('cluster'), version: 1 });
    });
  });
}
