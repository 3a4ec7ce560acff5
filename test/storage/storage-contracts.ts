/** Every storage port's contract suite against one adapter; `fresh` makes a new, empty (migrated) storage per test. */
import type { Storage } from '../../src/storage/storage.ts';
import { describeActorStorageContract } from './actor-storage.contract.ts';
import { describeChargePointRegistryContract } from './charge-point-registry.contract.ts';
import { describeChargingProfileStoreContract } from './charging-profile-store.contract.ts';
import { describeCommandStoreContract } from './command-store.contract.ts';
import { describeCredentialsTokenStoreContract } from './credentials-token-store.contract.ts';
import { describeDriverTokenCacheContract } from './driver-token-cache.contract.ts';
import { describeGuestSessionStoreContract } from './guest-session-store.contract.ts';
import { describeOutboxStoreContract } from './outbox-store.contract.ts';
import { describeSessionStoreContract } from './session-store.contract.ts';
import { describeSessionPagesContract } from './session-pages.contract.ts';
import { describeSnapshotCollectionContract } from './snapshot-store.contract.ts';
import { describeVersionedSnapshotContract } from './versioned-snapshot.contract.ts';

type Fresh = <T extends object>(pick: (storage: Storage) => T) => () => T & { close(): void };

export function describeStorageContracts(engine: string, fresh: Fresh) {
  describeSnapshotCollectionContract(`${engine} partner snapshots`, fresh((s) => ({ adapter: s.partnerSnapshots })));
  describeOutboxStoreContract(engine, fresh((s) => ({ adapter: s.outbox })));
  describeSessionStoreContract(engine, fresh((s) => ({ adapter: s.sessions, transact: s.transact })));
  describeSessionPagesContract(engine, fresh((s) => ({ adapter: s.sessions, transact: s.transact })));
  describeCommandStoreContract(engine, fresh((s) => ({ adapter: s.commands })));
  describeChargingProfileStoreContract(engine, fresh((s) => ({ adapter: s.chargingProfiles })));
  describeCredentialsTokenStoreContract(engine, fresh((s) => ({ adapter: s.credentialsTokens, partners: s.partnerSnapshots })));
  describeDriverTokenCacheContract(engine, fresh((s) => ({ adapter: s.tokens, partners: s.partnerSnapshots })));
  describeChargePointRegistryContract(
    engine,
    fresh((s) => ({ adapter: s.chargePoints, sessions: s.sessions, register: (id: string) => s.chargePoints.put(id, 'password-hash', new Date(0).toISOString()) })),
  );
  describeGuestSessionStoreContract(engine, fresh((s) => ({ adapter: s.guestSessions })));
  describeVersionedSnapshotContract(`${engine} guest sessions`, fresh((s) => ({ adapter: s.guestSessions.snapshots })));
  describeVersionedSnapshotContract(`${engine} partner snapshots`, fresh((s) => ({ adapter: s.partnerSnapshots })));
  describeActorStorageContract(engine, fresh((s) => ({ adapter: s })));
}
