import { and, asc, count, gte, lt, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from './db.ts';
import type { PageFilter } from '../ports.ts';

export type { PageFilter };

/** `last_updated` in [date_from, date_to): inclusive start, exclusive end (OCPI 2.2.1 pagination). */
export function lastUpdatedWindow(column: SQLiteColumn, filter: PageFilter, ...more: (SQL | undefined)[]): SQL | undefined {
  return and(
    filter.fromMs === undefined ? undefined : gte(column, filter.fromMs),
    filter.toMs === undefined ? undefined : lt(column, filter.toMs),
    ...more,
  );
}

/** One page of stored OCPI bodies, oldest first (`seq`), with the total matching count. */
export function pageOf<T>(db: Db, table: SQLiteTable, columns: { seq: SQLiteColumn; body: SQLiteColumn }, where: SQL | undefined, filter: PageFilter) {
  const total = db.select({ n: count() }).from(table).where(where).get()?.n ?? 0;
  const items = db
    .select({ body: columns.body })
    .from(table)
    .where(where)
    .orderBy(asc(columns.seq))
    .limit(filter.limit)
    .offset(filter.offset)
    .all()
    .map((r) => r.body as T);
  return { items, total };
}
