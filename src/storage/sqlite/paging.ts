/**
 * OCPI lists served from SQLite at a cost that depends on the page, not on the offset or the size of the table:
 * each list's order is held in a PagedList (members by seq with their last_updated), built from the table the
 * first time the list is asked for and kept current by the repository on every write; the page's bodies, stored
 * already rendered (served-json.ts), come from the BodyCache or by seq from the table, and are joined as they are.
 */
import type { Database, Statement } from 'bun:sqlite';
import type { PageFilter, RenderedPage } from '../ports.ts';
import { BodyCache, type CachedTable } from './body-cache.ts';
import { PagedList } from './paged-list.ts';

export type { PageFilter, RenderedPage };

/**
 * The lists of one table by key, built on first use. A list is derived data: after a rolled back transaction
 * (whose writes it may already hold) every list is dropped and rebuilt from the table when next asked for.
 */
export class PagedLists {
  private readonly lists = new Map<string, PagedList>();

  constructor(private readonly load: (key: string) => Iterable<[number, number]>) {}

  get(key: string): PagedList {
    let list = this.lists.get(key);
    if (!list) {
      list = PagedList.of(this.load(key));
      this.lists.set(key, list);
    }
    return list;
  }

  /** The lists built so far, by key: a write keeps each one holding the row current. */
  built(): IterableIterator<[string, PagedList]> {
    return this.lists.entries();
  }

  forget() {
    this.lists.clear();
  }
}

/**
 * Every table's PagedLists and the BodyCache (and anything else derived from the tables and kept in memory), so
 * that a rolled back transaction can drop them all.
 */
export function pagingRegistry(cacheBytes: number) {
  const cache = new BodyCache(cacheBytes);
  const forgets: (() => void)[] = [() => cache.clear()];
  return {
    cache,
    lists(load: (key: string) => Iterable<[number, number]>) {
      const lists = new PagedLists(load);
      forgets.push(() => lists.forget());
      return lists;
    },
    onForget(forget: () => void) {
      forgets.push(forget);
    },
    forget() {
      for (const forget of forgets) forget();
    },
  };
}
export type PagingRegistry = ReturnType<typeof pagingRegistry>;

/** Rows of `seq, last_updated_ms` from a prepared statement, as a list loader takes them. */
export function seqsAndStamps(statement: Statement, ...params: string[]) {
  return statement.values(...params) as [number, number][];
}

/**
 * The stored (rendered) bodies of `table` for the given seqs, in that order, joined by commas: from the cache, the
 * others with one prepared statement (any number of seqs).
 */
export function bodiesBySeq(sqlite: Database, table: CachedTable, registry: PagingRegistry) {
  const query = sqlite.prepare(`SELECT seq, body FROM ${table} WHERE seq IN (SELECT CAST(value AS BIGINT) FROM json_each(?, '$'))`);
  const fetch = (missing: number[]) => query.values(JSON.stringify(missing)) as [number, string][];
  return (seqs: number[]): string => registry.cache.read(table, seqs, fetch).join(',');
}

/** One page of a list: the members the filter selects, minus `hidden` (seqs, ascending), rendered. */
export function readPage(list: PagedList, filter: PageFilter, bodies: (seqs: number[]) => string, hidden: readonly number[] = []): RenderedPage {
  const window = { fromMs: filter.fromMs, toMs: filter.toMs };
  const { seqs, total } = list.page(filter.offset, filter.limit, window, hidden);
  return { json: bodies(seqs), count: seqs.length, total };
}
