import { StartupError } from '../../lib/startup-error.ts';

/** The advisory lock every node holds on its PostgreSQL database for as long as it runs ("dynode" in ASCII; migrations use "dynamo"). */
export const NODES_LOCK_KEY = 0x64796e6f6465;

/**
 * A node without REDIS_URL owns the database alone: it holds the nodes' lock exclusively; nodes of a cluster hold
 * it shared. A lone node started beside running ones (or a cluster node beside a lone one) would write the same
 * stations from two places no epoch fences: refused at start. Held by the storage's own connection, so it goes when
 * the node does (even killed).
 */
export function holdDatabaseForNode(client: { prepare(sql: string): { get(...params: unknown[]): unknown } }, clustered: boolean) {
  const lock = clustered ? 'pg_try_advisory_lock_shared' : 'pg_try_advisory_lock';
  const row = client.prepare(`SELECT CASE WHEN ${lock}(?) THEN 1 ELSE 0 END AS ok`).get(NODES_LOCK_KEY) as { ok: number | string } | null;
  if (Number(row?.ok) === 1) return;
  throw new StartupError(
    clustered
      ? 'DATABASE_URL is in use by a node running without REDIS_URL: stop it, or start every node with REDIS_URL'
      : 'DATABASE_URL is in use by other running nodes: a node joining them needs REDIS_URL (README "Running several nodes")',
  );
}
