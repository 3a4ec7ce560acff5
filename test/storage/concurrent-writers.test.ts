/**
 * A second connection writes to the same database file (the trace worker does, from its own thread): a change the
 * API makes meanwhile waits for the write lock instead of failing with "database is locked".
 */
import { afterAll, expect, test } from 'bun:test';
import { removeDir, startTestServer } from '../support/server.ts';

// SQLite's one writer at a time (PostgreSQL locks rows, not the database).
const server = startTestServer({ sqliteFile: true });
afterAll(async () => {
  await server.stop();
  removeDir(server.dir);
});

const tariff = (price: number) => ({ currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price, step_size: 1 }] }] });

test('a PUT while another connection holds the write lock, then commits, succeeds after it', async () => {
  // The API reads the tariff first: a transaction that starts reading and only later writes is the one that failed.
  expect((await server.api('PUT', '/api/v1/tariffs/T-LOCK', tariff(0.3))).status).toBe(201);
  const holder = Bun.spawn(
    [
      'bun',
      '-e',
      `const { Database } = require('bun:sqlite');
       const db = new Database(process.argv[1]);
       db.exec('PRAGMA busy_timeout = 5000');
       db.exec('BEGIN IMMEDIATE');
       db.exec("UPDATE tariffs SET body = body WHERE 1 = 0");
       console.log('locked');
       setTimeout(() => { db.exec('COMMIT'); console.log('released'); }, 300);`,
      server.config.databasePath,
    ],
    { stdout: 'pipe' },
  );
  const reader = holder.stdout.getReader();
  expect(new TextDecoder().decode((await reader.read()).value)).toContain('locked');
  const answer = await server.api('PUT', '/api/v1/tariffs/T-LOCK', tariff(0.35));
  expect(answer.status).toBe(200);
  expect(answer.body.elements[0].price_components[0].price).toBe(0.35);
  await holder.exited;
});
