/**
 * OCPI lists served from SQLite at a cost that depends on the page, not on the offset or the size of the table:
 * each list's order is held in a PagedList (members by seq with their last_updated), built from the table the
 * first time the list is asked for and kept current by the repository on every write; the page's rows are then
 * fetched by seq, already rendered (served-json.ts), and joined into the answer as they are.
 */
import type { Database, Statement } from 'bun:sqlite';
import type { PageFilter, RenderedPage } from '../ports.ts';
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
 * Every table's PagedLists (and anything else derived from the tables and kept in memory), so that a rolled back
 * transaction can drop them all.
 */
export function pagingRegistry() {
  const forgets: (() => void)[] = [];
  return {
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
 * The stored (rendered) bodies of `table` for the given seqs, in seq order, joined by commas into one UTF-8 buffer
 * by SQLite itself: one prepared statement for any number of seqs, one allocation for the page. (The rows reach
 * group_concat in the subquery's order: SQLite does not flatten an ordered subquery into an aggregate.)
 */
export function bodiesBySeq(sqlite: Database, table: string) {
  const query = sqlite.prepare(
    `SELECT CAST(group_concat(body, ',') AS BLOB) FROM (SELECT body FROM ${table} WHERE seq IN (SELECT value FROM json_each(?)) ORDER BY seq)`,
  );
  const none = new Uint8Array(0);
  return (seqs: number[]): Uint8Array => (seqs.length === 0 ? none : ((query.values(JSON.stringify(seqs)) as [Uint8Array][])[0]?.[0] ?? none));
}

/** One page of a list: the members the filter selects, minus `hidden` (seqs, ascending), rendered. */
export function readPage(list: PagedList, filter: PageFilter, bodies: (seqs: number[]) => Uint8Array, hidden: readonly number[] = []): RenderedPage {
  const window = { fromMs: filter.fromMs, toMs: filter.toMs };
  const { seqs, total } = list.page(filter.offset, filter.limit, window, hidden);
  return { json: bodies(seqs), count: seqs.length, total };
}
