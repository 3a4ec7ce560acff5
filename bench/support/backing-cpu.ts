/**
 * The CPU of what several nodes lean on, read from /proc like the nodes' own: the PostgreSQL backends serving one
 * database and the Redis server. PostgreSQL's shared background processes (WAL writer, checkpointer) are not
 * counted, and Redis serves whatever else runs on this machine too.
 */
import { createClient } from 'redis';
import { PostgresClient } from '../../src/storage/postgres/client.ts';
import { cpuMicrosOf } from './bench-process.ts';

/** The process ids of the backends connected to `databaseUrl`'s database now (not the one asking). */
export function postgresBackends(databaseUrl: string): number[] {
  const client = new PostgresClient(databaseUrl);
  try {
    const rows = client.prepare('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()').all() as { pid: number }[];
    return rows.map((row) => Number(row.pid));
  } finally {
    client.close();
  }
}

/** The Redis server's process id, as it reports it (INFO server); undefined when it cannot be asked. */
export async function redisServerPid(url: string): Promise<number | undefined> {
  const client = createClient({ url });
  client.on('error', () => {});
  try {
    await client.connect();
    return Number(/process_id:(\d+)/.exec(await client.info('server'))?.[1]) || undefined;
  } catch {
    return undefined;
  } finally {
    if (client.isOpen) await client.close();
  }
}

/** utime + stime of these processes together, µs (one that has gone counts 0, so ask for the same set twice). */
export const cpuMicrosOfAll = (pids: number[]) => pids.reduce((sum, pid) => sum + (cpuMicrosOf(pid) ?? 0), 0);
