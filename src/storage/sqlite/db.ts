import { Database } from 'bun:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { drizzle } from 'drizzle-orm/bun-sqlite';
import { migrate } from 'drizzle-orm/bun-sqlite/migrator';
import * as schema from './schema/index.ts';
import { databaseProblem } from '../../lib/startup-error.ts';

export type Db = ReturnType<typeof openDatabase>['db'];

/** Resolved from this file, not the working directory, so the service starts from anywhere. */
const migrationsFolder = join(import.meta.dir, '../../../drizzle');

export function openDatabase(path: string) {
  let sqlite: Database | undefined;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    sqlite = new Database(path, { create: true, strict: true });
    sqlite.exec('PRAGMA journal_mode = WAL');
    sqlite.exec('PRAGMA synchronous = NORMAL');
    sqlite.exec('PRAGMA foreign_keys = ON');
    sqlite.exec('PRAGMA busy_timeout = 5000');
    const db = drizzle({ client: sqlite, schema });
    migrate(db, { migrationsFolder });
    return { db, sqlite };
  } catch (error) {
    sqlite?.close();
    throw databaseProblem(path, error);
  }
}
