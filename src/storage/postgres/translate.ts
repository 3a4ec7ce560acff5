/**
 * The SQL the repositories and migrations are written in (SQLite's, as drizzle's SQLite dialect emits it) said the
 * way PostgreSQL takes it. The repositories keep to what both engines share; what is left differs in spelling only:
 * - parameters: `?` → `$1, $2, …`, numbered ones `?3` → `$3`; identifiers in backticks (drizzle-kit's migrations) → double quotes;
 * - DDL column types: `integer` → `bigint` (millisecond timestamps exceed int4), `real` → `double precision`,
 *   `blob` → `bytea`; `PRIMARY KEY AUTOINCREMENT` → a sequence filled in by a trigger when the id is NULL or left
 *   out (drizzle's SQLite dialect writes NULL for an omitted column, which an identity column would refuse);
 * - `on conflict ("t"."c")` → `on conflict ("c")`;
 * - PRAGMAs tune SQLite's file and have no counterpart: they become no statement at all.
 * Each SQL text is translated once per prepared statement (client.ts caches by text).
 */

/** Splits `sql` into code and quoted parts (strings, identifiers, comments), so rewrites touch code only. */
function segments(sql: string): { code: boolean; text: string }[] {
  const out: { code: boolean; text: string }[] = [];
  let i = 0;
  let start = 0;
  const push = (code: boolean, end: number) => {
    if (end > start) out.push({ code, text: sql.slice(start, end) });
    start = end;
  };
  while (i < sql.length) {
    const c = sql[i]!;
    const close = c === "'" ? "'" : c === '"' ? '"' : c === '`' ? '`' : sql.startsWith('--', i) ? '\n' : sql.startsWith('/*', i) ? '*/' : undefined;
    if (!close) {
      i++;
      continue;
    }
    push(true, i);
    const end = sql.indexOf(close, i + 1 + (close === '*/' ? 1 : 0));
    i = end < 0 ? sql.length : end + close.length;
    const text = sql.slice(start, i);
    out.push({ code: false, text: c === '`' ? `"${text.slice(1, -1)}"` : text });
    start = i;
  }
  push(true, sql.length);
  return out;
}

const DDL = /^\s*(CREATE\s+TABLE|ALTER\s+TABLE)/i;
const PRAGMA = /^\s*PRAGMA\b/i;

export interface Translated {
  sql: string;
  /** DDL may become several statements (a table and its id sequence); it never takes parameters. */
  ddl: boolean;
}

export function toPostgres(sql: string): Translated {
  if (PRAGMA.test(sql)) return { sql: '', ddl: true };
  const ddl = DDL.test(sql);
  let n = 0;
  const parts = segments(sql).map(({ code, text }) => {
    if (!code) return text;
    let out = text.replace(/\?(\d+)?/g, (_, index?: string) => `$${index ?? ++n}`);
    if (ddl)
      out = out
        .replace(/\binteger\b/gi, 'bigint')
        .replace(/\breal\b/gi, 'double precision')
        .replace(/\bblob\b/gi, 'bytea');
    return out;
  });
  // drizzle's SQLite dialect names the conflict target's columns with their table; PostgreSQL takes bare names.
  const joined = parts.join('').replace(/(on conflict \()([^)]*)\)/gi, (_, open: string, columns: string) => `${open}${columns.replace(/"[^"]+"\./g, '')})`);
  return { sql: ddl ? withAutoincrement(joined) : joined, ddl };
}

/**
 * `CREATE TABLE t (id bigint PRIMARY KEY AUTOINCREMENT …)` → the table, a sequence owned by the column, and a
 * trigger filling it. With IF NOT EXISTS (a component creating its table at every start) all of it happens only
 * when the table is missing, so a start with the table in place writes nothing and locks nothing.
 */
function withAutoincrement(sql: string): string {
  const [, ifNotExists, table] = /^\s*CREATE\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?("[^"]+"|\w+)/i.exec(sql) ?? [];
  const column = /("[^"]+"|\w+)\s+bigint\s+PRIMARY\s+KEY\s+AUTOINCREMENT/i.exec(sql)?.[1];
  if (!table || !column) return sql;
  const bare = (name: string) => name.replace(/"/g, '');
  const sequence = `"${bare(table)}_${bare(column)}_seq"`;
  const fill = `"${bare(table)}_${bare(column)}_fill"`;
  const statements = [
    sql.replace(/PRIMARY\s+KEY\s+AUTOINCREMENT/i, 'PRIMARY KEY'),
    `CREATE SEQUENCE ${sequence} OWNED BY ${table}.${column}`,
    `CREATE OR REPLACE FUNCTION ${fill}() RETURNS trigger LANGUAGE plpgsql AS $fill$ BEGIN
       IF NEW.${column} IS NULL THEN NEW.${column} := nextval('${sequence}'); END IF; RETURN NEW; END $fill$`,
    `CREATE TRIGGER ${fill} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION ${fill}()`,
  ];
  if (!ifNotExists) return statements.join(';\n');
  return `DO $create$ BEGIN IF to_regclass('${table}') IS NULL THEN\n${statements.join(';\n')};\nEND IF; END $create$`;
}

/**
 * SQLite lets a table reference one created later in the same migration (drizzle-kit orders tables by name);
 * PostgreSQL does not. A CREATE TABLE's `FOREIGN KEY …` lines come out, as ALTER TABLEs to run once the
 * migration's tables all exist.
 */
export function deferForeignKeys(sql: string): { sql: string; constraints: string[] } {
  const table = /^\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(`[^`]+`|"[^"]+"|\w+)/i.exec(sql)?.[1];
  if (!table) return { sql, constraints: [] };
  const lines = sql.split('\n');
  const constraints = lines.filter((l) => /^\s*FOREIGN\s+KEY\b/i.test(l)).map((l) => `ALTER TABLE ${table} ADD ${l.trim().replace(/,$/, '')}`);
  if (constraints.length === 0) return { sql, constraints };
  const kept = lines.filter((l) => !/^\s*FOREIGN\s+KEY\b/i.test(l));
  // The column list's last line lost its follower: drop its comma.
  const close = kept.findLastIndex((l) => /^\s*\)/.test(l));
  if (close > 0) kept[close - 1] = kept[close - 1]!.replace(/,\s*$/, '');
  return { sql: kept.join('\n'), constraints };
}
