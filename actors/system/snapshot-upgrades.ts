import type { SnapshotStore } from '../../src/storage/ports.ts';

/** A persisted machine snapshot as an upgrade sees it: plain JSON data with its context. */
export type PersistedSnapshot = { context: Record<string, unknown> } & Record<string, unknown>;

/** One step per machine version a stored snapshot may still have: version n → n + 1. */
export type SnapshotUpgrades = Record<number, (snapshot: PersistedSnapshot) => PersistedSnapshot>;

type Stored = NonNullable<ReturnType<SnapshotStore['load']>>;

/** A stored snapshot brought to `machineVersion`; one of an unknown version is left for the host to refuse. */
export function upgradeSnapshot<T extends Stored>(stored: T, machineVersion: number, upgrades: SnapshotUpgrades): T {
  let { machineVersion: version, snapshot } = stored;
  while (version < machineVersion && upgrades[version]) {
    snapshot = upgrades[version]!(snapshot as PersistedSnapshot);
    version += 1;
  }
  return { ...stored, machineVersion: version, snapshot };
}

/**
 * `store` as the actor host reads it: what an older build wrote is upgraded on load, and written back in the
 * current version with the actor's next change, so actors stored before an upgrade keep working. Every other
 * method is the store's own.
 */
export function upgradingSnapshots<S extends SnapshotStore>(store: S, machineVersion: number, upgrades: SnapshotUpgrades): S {
  const load = (id: string) => {
    const stored = store.load(id);
    return stored && upgradeSnapshot(stored, machineVersion, upgrades);
  };
  return Object.assign(Object.create(store) as S, { load });
}
