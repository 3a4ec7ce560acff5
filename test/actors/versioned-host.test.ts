/**
 * HostPolicy.versioned (several nodes): two hosts on one database, each with its own connection, stand for two
 * nodes writing the same actor. Neither loses the other's change: a stale copy in memory is read again, and a
 * save that finds another version stored is undone and the event applied again to what is stored now.
 */
import { afterAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assign, setup } from 'xstate';
import { ActorHost } from '../../actors/system/actor-host.ts';
import { ActorWriteConflict } from '../../actors/system/write-conflict.ts';
import { createStorage, type Storage } from '../../src/storage/storage.ts';
import type { VersionedSnapshotStore } from '../../src/storage/ports.ts';
import { freshPostgresDatabase, onPostgres, releasePostgresDatabase } from '../support/test-database.ts';

const counter = setup({ types: { context: {} as { n: number }, events: {} as { type: 'ADD'; by: number } } }).createMachine({
  id: 'counter',
  context: { n: 0 },
  on: { ADD: { actions: assign({ n: ({ context, event }) => context.n + event.by }) } },
});

const dir = mkdtempSync(join(tmpdir(), 'dynamo-versioned-host-'));
const location = onPostgres() ? freshPostgresDatabase() : join(dir, 'nodes.sqlite');
const opened: Storage[] = [];
afterAll(() => {
  for (const storage of opened) storage.close();
  if (onPostgres()) releasePostgresDatabase(location);
  rmSync(dir, { recursive: true, force: true });
});

/** A node: its own connection and host; `afterLoad` runs once a snapshot is read (another node writing then). */
function node(afterLoad: () => void = () => {}) {
  const storage = createStorage(location);
  opened.push(storage);
  const stored = storage.partnerSnapshots;
  const store: VersionedSnapshotStore = {
    ...stored,
    load(id) {
      const row = stored.load(id);
      afterLoad();
      return row;
    },
  };
  const host = new ActorHost(counter, 1, store, { step: (fn) => storage.transact(fn) }, () => new Date(), undefined, undefined, { versioned: store });
  return { host, stored: (id: string) => stored.load(id) };
}

let ids = 0;
const n = (snapshot: unknown) => (snapshot as { context: { n: number } }).context.n;

test('a copy another node has written since is read again before the next event', () => {
  const id = `c-${++ids}`;
  const a = node();
  const b = node();
  a.host.create(id, undefined as never);
  expect(b.host.snapshot(id)?.context.n).toBe(0);
  a.host.send(id, { type: 'ADD', by: 1 });
  b.host.send(id, { type: 'ADD', by: 10 });
  expect(n(b.stored(id)?.snapshot)).toBe(11);
  expect(a.host.snapshot(id)?.context.n).toBe(11);
});

test('a save that finds another node’s write between read and save applies the event again to it', () => {
  const id = `c-${++ids}`;
  const a = node();
  let raced = false;
  // Node A writes right after B has read, before B saves: the window two nodes share on PostgreSQL.
  const b = node(() => {
    if (raced) return;
    raced = true;
    a.host.send(id, { type: 'ADD', by: 1 });
  });
  a.host.create(id, undefined as never);
  b.host.send(id, { type: 'ADD', by: 10 });
  expect(raced).toBe(true);
  expect(b.stored(id)).toMatchObject({ snapshot: { context: { n: 11 } }, version: 3 });
});

test('another node writing between every read and save: the caller gets a clear error and nothing of its event is stored', () => {
  const id = `c-${++ids}`;
  const a = node();
  const b = node(() => a.host.send(id, { type: 'ADD', by: 1 }));
  a.host.create(id, undefined as never);
  expect(() => b.host.send(id, { type: 'ADD', by: 10 })).toThrow(ActorWriteConflict);
  expect(n(b.stored(id)?.snapshot)).toBe(5);
});
