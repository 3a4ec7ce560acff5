/**
 * The same adapter on PostgreSQL (createStorage with a postgres:// URL) against every storage port's contract suite:
 * each test an empty database of its own (test/support/test-database.ts: copied from a migrated template, emptied
 * and handed to the next test when one ends, dropped when the file is done). Runs against TEST_DATABASE_URL, else
 * the local server CI starts (.ci/run).
 */
import { createStorage, type Storage } from '../../src/storage/storage.ts';
import { describeStorageContracts } from './storage-contracts.ts';

import { freshPostgresDatabase, releasePostgresDatabase } from '../support/test-database.ts';

// Commits need not wait for the disk in tests (see run-tests.ts).
process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres?options=-c%20client_min_messages%3Dwarning%20-c%20synchronous_commit%3Doff';

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
