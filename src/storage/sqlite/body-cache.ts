/**
 * The stored (rendered) bodies of OCPI objects most recently read for a list page, kept in memory up to a byte
 * budget so that a page is its objects joined, not a hundred row reads: copying a body out of SQLite costs more
 * than the rest of a page together. SQLite stays the truth: a written object is dropped here (and read again when
 * a page next needs it), a rolled back transaction empties the cache, and when the budget is spent the bodies
 * fetched longest ago go first (a hit changes nothing: no bookkeeping on the way to the answer). Memory: at most the
 * budget, and never more than the bodies pages have asked for.
 */

/** The tables whose bodies pages read; part of the cache key. */
export const CACHED_TABLES = ['locations', 'tariffs', 'sessions', 'cdrs'] as const;
export type CachedTable = (typeof CACHED_TABLES)[number];

export class BodyCache {
  /** Key: seq × 4 + the table's index (seqs stay far below 2^51); insertion order is read order. */
  private readonly bodies = new Map<number, string>();
  private bytes = 0;

  constructor(private readonly budgetBytes: number) {}

  /**
   * The bodies of `seqs` (in that order), those not held fetched with `fetch` (seq and body of each, any order)
   * and kept. A seq `fetch` does not return has no body and is left out.
   */
  read(table: CachedTable, seqs: readonly number[], fetch: (missing: number[]) => [number, string][]): string[] {
    const tag = CACHED_TABLES.indexOf(table);
    const found: (string | undefined)[] = seqs.map((seq) => this.bodies.get(seq * 4 + tag));
    const missing = seqs.filter((_, i) => found[i] === undefined);
    if (missing.length === 0) return found as string[];
    const fetched = new Map(fetch(missing));
    for (const [seq, body] of fetched) this.keep(seq * 4 + tag, body);
    return seqs.flatMap((seq, i) => found[i] ?? fetched.get(seq) ?? []);
  }

  /** The object was written: its body is read from the table again when next needed. */
  drop(table: CachedTable, seq: number) {
    const key = seq * 4 + CACHED_TABLES.indexOf(table);
    const body = this.bodies.get(key);
    if (body === undefined) return;
    this.bodies.delete(key);
    this.bytes -= body.length;
  }

  clear() {
    this.bodies.clear();
    this.bytes = 0;
  }

  private keep(key: number, body: string) {
    if (body.length > this.budgetBytes) return;
    this.bytes += body.length;
    this.bodies.set(key, body);
    for (const [oldest, old] of this.bodies) {
      if (this.bytes <= this.budgetBytes) break;
      this.bodies.delete(oldest);
      this.bytes -= old.length;
    }
  }
}
