/**
 * `bun run db:migrate`: applies the pending migrations to the database the service would use (DATABASE_URL's
 * PostgreSQL, else the SQLite file at DATABASE_PATH) and exits. The service does the same at every start (on
 * PostgreSQL under an advisory lock, so nodes starting together migrate once); this runs it by hand, e.g. before
 * a rolling upgrade. Needs only the database variables.
 */
import { DEFAULT_DATABASE_PATH } from './config.ts';
import { StartupError } from './lib/startup-error.ts';
import { redactDatabaseUrl } from './storage/postgres/db.ts';
import { createStorage } from './storage/storage.ts';

const url = process.env.DATABASE_URL?.trim() || undefined;
const location = url ?? (process.env.DATABASE_PATH?.trim() || DEFAULT_DATABASE_PATH);
try {
  const storage = createStorage(location);
  const { applied, shipped } = storage.ops.migrations();
  storage.close();
  console.log(`${url ? redactDatabaseUrl(url) : location}: ${applied} of ${shipped} migrations applied, schema up to date`);
} catch (error) {
  console.error(error instanceof StartupError ? error.message : `Migration failed: ${(error as Error).message}`);
  process.exit(1);
}
