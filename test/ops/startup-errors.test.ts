/** What an operator reads when the service cannot start: one line on stderr and exit code 1, never a stack trace. */
import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeDir } from '../support/server.ts';
import { NODES_LOCK_KEY } from '../../src/storage/postgres/node-lock.ts';
import { PostgresClient } from '../../src/storage/postgres/client.ts';
import { freshPostgresDatabase, postgresServerUrl, releasePostgresDatabase } from '../support/test-database.ts';

const root = join(import.meta.dir, '../..');
const dir = mkdtempSync(join(tmpdir(), 'dynamo-startup-'));
afterAll(() => removeDir(dir));

async function start(env: Record<string, string>) {
  const proc = Bun.spawn(['bun', 'src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_PATH: join(dir, 'ok.sqlite'),
      ADMIN_API_KEY: 'startup-admin-key-0123456789',
      SECRET_KEY: 'startup-secret-key-0123456789abcdef0123',
      CPO_COUNTRY_CODE: 'NL',
      CPO_PARTY_ID: 'DYN',
      CPO_NAME: 'Startup Test',
      ...env,
    },
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
  return { code, lines: stderr.trim().split('\n') };
}

describe('start-up failures', () => {
  test('the port is taken', async () => {
    const other = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response('busy') });
    const port = other.port;
    const { code, lines } = await start({ PORT: String(port) });
    other.stop(true);
    expect(code).toBe(1);
    expect(lines).toEqual([`Cannot listen on port ${port} on 127.0.0.1: it is already in use (stop the other process or set PORT)`]);
  });

  test('the database path cannot be created', async () => {
    writeFileSync(join(dir, 'a-file'), 'x');
    const { code, lines } = await start({ DATABASE_PATH: join(dir, 'a-file', 'dynamo.sqlite') });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toStartWith(`Cannot use the database at ${join(dir, 'a-file', 'dynamo.sqlite')}: it cannot be created or opened`);
  });

  test('the file is not a database', async () => {
    const path = join(dir, 'notes.sqlite');
    writeFileSync(path, 'Shopping list: milk, bread, an EV charger. '.repeat(50));
    const { code, lines } = await start({ DATABASE_PATH: path });
    expect(code).toBe(1);
    expect(lines).toEqual([`Cannot use the database at ${path}: the file is not a SQLite database [SQLITE_NOTADB]`]);
  });

  test('DATABASE_URL wins over DATABASE_PATH; an unreachable PostgreSQL is one line naming it, without its password', async () => {
    // DATABASE_PATH is unusable too: the line is about the URL, so the URL was the one used.
    writeFileSync(join(dir, 'not-a-dir'), 'x');
    const url = 'postgres://dynamo:s3cret-pw@127.0.0.1:1/dynamo';
    const { code, lines } = await start({ DATABASE_URL: url, DATABASE_PATH: join(dir, 'not-a-dir', 'dynamo.sqlite') });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toStartWith('Cannot use the database at postgres://dynamo:***@127.0.0.1:1/dynamo: ');
    expect(lines[0]).toContain('Connection refused');
    expect(lines[0]).not.toContain('s3cret-pw');
  });

  test('a PostgreSQL database that does not exist is one line saying so', async () => {
    const server = new URL(postgresServerUrl());
    server.pathname = '/dynamo_no_such_database';
    server.search = '';
    const { code, lines } = await start({ DATABASE_URL: server.toString() });
    expect(code).toBe(1);
    expect(lines).toEqual([`Cannot use the database at ${server}: database "dynamo_no_such_database" does not exist [08001]`]);
  });

  test('a node without REDIS_URL on a PostgreSQL database other nodes use is one line; so is a cluster node beside a lone one', async () => {
    const url = freshPostgresDatabase();
    const other = new PostgresClient(url);
    try {
      // A running cluster node holds the nodes' lock shared.
      other.prepare('SELECT pg_advisory_lock_shared(?)').get(NODES_LOCK_KEY);
      const lone = await start({ DATABASE_URL: url });
      expect(lone.code).toBe(1);
      expect(lone.lines).toEqual(['DATABASE_URL is in use by other running nodes: a node joining them needs REDIS_URL (README "Running several nodes")']);
      other.prepare('SELECT pg_advisory_unlock_shared(?)').get(NODES_LOCK_KEY);
      // A running lone node holds it exclusively.
      other.prepare('SELECT pg_advisory_lock(?)').get(NODES_LOCK_KEY);
      const clustered = await start({ DATABASE_URL: url, REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `startup-${process.pid}` });
      expect(clustered.code).toBe(1);
      expect(clustered.lines).toEqual(['DATABASE_URL is in use by a node running without REDIS_URL: stop it, or start every node with REDIS_URL']);
    } finally {
      other.close();
      releasePostgresDatabase(url);
    }
  });

  test('a bad variable names itself, a line per problem', async () => {
    const { code, lines } = await start({ LOG_LEVEL: 'chatty' });
    expect(code).toBe(1);
    expect(lines.join('\n')).toContain('LOG_LEVEL must be one of silent, error, warn, info, debug (got "chatty")');
    expect(lines.some((l) => /^\s+at /.test(l))).toBe(false);
  });
});
