import { expect, test } from 'bun:test';
import { createMachine } from 'xstate';
import { ActorEventRejected, ActorHost } from '../../actors/system/actor-host.ts';
import type { SnapshotStore } from '../../src/storage/ports.ts';

const door = createMachine({
  id: 'door',
  initial: 'closed',
  states: { closed: { on: { OPEN: 'open' } }, open: { on: { CLOSE: 'closed', REMOVE: 'removed' } }, removed: { type: 'final' } },
});

function memoryStore() {
  const rows = new Map<string, { machineVersion: number; snapshot: unknown }>();
  const store: SnapshotStore & { saves: number; failNext: boolean } = {
    saves: 0,
    failNext: false,
    load: (id) => rows.get(id),
    save(id, machineVersion, snapshot) {
      if (store.failNext) {
        store.failNext = false;
        throw new Error('disk full');
      }
      store.saves += 1;
      rows.set(id, { machineVersion, snapshot: structuredClone(snapshot) });
    },
  };
  return store;
}
/** Each step on its own (no database): what the host does around a step is under test, not the commit. */
const transact = { step: <T>(fn: () => T) => fn() };

test('every accepted event is persisted; a refused one changes nothing', () => {
  const store = memoryStore();
  const host = new ActorHost(door, 1, store, transact, () => new Date());
  host.create('d1', undefined as never);
  host.send('d1', { type: 'OPEN' });
  expect(store.saves).toBe(2);
  expect(() => host.send('d1', { type: 'OPEN' })).toThrow(ActorEventRejected);
  expect(store.saves).toBe(2);
  // A fresh host (a restart) restores the last state.
  expect(new ActorHost(door, 1, store, transact, () => new Date()).snapshot('d1')?.value).toBe('open');
});

test('a failed commit leaves memory as the database has it', () => {
  const store = memoryStore();
  const host = new ActorHost(door, 1, store, transact, () => new Date());
  host.create('d2', undefined as never);
  store.failNext = true;
  expect(() => host.send('d2', { type: 'OPEN' })).toThrow('disk full');
  expect(host.snapshot('d2')?.value).toBe('closed');
});

test('a finished actor leaves memory but can still be read', () => {
  const store = memoryStore();
  const host = new ActorHost(door, 1, store, transact, () => new Date());
  host.create('d3', undefined as never);
  host.send('d3', { type: 'OPEN' });
  host.send('d3', { type: 'REMOVE' });
  expect(host.live).toBe(0);
  expect(host.snapshot('d3')?.value).toBe('removed');
  expect(() => host.send('d3', { type: 'CLOSE' })).toThrow(ActorEventRejected);
});

test('a snapshot of another machine version is refused, not misread', () => {
  const store = memoryStore();
  new ActorHost(door, 1, store, transact, () => new Date()).create('d4', undefined as never);
  expect(() => new ActorHost(door, 2, store, transact, () => new Date()).get('d4')).toThrow('machine version 1');
});
