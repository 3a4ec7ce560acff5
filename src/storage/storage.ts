import type { Database } from 'bun:sqlite';
import { growPageCache, openDatabase } from './sqlite/db.ts';
import { isPostgresUrl, openPostgres } from './postgres/db.ts';
import type { PostgresClient } from './postgres/client.ts';
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
import type { WriteBatch } from './ports.ts';

/**
 * The one place the rest of the service gets persistence from: a SQLite file at `location`, or PostgreSQL when it
 * is a `postgres://` URL (the same repositories on both: postgres/client.ts).
 */
export function createStorage(location: string, { listCacheBytes = DEFAULT_LIST_CACHE_MB * 2 ** 20 } = {}) {
  const { db, sqlite } = isPostgresUrl(location) ? openPostgres(location) : openDatabase(location);
  // OCPI lists kept in memory beside their tables (sqlite/paging.ts): dropped with any rolled back transaction.
  const paging = pagingRegistry(listCacheBytes);
  const totalChanges = 'totalChanges' in sqlite ? undefined : sqlite.prepare<{ n: number }, []>('SELECT total_changes() AS n');
  const tokens = tokensRepo(db, (write) => locations.tokensWritten(write));
  const locations = locationsRepo(db, paging, (entry) => tokens.holdersMatching(entry));
  const trace = traceRepo(sqlite, 'service');
  // `transact` calls running now: a group commit may end only outside all of them (its savepoints).
  let nesting = 0;
  // One wrapper for every transaction: `sqlite.transaction(fn)` builds a new one (and its statements) per call,
  // which cost ~10 µs on each station message.
  const immediate = sqlite.transaction(<T>(fn: () => T): T => fn()).immediate;
  return {
    /**
     * Synchronous transaction (bun:sqlite, or libpq's blocking calls on PostgreSQL): nest freely, never await
     * inside. On SQLite, BEGIN IMMEDIATE takes the write lock up front, waiting out another writer (the trace
     * worker's connection) under busy_timeout; a deferred transaction that reads first and then writes gets
     * "database is locked" at once instead. Inside an open transaction (a group commit's batch) it is a SAVEPOINT:
     * a failure rolls back only this call.
     */
    transact: <T>(fn: () => T): T => {
      nesting += 1;
      try {
        return immediate(fn) as T;
      } catch (error) {
        paging.forget();
        throw error;
      } finally {
        nesting -= 1;
      }
    },
    /** The transaction a group commit (actors/system/group-commit.ts) holds open for one event-loop turn. */
    batch: {
      begin: () => sqlite.run('BEGIN IMMEDIATE'),
      commit: () => sqlite.run('COMMIT'),
      rollback: () => {
        paging.forget();
        if (sqlite.inTransaction) sqlite.run('ROLLBACK');
      },
      inTransaction: () => sqlite.inTransaction,
      nested: () => nesting > 0,
    } satisfies WriteBatch,
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
    trace,
    /** Rows this connection has changed so far (several nodes: a change tells the others to drop what they derived). */
    changes: () => (totalChanges ? totalChanges.get()!.n : (sqlite as unknown as PostgresClient).totalChanges),
    /** The start is done: SQLite's page cache may grow to what a large network's stations need (sqlite/db.ts). */
    serving: () => {
      if (!isPostgresUrl(location)) growPageCache(sqlite as Database);
    },
    /** Drops the lists and bodies kept in memory (another node changed the tables); rebuilt when next read. */
    forgetDerived: () => paging.forget(),
    /** The raw connection, for components that keep their own tables (the simulated payment ledger); on PostgreSQL a client of the same shape. */
    sqlite,
    close: () => {
      trace.close();
      sqlite.close();
    },
  };
}

export type Storage = ReturnType<typeof createStorage>;
