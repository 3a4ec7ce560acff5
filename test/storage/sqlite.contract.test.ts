/**
 * The SQLite adapter (src/storage/storage.ts) against every storage port's contract suite. Every test gets a
 * fresh database file (a copy of one migrated once, so it stays cheap), opened through createStorage and removed
 * when the test ends; the temporary directory goes when the file is done.
 */
import { afterAll } from 'bun:test';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage, type Storage } from '../../src/storage/storage.ts';
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

const dir = mkdtempSync(join(tmpdir(), 'dynamo-storage-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let template: string | undefined;
let databases = 0;

/** A fresh SQLite storage; `pick` takes the port under test (and what the suite needs to arrange) out of it. */
function sqlite<T extends object>(pick: (storage: Storage) => T): () => T & { close(): void } {
  return () => {
    if (!template) {
      template = join(dir, 'migrated.sqlite');
      createStorage(template).close();
    }
    const path = join(dir, `contract-${++databases}.sqlite`);
    copyFileSync(template, path);
    const storage = createStorage(path);
    return {
      ...pick(storage),
      close() {
        storage.close();
        for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true });
      },
    };
  };
}

describeSnapshotCollectionContract('SQLite partner snapshots', sqlite((s) => ({ adapter: s.partnerSnapshots })));
describeOutboxStoreContract('SQLite', sqlite((s) => ({ adapter: s.outbox })));
describeSessionStoreContract('SQLite', sqlite((s) => ({ adapter: s.sessions })));
describeSessionPagesContract('SQLite', sqlite((s) => ({ adapter: s.sessions, transact: s.transact })));
describeCommandStoreContract('SQLite', sqlite((s) => ({ adapter: s.commands })));
describeChargingProfileStoreContract('SQLite', sqlite((s) => ({ adapter: s.chargingProfiles })));
describeCredentialsTokenStoreContract('SQLite', sqlite((s) => ({ adapter: s.credentialsTokens, partners: s.partnerSnapshots })));
describeDriverTokenCacheContract('SQLite', sqlite((s) => ({ adapter: s.tokens, partners: s.partnerSnapshots })));
describeChargePointRegistryContract(
  'SQLite',
  sqlite((s) => ({ adapter: s.chargePoints, sessions: s.sessions, register: (id: string) => s.chargePoints.put(id, 'password-hash', new Date(0).toISOString()) })),
);
describeGuestSessionStoreContract('SQLite', sqlite((s) => ({ adapter: s.guestSessions })));
describeActorStorageContract('SQLite', sqlite((s) => ({ adapter: s })));
