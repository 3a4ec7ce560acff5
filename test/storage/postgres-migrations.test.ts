/**
 * Migrations on PostgreSQL: `bun run db:migrate` on an empty database, three times at once (as nodes starting
 * together would): all succeed, the migrations are applied once (the advisory lock), and the schema is usable.
 */
import { afterAll, expect, test } from 'bun:test';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { PostgresClient } from '../../src/storage/postgres/client.ts';
import { postgresServerUrl } from '../support/test-database.ts';

const root = join(import.meta.dir, '../..');
const shipped = (JSON.parse(readFileSync(join(root, 'drizzle/meta/_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;
const name = `dynamo_migrate_${process.pid}`;
const admin = new PostgresClient(postgresServerUrl());
admin.exec(`DROP DATABASE IF EXISTS ${name}`);
admin.exec(`CREATE DATABASE ${name}`);
const url = new URL(postgresServerUrl());
url.pathname = `/${name}`;
afterAll(() => {
  admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  admin.close();
});

async function migrate() {
  const proc = Bun.spawn(['bun', 'src/db-migrate.ts'], { cwd: root, env: { PATH: process.env.PATH ?? '', DATABASE_URL: url.toString() }, stdout: 'pipe', stderr: 'pipe' });
  const [code, out, err] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  return { code, out: out.trim(), err: err.trim() };
}

test('three db:migrate runs at once on an empty database: each succeeds, every migration is applied once', async () => {
  const runs = await Promise.all([migrate(), migrate(), migrate()]);
  for (const run of runs) {
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(run.out).toEndWith(`: ${shipped} of ${shipped} migrations applied, schema up to date`);
  }
  const db = new PostgresClient(url.toString());
  try {
    expect(db.prepare('SELECT count(*) AS n, count(DISTINCT hash) AS distinct_hashes FROM __drizzle_migrations').get()).toEqual({ n: shipped, distinct_hashes: shipped });
    // The schema works: an id is filled in for a row inserted without one, as SQLite's AUTOINCREMENT does.
    db.run("INSERT INTO outbox (id, channel, object_key, method, path, status, attempts, created_at_ms, next_attempt_at_ms) VALUES (NULL, 'c', 'k', 'PUT', '/x', 'pending', 0, 1780000000000, 1780000000000)");
    expect(db.prepare('SELECT id, created_at_ms AS at FROM outbox').all()).toEqual([{ id: 1, at: 1_780_000_000_000 }]);
  } finally {
    db.close();
  }
});
