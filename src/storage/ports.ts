/**
 * The storage ports: what the actors need from persistence, one interface per aggregate, in the vocabulary of the
 * model (no drizzle, no SQL), each concern in its *.ports.ts beside this file and all of them named here. The SQLite
 * adapter (src/storage/sqlite/*) implements them; a contract suite per port (test/storage/*.contract.ts) states what
 * any adapter must do.
 */
import type { CommandStore, ChargingProfileStore } from './command.ports.ts';
import type { GuestSessionStore } from './guest-session.ports.ts';
import type { OutboxStore } from './outbox.ports.ts';
import type { CredentialsTokenStore, DriverTokenCache, PartnerSnapshots } from './partner.ports.ts';
import type { SessionStore } from './session.ports.ts';
import type { Transact, WriteBatch } from './snapshot.ports.ts';
import type { ChargePointRegistry, StationEpochs } from './station.ports.ts';

export type * from './command.ports.ts';
export type * from './guest-session.ports.ts';
export type * from './outbox.ports.ts';
export type * from './partner.ports.ts';
export type * from './session.ports.ts';
export type * from './snapshot.ports.ts';
export type * from './station.ports.ts';
export type { RenderedPage } from './rendered-page.ts';

/** Everything the actor system persists through. */
export interface ActorStorage {
  transact: Transact;
  batch: WriteBatch;
  partnerSnapshots: PartnerSnapshots;
  credentialsTokens: CredentialsTokenStore;
  tokens: DriverTokenCache;
  chargePoints: ChargePointRegistry;
  sessions: SessionStore;
  outbox: OutboxStore;
  commands: CommandStore;
  chargingProfiles: ChargingProfileStore;
  guestSessions: GuestSessionStore;
  stationEpochs: StationEpochs;
}
