/**
 * SnapshotCollection: where an actor kind keeps its persisted snapshots (actors/system/actor-host.ts loads one
 * on first access, saves one after every accepted event, and lists them all at boot).
 */
import { describe, expect, test } from 'bun:test';
import type { SnapshotCollection } from '../../src/storage/ports.ts';
import { freshPerTest, type AdapterUnderTest } from './adapter-fixture.ts';
import { richSnapshot } from './mothers.ts';

const at = new Date('2025-03-01T10:00:00Z');
const later = new Date('2025-03-01T10:05:00Z');

export function describeSnapshotCollectionContract(name: string, makeAdapter: () => AdapterUnderTest<SnapshotCollection>) {
  describe(`SnapshotCollection contract: ${name}`, () => {
    const fixture = freshPerTest(makeAdapter);
    const store = () => fixture().adapter;

    test('an id never saved loads nothing and is not listed', () => {
      expect(store().load('nobody')).toBeUndefined();
      expect(store().ids()).toEqual([]);
    });

    test('a saved snapshot loads back exactly, with the machine version it was written by', () => {
      store().save('p-1', 3, richSnapshot, at);
      expect(store().load('p-1')).toMatchObject({ machineVersion: 3, snapshot: richSnapshot });
    });

    test('saving again replaces the snapshot and its version; the id stays listed once', () => {
      store().save('p-1', 1, { value: 'first' }, at);
      store().save('p-1', 2, { value: 'second' }, later);
      expect(store().load('p-1')).toMatchObject({ machineVersion: 2, snapshot: { value: 'second' } });
      expect(store().ids()).toEqual(['p-1']);
    });

    test('ids lists every saved actor, each once', () => {
      for (const id of ['p-2', 'p-1', 'p-3']) store().save(id, 1, { value: id }, at);
      expect(store().ids().toSorted()).toEqual(['p-1', 'p-2', 'p-3']);
    });

    test('snapshots of different ids are independent', () => {
      store().save('p-1', 1, { value: 'one' }, at);
      store().save('p-2', 1, { value: 'two' }, at);
      expect(store().load('p-1')?.snapshot).toEqual({ value: 'one' });
      expect(store().load('p-2')?.snapshot).toEqual({ value: 'two' });
    });

    test('a loaded snapshot is a copy: changing it does not change what is stored', () => {
      store().save('p-1', 1, { value: 'stored', context: { n: 1 } }, at);
      const loaded = store().load('p-1')!.snapshot as { context: { n: number } };
      loaded.context.n = 99;
      expect(store().load('p-1')?.snapshot).toEqual({ value: 'stored', context: { n: 1 } });
    });
  });
}
