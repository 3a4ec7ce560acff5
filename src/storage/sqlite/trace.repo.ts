import { Database } from 'bun:sqlite';
import { isPostgresUrl } from '../postgres/db.ts';

/** One trace row as written (see schema/trace.ts for what each column holds). */
export interface TraceRow {
  atMs: number;
  protocol: 'ocpp' | 'ocpi' | 'payment';
  direction: 'in' | 'out';
  chargePointId?: string | undefined;
  partnerId?: string | undefined;
  sessionId?: string | undefined;
  guestSessionId?: string | undefined;
  action: string;
  messageId?: string | undefined;
  correlationId?: string | undefined;
  status: string;
  errorCode?: string | undefined;
  httpStatus?: number | undefined;
  ocpiStatus?: number | undefined;
  durationMs?: number | undefined;
  method?: string | undefined;
  url?: string | undefined;
  payload?: string | undefined;
}

/** A row as read back: every optional column is null when empty. */
export type StoredTraceRow = { id: number; atMs: number; protocol: string; direction: string; action: string; status: string; payload: string | null } & {
  [K in 'chargePointId' | 'partnerId' | 'sessionId' | 'guestSessionId' | 'messageId' | 'correlationId' | 'errorCode' | 'method' | 'url']: string | null;
} & { [K in 'httpStatus' | 'ocpiStatus' | 'durationMs']: number | null };

export interface TraceQuery {
  sinceMs?: number | undefined;
  untilMs?: number | undefined;
  limit: number;
  offset: number;
}

export type TraceSubject = { chargePointId: string } | { partnerId: string } | { sessionId: string; guestSessionIds: string[] };

const COLUMNS = `id, at_ms AS "atMs", protocol, direction, charge_point_id AS "chargePointId", partner_id AS "partnerId", session_id AS "sessionId",
  guest_session_id AS "guestSessionId", action, message_id AS "messageId", correlation_id AS "correlationId", status, error_code AS "errorCode",
  http_status AS "httpStatus", ocpi_status AS "ocpiStatus", duration_ms AS "durationMs", method, url, payload`;

/**
 * Where the trace is kept beside a SQLite file: a file of its own (`dynamo.sqlite` → `dynamo.trace.sqlite`), so that
 * writing it takes that file's write lock, never the service's. Its writer then commits a second's rows in one
 * transaction (each commit rewrites a page of the station index per station that spoke, whatever the number of
 * rows) while the service's own commits go on beside it.
 */
export function traceFileOf(path: string): string {
  return path.replace(/(\.[^./\\]+)?$/, '.trace$1');
}

/**
 * `sqlite`'s view of the trace: on a SQLite file, the trace file attached as `trace`; else (PostgreSQL, `:memory:`)
 * the table beside the rest. Creates the trace file's table from the service's migrated one (the same columns and
 * indexes) and moves rows written before the trace had a file of its own.
 */
function attachTrace(sqlite: Database): string {
  const path = sqlite.filename;
  if (path === ':memory:' || isPostgresUrl(path)) return 'protocol_trace';
  sqlite.run('ATTACH DATABASE ? AS trace', [traceFileOf(path)]);
  sqlite.exec('PRAGMA trace.journal_mode = WAL');
  sqlite.exec('PRAGMA trace.synchronous = NORMAL');
  const created = sqlite.query("SELECT 1 FROM trace.sqlite_master WHERE name = 'protocol_trace'").get();
  if (!created) {
    // All but the time index: it served only the retention delete, which walks ids instead (deleteOlderThan), and it
    // cost every insert a B-tree write.
    const ddl = sqlite
      .query("SELECT sql FROM main.sqlite_master WHERE tbl_name = 'protocol_trace' AND sql IS NOT NULL AND name <> 'protocol_trace_at_idx' ORDER BY type DESC")
      .all() as { sql: string }[];
    sqlite.transaction(() => {
      for (const { sql } of ddl) sqlite.exec(sql.replace(/^CREATE (TABLE|INDEX) [`"]?(\w+)[`"]?/, 'CREATE $1 trace.$2'));
      sqlite.run('INSERT INTO trace.protocol_trace SELECT * FROM main.protocol_trace');
      sqlite.run('DELETE FROM main.protocol_trace');
    }).immediate();
  }
  return 'trace.protocol_trace';
}

/** A connection of the service's file that only reads (the trace, and guest sessions for a session's trace). */
function readerOf(path: string): Database {
  const reader = new Database(path, { strict: true });
  reader.exec('PRAGMA busy_timeout = 5000');
  return reader;
}

/**
 * The protocol trace table. Inserts go through one prepared statement (written thousands of times a second under
 * load, where the query builder's per-row cost would show); reads are operator look-ups by station, partner or
 * session, in time order.
 *
 * `service`: the service's own connection. On a SQLite file the trace is read through a connection of its own with
 * the trace file attached (one attached to the service's connection would be write-locked by its BEGIN IMMEDIATE,
 * and so wait on the trace writer); only the trace worker writes it. `writer`: the trace worker's connection, which
 * attaches the trace file itself and writes it in deferred transactions (they lock only the file they write).
 */
export function traceRepo(sqlite: Database, role: 'service' | 'writer') {
  const separate = role === 'service' && sqlite.filename !== ':memory:' && !isPostgresUrl(sqlite.filename);
  const db = separate ? readerOf(sqlite.filename) : sqlite;
  const table = attachTrace(db);
  const insertSql = `INSERT INTO ${table} (at_ms, protocol, direction, charge_point_id, partner_id, session_id, guest_session_id, action,
     message_id, correlation_id, status, error_code, http_status, ocpi_status, duration_ms, method, url, payload)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
  // SQLite hands the new id back with every run (lastInsertRowid); a RETURNING row costs about a microsecond more
  // per insert, paid only on PostgreSQL, whose client has no such id.
  const onPostgres = isPostgresUrl(sqlite.filename);
  const insert = db.prepare(onPostgres ? `${insertSql} RETURNING id` : insertSql);
  const linkSession = db.prepare(`UPDATE ${table} SET session_id = ? WHERE id = ? AND session_id IS NULL`);
  // Two subqueries: `SELECT min(id), max(id)` in one is a scan of the whole table (SQLite's min/max shortcut takes one aggregate).
  const bounds = db.prepare(`SELECT (SELECT min(id) FROM ${table}) AS low, (SELECT max(id) FROM ${table}) AS high`);
  const firstNotOlder = db.prepare(`SELECT min(id) AS id FROM ${table} WHERE id >= ? AND id < ? AND at_ms >= ?`);
  let byTransaction: ReturnType<typeof db.prepare<{ id: string }, [string, string]>> | undefined;
  const n = (v: unknown) => (v === undefined ? null : v) as string | number | null;

  function where(subject: TraceSubject, q: TraceQuery): { sql: string; params: (string | number)[] } {
    const clauses: string[] = [];
    const params: (string | number)[] = [];
    if ('chargePointId' in subject) {
      clauses.push('charge_point_id = ?');
      params.push(subject.chargePointId);
    } else if ('partnerId' in subject) {
      clauses.push('partner_id = ?');
      params.push(subject.partnerId);
    } else {
      const guests = subject.guestSessionIds;
      clauses.push(guests.length ? `(session_id = ? OR guest_session_id IN (${guests.map(() => '?').join(', ')}))` : 'session_id = ?');
      params.push(subject.sessionId, ...guests);
    }
    if (q.sinceMs !== undefined) {
      clauses.push('at_ms >= ?');
      params.push(q.sinceMs);
    }
    if (q.untilMs !== undefined) {
      clauses.push('at_ms < ?');
      params.push(q.untilMs);
    }
    return { sql: clauses.join(' AND '), params };
  }

  return {
    /** The database file (`:memory:` for an in-memory database, which no other connection can open). */
    path: sqlite.filename,
    /** The trace worker's own look-up of a transaction's charging session (read only; as sessions.repo.ts `idByTransaction`). */
    sessionOfTransaction(chargePointId: string, transactionId: string): string | undefined {
      byTransaction ??= db.prepare<{ id: string }, [string, string]>('SELECT id FROM sessions WHERE charge_point_id = ? AND transaction_id = ?');
      return byTransaction.get(chargePointId, transactionId)?.id;
    },
    /** Inserts one row; returns its id (the batch writer links a CALL's row to a session its answer names). */
    insert(row: TraceRow): number {
      const values = [
        row.atMs, row.protocol, row.direction, n(row.chargePointId), n(row.partnerId), n(row.sessionId), n(row.guestSessionId), row.action,
        n(row.messageId), n(row.correlationId), row.status, n(row.errorCode), n(row.httpStatus), n(row.ocpiStatus), n(row.durationMs),
        n(row.method), n(row.url), n(row.payload),
      ] as const;
      if (onPostgres) return (insert.get(...values) as { id: number }).id;
      return Number(insert.run(...values).lastInsertRowid);
    },
    /**
     * `true`: the service's connection leaves the WAL's checkpoints to another one (the trace worker, every second)
     * and checkpoints only past 10,000 pages (40 MB: a worker starved of CPU on a saturated node); `false`: back to
     * SQLite's default (every 1,000 pages), as when no worker runs. Never throws (a closed database).
     */
    checkpointElsewhere(elsewhere: boolean) {
      try {
        if (sqlite.filename !== ':memory:') sqlite.exec(`PRAGMA wal_autocheckpoint = ${elsewhere ? 10_000 : 1000}`);
      } catch {
        // Closed: nothing left to checkpoint from here.
      }
    },
    /** A passive checkpoint of the service's file and the trace's: copies what no reader still needs from the WALs, never waits. */
    checkpoint() {
      db.exec('PRAGMA wal_checkpoint(PASSIVE)');
    },
    linkSession(id: number, sessionId: string) {
      linkSession.run(sessionId, id);
    },
    /** One page in time order, and how many rows match in all. */
    page(subject: TraceSubject, q: TraceQuery): { items: StoredTraceRow[]; total: number } {
      const w = where(subject, q);
      const total = (db.query(`SELECT count(*) AS n FROM ${table} WHERE ${w.sql}`).get(...w.params) as { n: number }).n;
      const items = db
        .query(`SELECT ${COLUMNS} FROM ${table} WHERE ${w.sql} ORDER BY at_ms, id LIMIT ? OFFSET ?`)
        .all(...w.params, q.limit, q.offset) as StoredTraceRow[];
      return { items, total };
    },
    /** Guest sessions whose charging session is `sessionId`: their payment calls belong to its trace. */
    guestSessionsOf(sessionId: string): string[] {
      const rows = db.query("SELECT id FROM guest_sessions WHERE json_extract(snapshot, '$.context.sessionId') = ?").all(sessionId) as { id: string }[];
      return rows.map((r) => r.id);
    },
    /**
     * Deletes rows older than `beforeMs`, up to `budget` ids from the oldest, in chunks so no single statement holds
     * the writer long. Rows are written in time order, so the old ones come first: everything before the first row
     * that is not old goes (one written a moment out of order, such as an OCPI call stamped at its start, goes with a
     * later prune).
     */
    deleteOlderThan(beforeMs: number, budget = 50_000): number {
      const { low } = bounds.get() as { low: number | null };
      if (low === null) return 0;
      const end = (firstNotOlder.get(low, low + budget, beforeMs) as { id: number | null }).id ?? low + budget;
      let deleted = 0;
      for (let from = low; from < end; from += 5000) deleted += db.run(`DELETE FROM ${table} WHERE id >= ? AND id < ?`, [from, Math.min(from + 5000, end)]).changes;
      return deleted;
    },
    /** Keeps the newest `maxRows` rows (ids only grow, so the oldest are the lowest ids). */
    deleteBeyond(maxRows: number): number {
      const { low, high } = bounds.get() as { low: number | null; high: number | null };
      if (low === null || high === null || high - low + 1 <= maxRows) return 0;
      return db.run(`DELETE FROM ${table} WHERE id <= ?`, [high - maxRows]).changes;
    },
    count(): number {
      return (db.query(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    },
    /** Closes the reading connection (the service's own is closed by its owner). */
    close() {
      if (separate) db.close();
    },
  };
}

export type TraceRepo = ReturnType<typeof traceRepo>;
