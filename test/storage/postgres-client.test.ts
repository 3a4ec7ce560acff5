/**
 * The synchronous PostgreSQL client (src/storage/postgres/client.ts) on what the contract suites do not reach:
 * values round-trip as bun:sqlite gives them, and a connection the server drops is re-opened, but never in the
 * middle of a transaction (the rest of it must not commit on its own).
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { PostgresClient } from '../../src/storage/postgres/client.ts';
import { freshPostgresDatabase, postgresServerUrl, releasePostgresDatabase } from '../support/test-database.ts';

let url: string;
let client: PostgresClient;
beforeAll(() => {
  url = freshPostgresDatabase();
  client = new PostgresClient(url);
  client.exec('CREATE TABLE probe (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, at_ms integer, ratio real, note text, data blob)');
});
afterAll(() => {
  client.close();
  releasePostgresDatabase(url);
});

/** Ends the client's server session from another connection, as a server restart or a network cut would. */
function dropConnection() {
  const admin = new PostgresClient(postgresServerUrl());
  admin.prepare("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()").all(new URL(url).pathname.slice(1));
  admin.close();
}

test('values come back as bun:sqlite gives them: numbers (beyond 32 bits too), null, text, bytes; booleans stored as 1/0', () => {
  const insert = client.prepare('INSERT INTO probe (id, at_ms, ratio, note, data) VALUES (?, ?, ?, ?, ?) RETURNING id');
  const { id } = insert.get(null, 1_780_000_000_123, 0.25, 'Zürich ⚡ "quoted" ?', new Uint8Array([0, 1, 255])) as { id: number };
  expect(id).toBe(1);
  expect(client.prepare('SELECT at_ms AS "atMs", ratio, note, data FROM probe WHERE id = ?').get(id)).toEqual({
    atMs: 1_780_000_000_123,
    ratio: 0.25,
    note: 'Zürich ⚡ "quoted" ?',
    data: Buffer.from([0, 1, 255]),
  });
  client.run('INSERT INTO probe (at_ms, note) VALUES (?, ?)', [true, null]);
  expect(client.prepare('SELECT id, at_ms, note FROM probe WHERE id = 2').values()).toEqual([[2, 1, null]]);
  expect(client.prepare('SELECT count(*) AS n, sum(at_ms) AS total FROM probe').get()).toEqual({ n: 2, total: 1_780_000_000_124 });
  expect(client.prepare('SELECT id FROM probe WHERE id = ?').get(99)).toBeNull();
});

test('a connection the server dropped fails the statement that finds it gone, and is opened again for the next', () => {
  const count = client.prepare('SELECT count(*) AS n FROM probe');
  dropConnection();
  expect(() => count.get()).toThrow('server closed the connection');
  expect(count.get()).toEqual({ n: 2 });
});

test('a transaction finding the connection dropped while idle starts on a new one (nothing had run)', () => {
  dropConnection();
  client.transaction(() => client.run('INSERT INTO probe (note) VALUES (?)', ['after an idle drop']))();
  expect(client.prepare('SELECT note FROM probe WHERE id = 3').get()).toEqual({ note: 'after an idle drop' });
});

test('a connection dropped inside a transaction fails it, commits none of it, and is opened again afterwards', () => {
  const insert = client.prepare('INSERT INTO probe (note) VALUES (?)');
  expect(() =>
    client.transaction(() => {
      insert.run('before the cut');
      dropConnection();
      insert.run('after the cut');
    })(),
  ).toThrow('server closed the connection');
  expect(client.prepare("SELECT count(*) AS n FROM probe WHERE note LIKE '%the cut'").get()).toEqual({ n: 0 });
  client.transaction(() => insert.run('next transaction'))();
  expect(client.prepare("SELECT note FROM probe WHERE note = 'next transaction'").all()).toEqual([{ note: 'next transaction' }]);
});

test('a NUL in a text value (PostgreSQL text cannot hold one) is stored as U+FFFD, never cut off there', () => {
  client.run('INSERT INTO probe (note) VALUES (?)', ['A']);
  expect(client.prepare('SELECT count(*) AS n FROM probe WHERE note = ?').get('A\0B')).toEqual({ n: 0 });
  client.run('INSERT INTO probe (note) VALUES (?)', ['A\0B']);
  expect(client.prepare("SELECT note FROM probe WHERE note LIKE 'A_%'").all()).toEqual([{ note: 'A\uFFFDB' }]);
});

test('a COMMIT after a statement failed outside a savepoint (PostgreSQL rolled back instead) fails, as the batch did', () => {
  client.run('BEGIN IMMEDIATE');
  expect(client.inTransaction).toBe(true);
  client.run('INSERT INTO probe (note) VALUES (?)', ['in the failed batch']);
  expect(() => client.run('INSERT INTO probe (id) VALUES (?)', [1])).toThrow('duplicate key');
  expect(() => client.run('COMMIT')).toThrow('rolled back');
  expect(client.inTransaction).toBe(false);
  expect(client.prepare("SELECT count(*) AS n FROM probe WHERE note = 'in the failed batch'").get()).toEqual({ n: 0 });
});

test('transactions opened by a BEGIN run directly (the group commit) take nested ones as savepoints', () => {
  client.run('BEGIN IMMEDIATE');
  client.transaction(() => client.run('INSERT INTO probe (note) VALUES (?)', ['kept step']))();
  expect(() =>
    client.transaction(() => {
      client.run('INSERT INTO probe (note) VALUES (?)', ['failed step']);
      throw new Error('step failed');
    })(),
  ).toThrow('step failed');
  client.run('COMMIT');
  expect(client.prepare("SELECT note FROM probe WHERE note LIKE '% step' ORDER BY id").all()).toEqual([{ note: 'kept step' }]);
});
