/** The stations as stored: their registration and actors' snapshots, when they were last heard from, their owner node's epoch. */
import type { SnapshotCollection } from './snapshot.ports.ts';

/** When stations were last heard from: kept in memory, flushed here every few seconds (one write for many Heartbeats). */
export interface LastSeenStore {
  stored(id: string): string | undefined;
  /** Stations not registered (removed meanwhile) are skipped. */
  write(entries: Iterable<[id: string, at: string]>): void;
}

/** Registered charge points: their registration and the charge-point actors' snapshots. */
export interface ChargePointRegistry {
  snapshots: SnapshotCollection;
  lastSeen: LastSeenStore;
  get(id: string): unknown;
  delete(id: string): boolean;
  /** Ids of the sessions still running at the station. */
  runningSessions(chargePointId: string): string[];
}

/** The fencing epoch of each station's owner node (several nodes only; see src/cluster/station-ownership.ts). */
export interface StationEpochs {
  current(chargePointId: string): number | undefined;
  /** Stores `epoch` unless a newer one is already stored. */
  advance(chargePointId: string, epoch: number): void;
}
