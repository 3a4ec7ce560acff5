/**
 * Where a test's server keeps its data. By default a SQLite file in the test's directory; with TEST_DATABASE_URL
 * (set by `bun run test` from DATABASE_URL, see run-tests.ts) a fresh PostgreSQL database per directory, copied from
 * a template migrated once per set of migrations (CREATE DATABASE … TEMPLATE: a few ms instead of migrating each
 * time). The databases a test process made are dropped when it ends (preload.ts).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PostgresClient } from '../../src/storage/postgres/client.ts';
import { connectPostgres, openPostgres } from '../../src/storage/postgres/db.ts';
import type { Config } from '../../src/config.ts';
import { Database } from 'bun:sqlite';
import { traceFileOf } from '../../src/storage/sqlite/trace.repo.ts';

/** The PostgreSQL server of a PostgreSQL run (run-tests.ts sets it from DATABASE_URL); unset on a SQLite run. */
const runUrl = () => process.env.TEST_DATABASE_URL;

/**
 * The PostgreSQL server the PostgreSQL-only tests use on any run: the run's, else TEST_POSTGRES_URL (.ci/run sets
 * it), else the local server with trust authentication. Commits need not wait for the disk in tests.
 */
export const postgresServerUrl = () =>
  runUrl() ?? process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres?options=-c%20client_min_messages%3Dwarning%20-c%20synchronous_commit%3Doff';
/** Databases of one run share a prefix, so a run that died can be cleaned up by the next (run-tests.ts). */
export const TEST_DATABASE_PREFIX = 'dynamo_test_';
const runTag = process.env.TEST_RUN_TAG ?? `solo${process.pid}`;

/** True when this run stores in PostgreSQL. */
export const onPostgres = () => runUrl() !== undefined;

let admin: PostgresClient | undefined;
let template: string | undefined;
let made = 0;
const created: string[] = [];
const byDir = new Map<string, string>();
const released: string[] = [];

function urlOf(database: string): string {
  const url = new URL(postgresServerUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

/** The template's name changes with the migrations, so a stale template is never copied. */
function templateName(): string {
  const folder = join(import.meta.dir, '../../drizzle');
  const hash = createHash('sha256');
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.sql')).sort()) hash.update(readFileSync(join(folder, file)));
  return `dynamo_template_${hash.digest('hex').slice(0, 12)}`;
}

/** The migrated template, made once by whichever test process gets there first (the others wait on the lock). */
function ensureTemplate(client: PostgresClient): string {
  const name = templateName();
  client.exec(`SELECT pg_advisory_lock(hashtext('${name}'))`);
  try {
    if (!client.prepare('SELECT 1 AS found FROM pg_database WHERE datname = ?').get(name)) {
      client.exec(`CREATE DATABASE ${name}`);
      try {
        openPostgres(urlOf(name)).sqlite.close();
      } catch (error) {
        client.exec(`DROP DATABASE IF EXISTS ${name}`);
        throw error;
      }
    }
  } finally {
    client.exec(`SELECT pg_advisory_unlock(hashtext('${name}'))`);
  }
  return name;
}

/**
 * An empty migrated PostgreSQL database of its own; its URL. One given back (`releasePostgresDatabase`) is emptied
 * and handed out again: creating a database costs hundreds of milliseconds of disk writes, emptying one a few.
 */
export function freshPostgresDatabase(): string {
  const url = postgresServerUrl();
  const reused = released.pop();
  if (reused) {
    empty(reused);
    return reused;
  }
  admin ??= new PostgresClient(url);
  template ??= ensureTemplate(admin);
  const name = `${TEST_DATABASE_PREFIX}${runTag}_${process.pid}_${++made}`.toLowerCase();
  admin.exec(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  created.push(name);
  return urlOf(name);
}

/** The database is no longer used by anyone (its storage closed): the next `freshPostgresDatabase` may take it. */
export function releasePostgresDatabase(url: string) {
  released.push(url);
}

/**
 * Every row gone and every id sequence back at 1, as in the template; the migrations stay recorded. A server still
 * connected to it (one a test left running) loses its connections first.
 */
function empty(url: string) {
  const client = new PostgresClient(url);
  try {
    client.exec('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    const tables = client.prepare("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '__drizzle_migrations'").all() as { name: string }[];
    const sequences = client.prepare("SELECT sequencename AS name FROM pg_sequences WHERE schemaname = 'public' AND sequencename NOT LIKE '__drizzle%'").all() as { name: string }[];
    client.exec([...tables.map((t) => `DELETE FROM "${t.name}"`), ...sequences.map((s) => `ALTER SEQUENCE "${s.name}" RESTART`)].join(';\n'));
  } finally {
    client.close();
  }
}

/** Where a server working in `dir` stores: the same database again for the same directory (a restart). */
export function databaseEnv(dir: string): { DATABASE_PATH: string; DATABASE_URL?: string } {
  const path = { DATABASE_PATH: join(dir, 'dynamo.sqlite') };
  if (!onPostgres()) return path;
  let url = byDir.get(dir);
  if (!url) byDir.set(dir, (url = freshPostgresDatabase()));
  return { ...path, DATABASE_URL: url };
}

/** The test is done with `dir` (removeDir): its database may be emptied and used again. */
export function releaseDirDatabase(dir: string) {
  const url = byDir.get(dir);
  if (!url) return;
  byDir.delete(dir);
  released.push(url);
}

/** Drops the databases this process made (connections still open are closed by the server: WITH (FORCE)). */
export function dropTestDatabases() {
  if (!admin) return;
  for (const name of created.splice(0)) admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  byDir.clear();
  released.length = 0;
}

/** Drops every test database of the run tagged `tag` (or of any run, without a tag): what processes that died left. */
export function dropRunDatabases(url: string, tag?: string) {
  const client = new PostgresClient(url);
  try {
    const pattern = `${TEST_DATABASE_PREFIX}${tag ? `${tag.toLowerCase()}_` : ''}%`;
    const names = client.prepare('SELECT datname AS name FROM pg_database WHERE datname LIKE ?').all(pattern) as { name: string }[];
    for (const { name } of names) client.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    client.close();
  }
}

/** What a test reads (or changes) the server's data through: another connection to its database. */
export function secondConnection(config: Pick<Config, 'databasePath' | 'databaseUrl'>, { readonly = true } = {}): Database {
  if (config.databaseUrl) return connectPostgres(config.databaseUrl);
  const db = new Database(config.databasePath, { readonly });
  db.exec('PRAGMA busy_timeout = 5000');
  return db;
}

/**
 * Everything the server has stored, as bytes, for "never stored in the clear" checks: the SQLite file and the trace's
 * file with their WALs (and journals), or every row of every table as PostgreSQL prints it.
 */
export async function storedBytes(config: Pick<Config, 'databasePath' | 'databaseUrl'>): Promise<Buffer> {
  if (config.databaseUrl) {
    const db = connectPostgres(config.databaseUrl);
    try {
      const tables = db.query("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'").all() as { name: string }[];
      const rows = tables.flatMap(({ name }) => db.query(`SELECT t::text AS row FROM "${name}" t`).all() as { row: string }[]);
      return Buffer.from(rows.map((r) => r.row).join('\n'));
    } finally {
      db.close();
    }
  }
  const parts: Buffer[] = [];
  for (const path of [config.databasePath, traceFileOf(config.databasePath)])
    for (const suffix of ['', '-wal', '-shm', '-journal']) {
      const file = Bun.file(`${path}${suffix}`);
      if (await file.exists()) parts.push(Buffer.from(await file.arrayBuffer()));
    }
  return Buffer.concat(parts);
}
