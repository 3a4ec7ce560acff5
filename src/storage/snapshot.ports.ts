/** How actors persist: their snapshots, and the transactions a snapshot commits in with the rows that go with it. */

/** An actor's persisted snapshot, with the machine version it was written by. */
export interface SnapshotStore {
  load(id: string): { machineVersion: number; snapshot: unknown } | undefined;
  save(id: string, machineVersion: number, snapshot: unknown, now: Date): void;
}

/**
 * Snapshots any node may write (several nodes: guest sessions, partners). Each row counts its writes, so a node
 * saves over the version it read or not at all (compare-and-set): two nodes that read the same snapshot cannot
 * both write, the second one's change is not lost but refused, to be applied again to what the first wrote.
 */
export interface VersionedSnapshotStore extends SnapshotStore {
  load(id: string): { machineVersion: number; snapshot: unknown; version: number } | undefined;
  /** The stored row's version (as `load` gives it), undefined when there is none: whether a copy in memory is current. */
  versionOf(id: string): number | undefined;
  /**
   * Saves only over version `expected` (undefined: only when there is no row yet) and returns the new version;
   * undefined when the row is at another version (another writer came first), then nothing is written.
   */
  saveIfVersion(id: string, machineVersion: number, snapshot: unknown, now: Date, expected: number | undefined): number | undefined;
}

/** Snapshots of one actor kind, listable at boot. */
export interface SnapshotCollection extends SnapshotStore {
  ids(): string[];
}

/** Runs `fn` inside one synchronous transaction, so a snapshot and the rows that go with it commit together. */
export type Transact = <T>(fn: () => T) => T;

/**
 * One transaction held open across many `Transact` calls (each then a savepoint of it), committed once for all:
 * the group commit of actors/system/group-commit.ts.
 */
export interface WriteBatch {
  begin(): void;
  commit(): void;
  /** Also drops what is kept in memory beside the tables (it may hold the rolled back rows). */
  rollback(): void;
  /** A transaction is open on the connection (a batch, or a `Transact` call outside one). */
  inTransaction(): boolean;
  /** A `Transact` call is running: a batch may not end in the middle of it. */
  nested(): boolean;
}
