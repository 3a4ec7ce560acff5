import type { Database } from 'bun:sqlite';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Migrations shipped with this build: the drizzle journal beside the SQL files. */
const journal = join(import.meta.dir, '../../../drizzle/meta/_journal.json');

/**
 * What operations ask of the database: is it answering, is its schema this build's, and the few counts the
 * metrics show. Prepared on each call, so a closed or broken database fails the call, not the process.
 */
export function opsRepo(sqlite: Database) {
  const shipped = (JSON.parse(readFileSync(journal, 'utf8')) as { entries: unknown[] }).entries.length;
  return {
    ping(): void {
      sqlite.query('SELECT 1').get();
    },
    /** Applied and shipped migration counts (drizzle's own bookkeeping table). */
    migrations(): { applied: number; shipped: number } {
      const row = sqlite.query('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number };
      return { applied: row.n, shipped };
    },
    pendingDeliveries(): { channel: string; count: number }[] {
      return sqlite.query("SELECT channel, count(*) AS count FROM outbox WHERE status = 'pending' GROUP BY channel").all() as { channel: string; count: number }[];
    },
    activeSessions(): number {
      return (sqlite.query("SELECT count(*) AS n FROM sessions WHERE status = 'active'").get() as { n: number }).n;
    },
  };
}

export type OpsRepo = ReturnType<typeof opsRepo>;
