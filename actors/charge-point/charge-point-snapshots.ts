import type { SnapshotUpgrades } from '../system/snapshot-upgrades.ts';

/** The charge-point snapshots an older build wrote, brought to the current machine version (snapshot-upgrades.ts). */
export const chargePointSnapshotUpgrades: SnapshotUpgrades = {
  // Version 1 keyed the EVSE statuses "1" and "1.2"; now "e1" and "e1.2" (statusKey).
  1: (snapshot) => {
    const evses = (snapshot.context.evses ?? {}) as Record<string, unknown>;
    return { ...snapshot, context: { ...snapshot.context, evses: Object.fromEntries(Object.entries(evses).map(([key, status]) => [`e${key}`, status])) } };
  },
};
