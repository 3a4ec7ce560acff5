/**
 * The SQLite adapter (src/storage/storage.ts) against every storage port's contract suite. Every test gets a
 * fresh database file (a copy of one migrated once, so it stays cheap), opened through createStorage and removed
 * when the test ends; the temporary directory goes when the file is done.
 */
import { afterAll } from 'bun:test';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { traceFileOf } from '../../src/storage/sqlite/trace.repo.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage, type Storage } from '../../src/storage/storage.ts';
import { describeStorageContracts } from './storage-contracts.ts';

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
        for (const base of [path, traceFileOf(path)]) for (const file of [base, `${base}-wal`, `${base}-shm`]) rmSync(file, { force: true });
      },
    };
  };
}

describeStorageContracts('SQLite', sqlite);
