/**
 * A PostgreSQL connection with the part of bun:sqlite's `Database` that the storage uses: `prepare`/`query` → statements with `run/get/all/values`, `run`, `exec`, nestable
 * synchronous `transaction(fn)`, `close`. So drizzle's bun-sqlite driver and the repositories' own prepared
 * statements run unchanged on PostgreSQL; SQL is translated once per text (translate.ts).
 */
import { PgConnection, type Param, type Result, type Value } from './libpq.ts';
import { toPostgres, type Translated } from './translate.ts';

type Row = Record<string, Value>;

function objects({ fields, rows }: Result): Row[] {
  return rows.map((values) => {
    const row: Row = {};
    fields.forEach((field, i) => (row[field] = values[i]!));
    return row;
  });
}

/** bun:sqlite takes the parameters spread (`get(a, b)`) or as one array (`run(sql, [a, b])`). */
const flat = (params: unknown[]): Param[] => (params.length === 1 && Array.isArray(params[0]) ? params[0] : params) as Param[];

class Statement {
  constructor(
    private readonly client: PostgresClient,
    private readonly translated: Translated,
    private readonly name: string,
  ) {}

  run(...params: unknown[]) {
    const { changes } = this.execute(params);
    return { changes, lastInsertRowid: 0 };
  }

  get(...params: unknown[]): any {
    return objects(this.execute(params))[0] ?? null;
  }

  all(...params: unknown[]): any[] {
    return objects(this.execute(params));
  }

  values(...params: unknown[]): any[][] {
    return this.execute(params).rows;
  }

  private execute(params: unknown[]): Result {
    const { sql, ddl } = this.translated;
    if (ddl) return sql ? this.client.connection.script(sql) : { fields: [], rows: [], changes: 0, command: '' };
    const result = this.client.connection.query(sql, flat(params), this.name);
    this.client.totalChanges += result.changes;
    return result;
  }
}

export class PostgresClient {
  readonly connection: PgConnection;
  private readonly statements = new Map<string, Statement>();
  private depth = 0;
  /** Rows changed through this client so far, as SQLite's total_changes() (several nodes: a change is announced). */
  totalChanges = 0;

  /** `filename` as in bun:sqlite: where the data is (here the connection URL), for components that open their own connection. */
  constructor(readonly filename: string) {
    this.connection = new PgConnection(filename);
  }

  prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = new Statement(this, toPostgres(sql), `s${this.statements.size + 1}`);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  query(sql: string): Statement {
    return this.prepare(sql);
  }

  /** As bun:sqlite's; BEGIN (any SQLite flavour), COMMIT and ROLLBACK go through the connection's own (libpq.ts). */
  run(sql: string, ...params: unknown[]) {
    if (/^\s*BEGIN\b/i.test(sql)) this.connection.begin();
    else if (/^\s*COMMIT\s*$/i.test(sql)) this.connection.commit();
    else if (/^\s*ROLLBACK\s*$/i.test(sql)) this.connection.rollback();
    else return new Statement(this, toPostgres(sql), '').run(...params);
    return { changes: 0, lastInsertRowid: 0 };
  }

  /** As bun:sqlite's: a transaction is open (by `transaction` or by a BEGIN run directly). */
  get inTransaction() {
    return this.connection.inTransaction;
  }

  exec(sql: string) {
    const { sql: translated } = toPostgres(sql);
    if (translated) this.connection.script(translated);
  }

  /**
   * As bun:sqlite: `transaction(fn)` returns a function running `fn` in BEGIN … COMMIT (ROLLBACK when it throws),
   * or in a savepoint when a transaction is already open (by another `transaction` or a BEGIN run directly: the
   * group commit's batch); `.immediate()`/`.deferred()` are the same here (PostgreSQL
   * takes row locks as it writes).
   */
  transaction<A extends unknown[], T>(fn: (...args: A) => T) {
    const run = (...args: A): T => {
      const savepoint = this.connection.inTransaction ? `sp${this.depth}` : undefined;
      if (savepoint) this.connection.script(`SAVEPOINT ${savepoint}`);
      else this.connection.begin();
      this.depth++;
      try {
        const result = fn(...args);
        if (savepoint) this.connection.script(`RELEASE SAVEPOINT ${savepoint}`);
        else this.connection.commit();
        return result;
      } catch (error) {
        if (!savepoint) this.connection.rollback();
        else if (this.connection.inTransaction) {
          try {
            this.connection.script(`ROLLBACK TO SAVEPOINT ${savepoint}; RELEASE SAVEPOINT ${savepoint}`);
          } catch {
            // The connection is gone: the transaction around it fails too, and rolls back.
          }
        }
        throw error;
      } finally {
        this.depth--;
      }
    };
    return Object.assign(run, { immediate: run, deferred: run, exclusive: run });
  }

  close() {
    this.connection.close();
  }
}
