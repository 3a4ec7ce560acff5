import type { PartnerSnapshots } from '../../src/storage/ports.ts';
import { PARTNER_MACHINE_VERSION } from './partner.machine.ts';

type Stored = NonNullable<ReturnType<PartnerSnapshots['load']>>;
type PersistedSnapshot = { context: Record<string, unknown> } & Record<string, unknown>;

/** One step per machine version a stored snapshot may still have: version n → n + 1. */
const upgrades: Record<number, (snapshot: PersistedSnapshot) => PersistedSnapshot> = {
  // Version 1 knew no hubs: nothing had been reported about parties behind one.
  1: (snapshot) => ({ ...snapshot, context: { ...snapshot.context, hubClientInfo: [] } }),
};

/** A stored snapshot brought to the current machine version; one of an unknown version is left for the host to refuse. */
export function upgradePartnerSnapshot(stored: Stored): Stored {
  let { machineVersion, snapshot } = stored;
  while (machineVersion < PARTNER_MACHINE_VERSION && upgrades[machineVersion]) {
    snapshot = upgrades[machineVersion]!(snapshot as PersistedSnapshot);
    machineVersion += 1;
  }
  return { ...stored, machineVersion, snapshot };
}

/**
 * The partner snapshots as the actor host reads them: what an older build wrote is upgraded on load, and written
 * back in the current version with the actor's next change, so partners registered before an upgrade keep working.
 */
export function upgradingPartnerSnapshots(store: PartnerSnapshots): PartnerSnapshots {
  return {
    load: (id) => {
      const stored = store.load(id);
      return stored && upgradePartnerSnapshot(stored);
    },
    save: (id, machineVersion, snapshot, now) => store.save(id, machineVersion, snapshot, now),
    versionOf: (id) => store.versionOf(id),
    saveIfVersion: (id, machineVersion, snapshot, now, expected) => store.saveIfVersion(id, machineVersion, snapshot, now, expected),
    ids: () => store.ids(),
    delete: (id) => store.delete(id),
  };
}
