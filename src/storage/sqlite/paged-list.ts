/**
 * The members of one OCPI list in their paging order (`seq`, ascending), each with its `last_updated`, kept so that
 * a page at any offset — also within a date_from/date_to window — is found without walking the members before it.
 * SQLite has no positional access (OFFSET steps over every skipped row) and no counted index, hence this.
 *
 * Members live in blocks of at most 2 × BLOCK, in order; each block also keeps its `last_updated` values sorted,
 * so that the members of a block inside a window are counted by two binary searches. With n members:
 * - position → member without a window: O(n / BLOCK) block sizes added (≈ 200 at 100,000), then O(1);
 * - the same inside a window: O(n / BLOCK · log BLOCK) to count blocks, then O(BLOCK) in the block found;
 * - a page of `limit` members from there: O(limit), plus O(log BLOCK) per block skipped or passed;
 * - insert, remove, or a new last_updated: O(log(n / BLOCK) + BLOCK).
 */

const BLOCK = 512;

/** `last_updated` in [fromMs, toMs): inclusive start, exclusive end (OCPI 2.2.1 pagination). */
export interface Window {
  fromMs?: number | undefined;
  toMs?: number | undefined;
}

interface Block {
  seqs: number[];
  lus: number[];
  /** `lus`, sorted: the block's members inside a window without looking at each. */
  sorted: number[];
}

export class PagedList {
  private blocks: Block[] = [];
  private count = 0;

  /** Members in `seq` order (a loader reads them so), each with its last_updated ms. */
  static of(rows: Iterable<[seq: number, lastUpdatedMs: number]>) {
    const list = new PagedList();
    for (const [seq, lu] of rows) list.put(seq, lu);
    return list;
  }

  get size() {
    return this.count;
  }

  /** Adds a member, or moves an existing one to its new last_updated. */
  put(seq: number, lastUpdatedMs: number) {
    const last = this.blocks.at(-1);
    if (!last || seq > last.seqs.at(-1)!) return this.append(seq, lastUpdatedMs);
    const block = this.blocks[this.blockOf(seq)]!;
    const i = lowerBound(block.seqs, seq);
    if (block.seqs[i] === seq) {
      if (block.lus[i] === lastUpdatedMs) return;
      removeSorted(block.sorted, block.lus[i]!);
      block.lus[i] = lastUpdatedMs;
      insertSorted(block.sorted, lastUpdatedMs);
      return;
    }
    block.seqs.splice(i, 0, seq);
    block.lus.splice(i, 0, lastUpdatedMs);
    insertSorted(block.sorted, lastUpdatedMs);
    this.count += 1;
    if (block.seqs.length > 2 * BLOCK) this.split(block);
  }

  remove(seq: number) {
    if (this.blocks.length === 0) return;
    const b = this.blockOf(seq);
    const block = this.blocks[b]!;
    const i = lowerBound(block.seqs, seq);
    if (block.seqs[i] !== seq) return;
    removeSorted(block.sorted, block.lus[i]!);
    block.seqs.splice(i, 1);
    block.lus.splice(i, 1);
    this.count -= 1;
    if (block.seqs.length === 0) this.blocks.splice(b, 1);
  }

  /** How many members the window holds. */
  private total(window: Window) {
    if (window.fromMs === undefined && window.toMs === undefined) return this.count;
    let n = 0;
    for (const block of this.blocks) n += inWindow(block, window);
    return n;
  }

  /**
   * The seqs at positions [offset, offset + limit) of the members inside the window, leaving out `hidden` (seqs in
   * ascending order, few: each is looked at on its own), and how many such members there are in all.
   */
  page(offset: number, limit: number, window: Window = {}, hidden: readonly number[] = []): { seqs: number[]; total: number } {
    const skipped = hidden.filter((seq) => {
      const lu = this.lastUpdated(seq);
      return lu !== undefined && within(lu, window);
    });
    // The k-th visible member is the (k + number of hidden members before it)-th member of the window.
    let position = offset;
    for (const seq of skipped) {
      if (this.positionOf(seq, window) <= position) position += 1;
      else break;
    }
    const seqs: number[] = [];
    const hide = new Set(skipped);
    for (const seq of this.from(position, window)) {
      if (seqs.length === limit) break;
      if (!hide.has(seq)) seqs.push(seq);
    }
    return { seqs, total: this.total(window) - skipped.length };
  }

  /** The member's last_updated, or undefined for a seq that is not a member. */
  private lastUpdated(seq: number): number | undefined {
    if (this.blocks.length === 0) return undefined;
    const block = this.blocks[this.blockOf(seq)]!;
    const i = lowerBound(block.seqs, seq);
    return block.seqs[i] === seq ? block.lus[i] : undefined;
  }

  /** Members inside the window with a smaller seq. */
  private positionOf(seq: number, window: Window) {
    const b = this.blockOf(seq);
    let n = 0;
    for (let i = 0; i < b; i++) n += inWindow(this.blocks[i]!, window);
    const block = this.blocks[b]!;
    const end = lowerBound(block.seqs, seq);
    for (let i = 0; i < end; i++) if (within(block.lus[i]!, window)) n += 1;
    return n;
  }

  /** The window's members from the given position on, in order. */
  private *from(position: number, window: Window): Generator<number> {
    const filtered = window.fromMs !== undefined || window.toMs !== undefined;
    let skip = position;
    for (const block of this.blocks) {
      const here = filtered ? inWindow(block, window) : block.seqs.length;
      if (skip >= here) {
        skip -= here;
        continue;
      }
      for (let i = 0; i < block.seqs.length; i++) {
        if (filtered && !within(block.lus[i]!, window)) continue;
        if (skip > 0) skip -= 1;
        else yield block.seqs[i]!;
      }
    }
  }

  private append(seq: number, lu: number) {
    let last = this.blocks.at(-1);
    if (!last || last.seqs.length >= BLOCK) {
      last = { seqs: [], lus: [], sorted: [] };
      this.blocks.push(last);
    }
    last.seqs.push(seq);
    last.lus.push(lu);
    insertSorted(last.sorted, lu);
    this.count += 1;
  }

  /** The block that holds `seq`, or would: the first whose last seq is not below it (else the last block). */
  private blockOf(seq: number) {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.blocks[mid]!.seqs.at(-1)! < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private split(block: Block) {
    const half = block.seqs.length >> 1;
    const right: Block = { seqs: block.seqs.splice(half), lus: block.lus.splice(half), sorted: [] };
    right.sorted = [...right.lus].sort((a, b) => a - b);
    block.sorted = [...block.lus].sort((a, b) => a - b);
    this.blocks.splice(this.blocks.indexOf(block) + 1, 0, right);
  }
}

function within(lu: number, window: Window) {
  return (window.fromMs === undefined || lu >= window.fromMs) && (window.toMs === undefined || lu < window.toMs);
}

function inWindow(block: Block, window: Window) {
  const start = window.fromMs === undefined ? 0 : lowerBound(block.sorted, window.fromMs);
  const end = window.toMs === undefined ? block.sorted.length : lowerBound(block.sorted, window.toMs);
  return Math.max(0, end - start);
}

/** The first index whose value is not below `value`. */
function lowerBound(values: number[], value: number) {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(values: number[], value: number) {
  values.splice(lowerBound(values, value), 0, value);
}

function removeSorted(values: number[], value: number) {
  values.splice(lowerBound(values, value), 1);
}
