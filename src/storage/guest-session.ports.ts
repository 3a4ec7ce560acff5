/** The guest sessions (ad-hoc payment) as stored. */
import type { VersionedSnapshotStore } from './snapshot.ports.ts';

export interface GuestSessionStore {
  snapshots: VersionedSnapshotStore;
  idByIdTag(idTag: string): string | undefined;
  ids(): string[];
  /** Guest sessions created at or after `createdAtMs` (the ones that can still be waiting for their start). */
  idsSince(createdAtMs: number): string[];
  /**
   * Takes the one right to a timer-driven step of a guest session (its expiry, its remote start): true once per
   * id and step, false to every later caller on any node. Inside the step's transaction: rolled back with it.
   */
  claimStep(id: string, step: 'expiry' | 'start'): boolean;
}
