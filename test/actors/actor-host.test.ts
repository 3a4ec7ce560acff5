import { describe, expect, test } from 'bun:test';
import { createMachine } from 'xstate';
import { ActorEventRejected, ActorHost } from '../../actors/system/actor-host.ts';
import { xstateClock } from '../../src/lib/clock.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { eventually } from '../support/eventually.ts';
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

test('an event whose transition changes nothing but runs an action is accepted and saved', () => {
  const store = memoryStore();
  const rung: string[] = [];
  const bell = createMachine({ id: 'bell', initial: 'idle', states: { idle: { on: { RING: { actions: () => rung.push('ring') } } } } });
  const host = new ActorHost(bell, 1, store, transact, () => new Date());
  host.create('b1', undefined as never);
  host.send('b1', { type: 'RING' });
  expect(rung).toEqual(['ring']);
  expect(store.saves).toBe(2);
});

test('events sent together: a refusal of a later one undoes the earlier ones, in memory too', () => {
  const store = memoryStore();
  const host = new ActorHost(door, 1, store, transact, () => new Date());
  host.create('d5', undefined as never);
  expect(() => host.send('d5', [{ type: 'OPEN' }, { type: 'OPEN' }])).toThrow(ActorEventRejected);
  expect(store.saves).toBe(1);
  expect(host.snapshot('d5')?.value).toBe('closed');
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

describe('idle eviction', () => {
  // A door that raises an alarm when left open 90 s (a delayed transition on the Clock, as a station's offline grace).
  const setUp = () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    const store = memoryStore();
    const alarms: number[] = [];
    const alarmed = createMachine({
      id: 'alarmed',
      initial: 'closed',
      states: { closed: { on: { OPEN: 'open' } }, open: { after: { 90_000: { actions: () => alarms.push(clock.now().getTime()) } }, on: { CLOSE: 'closed' } } },
    });
    const host = new ActorHost(alarmed, 1, store, transact, () => clock.now(), xstateClock(clock), { afterMs: 30_000, clock });
    return { clock, store, host, alarms };
  };

  test('an actor nobody asked for in a whole sweep interval leaves memory and comes back as it was', () => {
    const { clock, host } = setUp();
    host.create('a', undefined as never);
    host.create('b', undefined as never);
    clock.advance(30_000);
    expect(host.live).toBe(2);
    host.get('b');
    clock.advance(30_000);
    expect(host.live).toBe(1);
    clock.advance(30_000);
    expect(host.live).toBe(0);
    // Nothing live, nothing to sweep: no timer keeps running.
    expect(clock.pending).toBe(0);
    host.send('a', { type: 'OPEN' });
    expect(host.live).toBe(1);
    expect(host.snapshot('a')?.value).toBe('open');
  });

  /** Door `a` opened now: its alarm is armed for 90 s later. */
  const openDoor = () => {
    const setup = setUp();
    const at = setup.clock.now().getTime();
    setup.host.create('a', undefined as never);
    setup.host.send('a', { type: 'OPEN' });
    return { ...setup, openedAt: at };
  };

  test('an actor with an armed delayed transition stays until it has fired, then leaves', () => {
    const { clock, host, alarms, openedAt: at } = openDoor();
    clock.advance(89_999);
    expect(host.live).toBe(1);
    expect(alarms).toEqual([]);
    clock.advance(1);
    expect(alarms).toEqual([at + 90_000]);
    clock.advance(30_000);
    expect(host.live).toBe(0);
    // Hydrated again, it is still open and arms nothing: the alarm went once.
    expect(host.snapshot('a')?.value).toBe('open');
    clock.advance(200_000);
    expect(alarms).toHaveLength(1);
  });

  test('a refused event leaves the actor and its armed timer in memory', () => {
    const { clock, host, alarms, openedAt: at } = openDoor();
    clock.advance(10_000);
    expect(() => host.send('a', { type: 'OPEN' })).toThrow(ActorEventRejected);
    expect(host.live).toBe(1);
    clock.advance(80_000);
    expect(alarms).toEqual([at + 90_000]);
  });

  test('a sweep of thousands goes a slice per event-loop turn; an actor asked for meanwhile stays', async () => {
    const { clock, host } = setUp();
    for (let i = 0; i < 2_500; i++) host.create(`d${i}`, undefined as never);
    // The first sweep spares them all (just created), its slices done when it has armed the next one.
    clock.advance(30_000);
    await eventually(() => expect(clock.pending).toBe(1));
    clock.advance(30_000);
    // The first slice at once, not the whole sweep: the loop is not held for all of them.
    expect(host.live).toBeGreaterThan(0);
    expect(host.live).toBeLessThan(2_500);
    host.get('d2499');
    await eventually(() => expect(host.live).toBe(1));
    expect(host.snapshot('d2499')?.value).toBe('closed');
    clock.advance(60_000);
    await eventually(() => expect(host.live).toBe(0));
  });

  test('stopAll cancels the sweep', () => {
    const { clock, host } = setUp();
    host.create('a', undefined as never);
    host.stopAll();
    expect(clock.pending).toBe(0);
  });
});
