import type { Database } from 'bun:sqlite';
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/bun-sqlite';
import * as schema from '../sqlite/schema/index.ts';
import { redactUrl } from '../../lib/redact-url.ts';
import { databaseProblem } from '../../lib/startup-error.ts';
import { PostgresClient } from './client.ts';
import { migratePostgres } from './migrate.ts';

const migrationsFolder = join(import.meta.dir, '../../../drizzle');

/** A `postgres://` or `postgresql://` URL (DATABASE_URL), as opposed to a SQLite file path. */
export const isPostgresUrl = (location: string) => /^postgres(ql)?:\/\//i.test(location);

/** DATABASE_URL without its password, for messages and logs. */
export const redactDatabaseUrl = (url: string) => redactUrl(url, 'the DATABASE_URL given (not a valid URL)');

const asDatabase = (client: PostgresClient) => client as unknown as Database;

/** Another connection to a database the service has migrated (the trace worker's), shaped as above. */
export const connectPostgres = (url: string): Database => asDatabase(new PostgresClient(url));

/**
 * PostgreSQL behind drizzle's bun-sqlite driver: PostgresClient has the part of bun:sqlite's Database that drizzle
 * and the repositories call (the storage contract suites and the whole test suite run on both engines), so it is
 * handed over as one.
 */
export function openPostgres(url: string) {
  let client: PostgresClient | undefined;
  try {
    client = new PostgresClient(url);
    migratePostgres(client, migrationsFolder);
    const sqlite = asDatabase(client);
    return { db: drizzle({ client: sqlite, schema }), sqlite };
  } catch (error) {
    client?.close();
    throw databaseProblem(redactDatabaseUrl(url), error);
  }
}
