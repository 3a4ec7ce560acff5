import { openDatabase } from './sqlite/db.ts';
import { credentialsTokensRepo } from './sqlite/credentials-tokens.repo.ts';
import { locationsRepo } from './sqlite/locations.repo.ts';
import { apiKeysRepo } from './sqlite/api-keys.repo.ts';
import { chargePointsRepo } from './sqlite/charge-points.repo.ts';
import { partnerSnapshotsRepo } from './sqlite/snapshots.repo.ts';
import { tariffsRepo } from './sqlite/tariffs.repo.ts';
import { tokensRepo } from './sqlite/tokens.repo.ts';
import { sessionsRepo } from './sqlite/sessions.repo.ts';
import { outboxRepo } from './sqlite/outbox.repo.ts';
import { commandsRepo } from './sqlite/commands.repo.ts';
import { chargingProfilesRepo } from './sqlite/charging-profiles.repo.ts';
import { guestSessionsRepo } from './sqlite/guest-sessions.repo.ts';
import { integrationRequestsRepo } from './sqlite/integration-requests.repo.ts';
import { opsRepo } from './sqlite/ops.repo.ts';
import { traceRepo } from './sqlite/trace.repo.ts';
import { stationEpochsRepo } from './sqlite/station-epochs.repo.ts';
import { pagingRegistry } from './sqlite/paging.ts';
import { DEFAULT_LIST_CACHE_MB } from '../config.ts';

/** The one place the rest of the service gets persistence from. */
export function createStorage(path: string, { listCacheBytes = DEFAULT_LIST_CACHE_MB * 2 ** 20 } = {}) {
  const { db, sqlite } = openDatabase(path);
  // OCPI lists kept in memory beside their tables (sqlite/paging.ts): dropped with any rolled back transaction.
  const paging = pagingRegistry(listCacheBytes);
  const totalChanges = sqlite.prepare('SELECT total_changes() AS n');
  const tokens = tokensRepo(db, (write) => locations.tokensWritten(write));
  const locations = locationsRepo(db, paging, (entry) => tokens.holdersMatching(entry));
  return {
    /**
     * Synchronous transaction (bun:sqlite): nest freely, never await inside. BEGIN IMMEDIATE takes the write lock
     * up front, waiting out another writer (the trace worker's connection) under busy_timeout; a deferred
     * transaction that reads first and then writes gets "database is locked" at once instead.
     */
    transact: <T>(fn: () => T): T => {
      try {
        return sqlite.transaction(fn).immediate();
      } catch (error) {
        paging.forget();
        throw error;
      }
    },
    partnerSnapshots: partnerSnapshotsRepo(db),
    credentialsTokens: credentialsTokensRepo(db),
    locations,
    tariffs: tariffsRepo(db, paging),
    tokens,
    apiKeys: apiKeysRepo(db),
    chargePoints: chargePointsRepo(db),
    sessions: sessionsRepo(db, paging),
    outbox: outboxRepo(db),
    commands: commandsRepo(db),
    chargingProfiles: chargingProfilesRepo(db),
    guestSessions: guestSessionsRepo(db),
    integrationRequests: integrationRequestsRepo(db),
    stationEpochs: stationEpochsRepo(db),
    ops: opsRepo(sqlite),
    trace: traceRepo(sqlite),
    /** Rows this connection has changed so far (several nodes: a change tells the others to drop what they derived). */
    changes: () => (totalChanges.get() as { n: number }).n,
    /** Drops the lists and bodies kept in memory (another node changed the tables); rebuilt when next read. */
    forgetDerived: () => paging.forget(),
    /** The raw connection, for components that keep their own tables (the simulated payment ledger). */
    sqlite,
    close: () => sqlite.close(),
  };
}

export type Storage = ReturnType<typeof createStorage>;
