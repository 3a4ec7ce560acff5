/**
 * The same adapter on PostgreSQL (createStorage with a postgres:// URL) against every storage port's contract suite:
 * each test an empty database of its own (test/support/test-database.ts: copied from a migrated template, emptied
 * and handed to the next test when one ends, dropped when the test process ends), on the server test-database.ts's postgresServerUrl() names.
 */
import { createStorage, type Storage } from '../../src/storage/storage.ts';
import { freshPostgresDatabase, releasePostgresDatabase } from '../support/test-database.ts';
import { describeStorageContracts } from './storage-contracts.ts';

function postgres<T extends object>(pick: (storage: Storage) => T): () => T & { close(): void } {
  return () => {
    const url = freshPostgresDatabase();
    const storage = createStorage(url);
    return {
      ...pick(storage),
      close() {
        storage.close();
        releasePostgresDatabase(url);
      },
    };
  };
}

describeStorageContracts('PostgreSQL', postgres);
