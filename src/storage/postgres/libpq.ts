/**
 * A synchronous PostgreSQL connection: libpq (Debian's libpq5, installed with the `postgresql` package) called
 * through bun:ffi. The storage ports and their transactions are synchronous (an actor's step, its snapshot and its
 * outbox rows commit in one `transact(fn)` call), and libpq's blocking calls keep them so: no async driver, no
 * worker thread handing results back across Atomics.wait. A round trip on loopback costs ≈ 60 µs.
 */
import { CString, dlopen, ptr, type Pointer } from 'bun:ffi';

const LIBRARY_NAMES = ['libpq.so.5', 'libpq.so', 'libpq.5.dylib', 'libpq.dylib'];

function load() {
  const problems: string[] = [];
  for (const name of LIBRARY_NAMES) {
    try {
      return dlopen(name, {
        PQconnectdb: { args: ['ptr'], returns: 'ptr' },
        PQstatus: { args: ['ptr'], returns: 'i32' },
        PQreset: { args: ['ptr'], returns: 'void' },
        PQfinish: { args: ['ptr'], returns: 'void' },
        PQerrorMessage: { args: ['ptr'], returns: 'cstring' },
        PQexec: { args: ['ptr', 'ptr'], returns: 'ptr' },
        PQexecParams: { args: ['ptr', 'ptr', 'i32', 'ptr', 'ptr', 'ptr', 'ptr', 'i32'], returns: 'ptr' },
        PQprepare: { args: ['ptr', 'ptr', 'ptr', 'i32', 'ptr'], returns: 'ptr' },
        PQexecPrepared: { args: ['ptr', 'ptr', 'i32', 'ptr', 'ptr', 'ptr', 'i32'], returns: 'ptr' },
        PQresultStatus: { args: ['ptr'], returns: 'i32' },
        PQresultErrorMessage: { args: ['ptr'], returns: 'cstring' },
        PQresultErrorField: { args: ['ptr', 'i32'], returns: 'cstring' },
        PQntuples: { args: ['ptr'], returns: 'i32' },
        PQnfields: { args: ['ptr'], returns: 'i32' },
        PQfname: { args: ['ptr', 'i32'], returns: 'cstring' },
        PQftype: { args: ['ptr', 'i32'], returns: 'u32' },
        PQgetvalue: { args: ['ptr', 'i32', 'i32'], returns: 'ptr' },
        PQgetisnull: { args: ['ptr', 'i32', 'i32'], returns: 'i32' },
        PQcmdTuples: { args: ['ptr'], returns: 'cstring' },
        PQcmdStatus: { args: ['ptr'], returns: 'cstring' },
        PQclear: { args: ['ptr'], returns: 'void' },
        PQtransactionStatus: { args: ['ptr'], returns: 'i32' },
      });
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  throw new Error(`libpq is not installed (Debian: apt-get install libpq5): ${problems[0]}`);
}

let lib: ReturnType<typeof load> | undefined;
const pq = () => (lib ??= load()).symbols;

const CONNECTION_OK = 0;
const PGRES_COMMAND_OK = 1;
const PGRES_TUPLES_OK = 2;
const PG_DIAG_SQLSTATE = 'C'.charCodeAt(0);
const PQTRANS_IDLE = 0;

/** A PostgreSQL error with its SQLSTATE (`23505` unique violation, `3D000` no such database, …). */
export class PostgresError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export type Param = string | number | bigint | boolean | null | undefined | Uint8Array;
export type Value = string | number | null | Uint8Array;

export interface Result {
  fields: string[];
  rows: Value[][];
  /** Rows inserted, updated or deleted (PQcmdTuples). */
  changes: number;
  /** The command tag: `COMMIT`, or `ROLLBACK` for a COMMIT of a transaction a failed statement had aborted. */
  command: string;
}

const encoder = new TextEncoder();
const cstr = (text: string) => encoder.encode(`${text}\0`);

/**
 * Values in libpq's text format: numbers as digits, booleans as SQLite stores them (1/0), bytes as bytea hex.
 * PostgreSQL text cannot hold NUL, and libpq would end the value at the first one (`A\0B` read as `A`, another
 * value altogether): a NUL becomes U+FFFD, so the value stays distinct from every other.
 */
function text(param: Param): string | null {
  if (param === null || param === undefined) return null;
  if (typeof param === 'boolean') return param ? '1' : '0';
  if (param instanceof Uint8Array) return `\\x${Buffer.from(param).toString('hex')}`;
  const value = String(param);
  return value.includes('\0') ? value.replaceAll('\0', '\uFFFD') : value;
}

/** The C arrays PQexecParams takes: one buffer of NUL-terminated values and the pointers into it. */
function marshal(params: readonly Param[]) {
  const texts = params.map(text);
  const chunks = texts.map((t) => (t === null ? null : cstr(t)));
  const buffer = new Uint8Array(chunks.reduce((n, c) => n + (c?.length ?? 0), 0) || 1);
  const pointers = new BigUint64Array(Math.max(1, params.length));
  const base = BigInt(ptr(buffer));
  let offset = 0;
  chunks.forEach((chunk, i) => {
    if (!chunk) return;
    buffer.set(chunk, offset);
    pointers[i] = base + BigInt(offset);
    offset += chunk.length;
  });
  return { buffer, pointers };
}

// Type OIDs (pg_type): integers and floats come back as numbers, as SQLite returns them; bool as 1/0; bytea as bytes.
const NUMBERS = new Set([20, 21, 23, 26, 700, 701, 1700]);
const BOOL = 16;
const BYTEA = 17;

function decode(raw: string, oid: number): Value {
  if (NUMBERS.has(oid)) return Number(raw);
  if (oid === BOOL) return raw === 't' ? 1 : 0;
  if (oid === BYTEA) return Buffer.from(raw.slice(2), 'hex');
  return raw;
}

export class PgConnection {
  private conn: Pointer | null;
  private readonly prepared = new Set<string>();
  private pinned: Uint8Array | undefined;
  private transactionOpen = false;

  constructor(url: string) {
    // Bounded waits at start (an unreachable host), and PostgreSQL's NOTICEs (e.g. "already exists, skipping") not on stderr.
    const given = new URL(url).searchParams;
    const defaults = { connect_timeout: '5', options: '-c client_min_messages=warning', application_name: 'dynamo' };
    const extra = Object.entries(defaults).filter(([key]) => !given.has(key));
    // encodeURIComponent, not URLSearchParams: libpq reads `+` as a plus, not a space.
    const query = extra.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&');
    const conn = pq().PQconnectdb(cstr(query ? `${url}${url.includes('?') ? '&' : '?'}${query}` : url)) as Pointer | null;
    if (!conn) throw new PostgresError('out of memory', '');
    if (pq().PQstatus(conn) !== CONNECTION_OK) {
      // One line, without libpq's "connection to server at … failed:" and "FATAL:" framing (the URL is said by the caller).
      const message = String(pq().PQerrorMessage(conn))
        .replace(/connection to server at [^\n]*? failed:\s*/g, '')
        .replace(/FATAL:\s+/g, '')
        .trim()
        .replace(/\s*\n\s*/g, '; ');
      pq().PQfinish(conn);
      throw new PostgresError(message, '08001');
    }
    this.conn = conn;
  }

  /** One statement with `$n` parameters; `name` runs it as a server-side prepared statement (parsed once per connection). */
  query(sql: string, params: readonly Param[] = [], name?: string): Result {
    const conn = this.open();
    const { buffer, pointers } = marshal(params);
    // The pointers point into `buffer`: held here so no collection frees it before libpq has read the values.
    this.pinned = buffer;
    let res: Pointer | null;
    if (name) {
      if (!this.prepared.has(name)) {
        this.check(pq().PQprepare(conn, cstr(name), cstr(sql), params.length, null) as Pointer | null);
        this.prepared.add(name);
      }
      res = pq().PQexecPrepared(conn, cstr(name), params.length, pointers, null, null, 0) as Pointer | null;
    } else {
      res = pq().PQexecParams(conn, cstr(sql), params.length, null, pointers, null, null, 0) as Pointer | null;
    }
    this.pinned = undefined;
    return this.check(res);
  }

  /** Statements without parameters, separated by semicolons (DDL, BEGIN/COMMIT). */
  script(sql: string): Result {
    return this.check(pq().PQexec(this.open(), cstr(sql)) as Pointer | null);
  }

  /**
   * BEGIN, sent again on a new connection when the server had dropped this one while it was idle (a restart, an idle
   * timeout): nothing ran yet, so nothing can run twice. (Other statements fail once and reconnect for the next.)
   */
  begin() {
    try {
      this.script('BEGIN');
    } catch (error) {
      if (!this.conn || pq().PQstatus(this.conn) === CONNECTION_OK || this.transactionOpen) throw error;
      this.script('BEGIN');
    }
  }

  /**
   * COMMIT, failing when PostgreSQL rolled back instead: after a failed statement (outside a savepoint) the
   * transaction is aborted, and COMMIT then ends it as a ROLLBACK without reporting an error.
   */
  commit() {
    if (this.script('COMMIT').command === 'ROLLBACK')
      throw new PostgresError('the transaction was rolled back: a statement in it had failed', '25P02');
  }

  /** ROLLBACK; on a connection that is gone there is nothing to roll back (the server did when it went). */
  rollback() {
    try {
      this.script('ROLLBACK');
    } catch (error) {
      if (this.conn && pq().PQstatus(this.conn) === CONNECTION_OK) throw error;
      this.transactionOpen = false;
    }
  }

  /** Between BEGIN and COMMIT/ROLLBACK, as of the last statement (also once the connection is lost). */
  get inTransaction() {
    return this.transactionOpen;
  }

  close() {
    if (this.conn) pq().PQfinish(this.conn);
    this.conn = null;
  }

  /**
   * The connection, re-established when the server dropped it (a restart) and no transaction was open on it: the
   * rest of a transaction must not go on in autocommit on a new connection.
   */
  private open(): Pointer {
    if (!this.conn) throw new PostgresError('the database connection is closed', '08003');
    if (pq().PQstatus(this.conn) !== CONNECTION_OK) {
      if (this.transactionOpen) throw new PostgresError('the database connection was lost inside a transaction (rolled back)', '08006');
      pq().PQreset(this.conn);
      this.prepared.clear();
      if (pq().PQstatus(this.conn) !== CONNECTION_OK) throw new PostgresError(String(pq().PQerrorMessage(this.conn)).trim(), '08006');
    }
    return this.conn;
  }

  private check(res: Pointer | null): Result {
    if (!res) throw new PostgresError(String(pq().PQerrorMessage(this.conn)).trim(), '08006');
    try {
      const status = pq().PQresultStatus(res);
      if (status !== PGRES_COMMAND_OK && status !== PGRES_TUPLES_OK)
        throw new PostgresError(String(pq().PQresultErrorMessage(res)).trim(), String(pq().PQresultErrorField(res, PG_DIAG_SQLSTATE)));
      const width = pq().PQnfields(res);
      const fields: string[] = [];
      const types: number[] = [];
      for (let c = 0; c < width; c++) {
        fields.push(String(pq().PQfname(res, c)));
        types.push(pq().PQftype(res, c));
      }
      const rows: Value[][] = [];
      const count = pq().PQntuples(res);
      for (let r = 0; r < count; r++) {
        const row: Value[] = new Array(width);
        for (let c = 0; c < width; c++)
          row[c] = pq().PQgetisnull(res, r, c) ? null : decode(new CString(pq().PQgetvalue(res, r, c)!).toString(), types[c]!);
        rows.push(row);
      }
      return { fields, rows, changes: Number(String(pq().PQcmdTuples(res))) || 0, command: String(pq().PQcmdStatus(res)) };
    } finally {
      pq().PQclear(res);
      // A lost connection knows no transaction status: what was known before the loss stands.
      if (this.conn && pq().PQstatus(this.conn) === CONNECTION_OK) this.transactionOpen = pq().PQtransactionStatus(this.conn) !== PQTRANS_IDLE;
    }
  }
}
