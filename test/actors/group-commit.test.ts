/**
 * The group commit on a real SQLite file, or on a PostgreSQL database of its own on a PostgreSQL run (the storage's
 * own batch port, either engine): many actor steps, one transaction; a step
 * that throws rolls back alone; a batch whose COMMIT fails takes every one of its steps back, in the database and
 * in memory; nobody waiting on a batch hears "done" before another connection can read its rows.
 */
import { afterAll, expect, test } from 'bun:test';
import type { Database } from 'bun:sqlite';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMachine } from 'xstate';
import { ActorHost } from '../../actors/system/actor-host.ts';
import { CommitFailed, GroupCommit } from '../../actors/system/group-commit.ts';
import { createStorage } from '../../src/storage/storage.ts';
import { removeDir } from '../support/server.ts';
import { freshPostgresDatabase, onPostgres, secondConnection } from '../support/test-database.ts';

const dir = mkdtempSync(join(tmpdir(), 'dynamo-group-commit-'));
const where = onPostgres() ? { databasePath: '', databaseUrl: freshPostgresDatabase() } : { databasePath: join(dir, 'dynamo.sqlite'), databaseUrl: undefined };
const storage = createStorage(where.databaseUrl ?? where.databasePath);
// A snapshot table of the test's own, and a child table whose foreign key is checked only at COMMIT: a row
// pointing nowhere makes the whole batch's COMMIT fail, as a full disk would.
storage.sqlite.run('CREATE TABLE door_snapshots (id TEXT PRIMARY KEY, v INTEGER, s TEXT)');
storage.sqlite.run('CREATE TABLE door_keys (id TEXT PRIMARY KEY)');
storage.sqlite.run('CREATE TABLE door_locks (key TEXT REFERENCES door_keys(id) DEFERRABLE INITIALLY DEFERRED)');
const reader: Database = secondConnection(where);
afterAll(() => {
  reader.close();
  storage.close();
  removeDir(dir);
});

const door = createMachine({ id: 'door', initial: 'closed', states: { closed: { on: { OPEN: 'open' } }, open: { on: { CLOSE: 'closed' } } } });
const store = {
  load(id: string) {
    const row = storage.sqlite.query<{ v: number; s: string }, [string]>('SELECT v, s FROM door_snapshots WHERE id = ?').get(id);
    return row ? { machineVersion: row.v, snapshot: JSON.parse(row.s) as unknown } : undefined;
  },
  save(id: string, machineVersion: number, snapshot: unknown) {
    storage.sqlite.run('INSERT INTO door_snapshots VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET v = excluded.v, s = excluded.s', [id, machineVersion, JSON.stringify(snapshot)]);
  },
};
const commits: number[] = [];
let failures = 0;
const group = new GroupCommit(storage.batch, storage.transact, (steps, error) => (error ? (failures += 1) : commits.push(steps)));
const host = new ActorHost(door, 1, store, group, () => new Date());
/** What another connection (another process after a crash) reads. */
const stored = (id: string) => {
  const row = reader.query<{ s: string }, [string]>('SELECT s FROM door_snapshots WHERE id = ?').get(id);
  return row ? (JSON.parse(row.s) as { value: string }).value : undefined;
};
const turnEnded = () => new Promise((resolve) => setImmediate(resolve));

test('the steps of one turn commit in one transaction, visible to others only once committed', async () => {
  await turnEnded();
  commits.length = 0;
  const mark = group.mark();
  for (const id of ['a1', 'a2', 'a3']) host.create(id, undefined as never);
  host.send('a2', { type: 'OPEN' });
  // What follows a change (a push, a call to a station) waits for its commit.
  let followedAt: string | undefined;
  group.afterCommit(() => (followedAt = stored('a3')));
  expect(host.snapshot('a2')?.value).toBe('open');
  expect(stored('a1')).toBeUndefined();
  const settled = group.settled(mark);
  expect(settled).toBeInstanceOf(Promise);
  await settled;
  expect(commits).toEqual([4]);
  expect(['a1', 'a2', 'a3'].map(stored)).toEqual(['closed', 'open', 'closed']);
  await Promise.resolve();
  expect(followedAt).toBe('closed');
  // Nothing open any more: an answer needs no wait.
  expect(group.settled(group.mark())).toBeUndefined();
});

test('a step that throws rolls back alone: its actor is as stored, the others of the batch commit', async () => {
  await turnEnded();
  commits.length = 0;
  const mark = group.mark();
  host.create('b1', undefined as never);
  host.create('b2', undefined as never);
  host.send('b1', { type: 'OPEN' });
  expect(() =>
    host.send('b2', { type: 'OPEN' }, () => {
      throw new Error('refused');
    }),
  ).toThrow('refused');
  expect(host.snapshot('b2')?.value).toBe('closed');
  host.create('b3', undefined as never);
  await group.settled(mark);
  expect(commits).toEqual([4]);
  expect(['b1', 'b2', 'b3'].map(stored)).toEqual(['open', 'closed', 'closed']);
});

test('a batch whose COMMIT fails: every step in it is undone, in the database and in memory, and its waiters hear it', async () => {
  await turnEnded();
  const first = group.mark();
  host.create('c1', undefined as never);
  await group.settled(first);
  await turnEnded();
  const before = { commits: commits.length, failures };
  const mark = group.mark();
  host.send('c1', { type: 'OPEN' });
  host.create('c2', undefined as never);
  host.create('c3', undefined as never, () => storage.sqlite.run("INSERT INTO door_locks VALUES ('no such key')"));
  let followed = false;
  group.afterCommit(() => (followed = true));
  expect(host.snapshot('c1')?.value).toBe('open');
  await expect(group.settled(mark)!).rejects.toBeInstanceOf(CommitFailed);
  expect([commits.length, failures]).toEqual([before.commits, before.failures + 1]);
  expect(['c1', 'c2', 'c3'].map(stored)).toEqual(['closed', undefined, undefined]);
  // …and nothing that was to follow it happens.
  await turnEnded();
  expect(followed).toBe(false);
  // The actors come back from storage as last committed; the ones never stored do not exist.
  expect(host.snapshot('c1')?.value).toBe('closed');
  expect(host.get('c2')).toBeUndefined();
  // An answer for work that began before the failure still hears of it once no batch is open.
  await expect(group.settled(mark)!).rejects.toBeInstanceOf(CommitFailed);
  // The next turn commits as usual.
  const next = group.mark();
  host.send('c1', { type: 'OPEN' });
  await group.settled(next);
  expect(stored('c1')).toBe('open');
});

test('onSettled: each waiter is called once, after the commit its rows are in, or with CommitFailed', async () => {
  await turnEnded();
  // Nothing open: nothing to wait for, nothing is called.
  expect(group.onSettled(group.mark(), () => expect.unreachable())).toBe(false);

  const heard: { id: string; value: string | undefined; failed: boolean }[] = [];
  const wait = (id: string, mark: number) => expect(group.onSettled(mark, (failed) => heard.push({ id, value: stored(id), failed: failed instanceof CommitFailed }))).toBe(true);
  let mark = group.mark();
  host.create('w1', undefined as never);
  wait('w1', mark);
  mark = group.mark();
  host.create('w2', undefined as never);
  wait('w2', mark);
  expect(heard).toEqual([]);
  await group.settled(mark);
  await Promise.resolve();
  expect(heard).toEqual([
    { id: 'w1', value: 'closed', failed: false },
    { id: 'w2', value: 'closed', failed: false },
  ]);

  // A batch that fails: its waiters hear it; so does one whose own batch commits but began before the failure.
  await turnEnded();
  heard.length = 0;
  const before = group.mark();
  host.send('w1', { type: 'OPEN' }, () => storage.sqlite.run("INSERT INTO door_locks VALUES ('no such key')"));
  wait('w1', before);
  await turnEnded();
  await Promise.resolve();
  host.send('w2', { type: 'OPEN' });
  wait('w2', before);
  await turnEnded();
  await Promise.resolve();
  expect(heard).toEqual([
    { id: 'w1', value: 'closed', failed: true },
    { id: 'w2', value: 'open', failed: true },
  ]);
  // No batch open, a failure since the mark: the waiter hears it in a microtask.
  expect(group.onSettled(before, (failed) => heard.push({ id: 'late', value: undefined, failed: failed instanceof CommitFailed }))).toBe(true);
  await Promise.resolve();
  expect(heard.at(-1)).toEqual({ id: 'late', value: undefined, failed: true });
});

test('a burst commits in pieces of at most 256 steps', async () => {
  await turnEnded();
  commits.length = 0;
  const mark = group.mark();
  for (let i = 0; i < 600; i++) host.create(`d${i}`, undefined as never);
  // The first two pieces are committed already, while the turn still runs.
  expect(stored('d255')).toBe('closed');
  expect(stored('d599')).toBeUndefined();
  await group.settled(mark);
  expect(commits).toEqual([256, 256, 88]);
  expect(stored('d599')).toBe('closed');
});

test('a step inside a transaction someone else opened commits with it, at once', () => {
  storage.transact(() => host.create('e1', undefined as never));
  expect(stored('e1')).toBe('closed');
});
