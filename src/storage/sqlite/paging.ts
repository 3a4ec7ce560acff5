import { and, count, gte, lt, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

export interface PageFilter {
  offset: number;
  limit: number;
  fromMs?: number;
  toMs?: number;
}

/** `last_updated` in [date_from, date_to): inclusive start, exclusive end (OCPI 2.2.1 pagination). */
export function lastUpdatedWindow(column: SQLiteColumn, filter: PageFilter, ...more: (SQL | undefined)[]): SQL | undefined {
  return and(
    filter.fromMs === undefined ? undefined : gte(column, filter.fromMs),
    filter.toMs === undefined ? undefined : lt(column, filter.toMs),
    ...more,
  );
}

export { count };
export type { SQLWrapper };
