import type { Changes } from 'bun:sqlite';

/**
 * The write of VersionedSnapshotStore.saveIfVersion (src/storage/ports.ts), for a table whose rows carry a
 * `version`: a first write inserts version 1 unless the row exists (INSERT … ON CONFLICT DO NOTHING), a later one
 * updates only the row still at `expected` (UPDATE … WHERE version = expected). Either way the statement itself
 * decides, in the writer's transaction: on PostgreSQL an UPDATE waits for another node's uncommitted write of the
 * row and then finds it at another version, so two nodes never both succeed from the same read.
 */
export function compareAndSet(expected: number | undefined, insert: () => unknown, update: (next: number, expected: number) => unknown): number | undefined {
  // drizzle types the builder's run() as void on bun:sqlite; it returns the statement's Changes (the PostgreSQL client's too).
  const { changes } = (expected === undefined ? insert() : update(expected + 1, expected)) as Changes;
  return changes === 1 ? (expected ?? 0) + 1 : undefined;
}
