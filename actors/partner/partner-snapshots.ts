import type { SnapshotUpgrades } from '../system/snapshot-upgrades.ts';

/** The partner snapshots an older build wrote, brought to the current machine version (snapshot-upgrades.ts). */
export const partnerSnapshotUpgrades: SnapshotUpgrades = {
  // Version 1 knew no hubs: nothing had been reported about parties behind one.
  1: (snapshot) => ({ ...snapshot, context: { ...snapshot.context, hubClientInfo: [] } }),
};
