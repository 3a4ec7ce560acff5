import type { Clock } from '../../src/lib/clock.ts';
import type { Logger } from '../../src/lib/logger.ts';
import type { LastSeenStore, Transact } from '../../src/storage/ports.ts';

/** How often what stations' messages said about their liveness is written: at most once per this. */
export const LAST_SEEN_FLUSH_MS = 5_000;
/**
 * Rows per transaction of a timed flush, one transaction per event-loop turn. Each row is on a page of its own in a
 * large network (20–30 µs a row at 19,500 stations, its page written to the WAL): 19,500 in one transaction held
 * the loop for tens of milliseconds every 5 s, slices of 1,000 for 10–18 ms and slices of 200 still for 4–6 ms
 * (CPU profile of the paced phase), which every station waiting then saw in its answer time; 50 hold it for about 1 ms.
 */
const FLUSH_SLICE = 50;

/**
 * When each station was last heard from. A Heartbeat (and any message that only says "I am here") changes this in
 * memory, never the charge point's snapshot: the pending values are written together, at most every
 * LAST_SEEN_FLUSH_MS and at shutdown. A crash loses at most those seconds of "last seen", nothing a station was
 * acknowledged for. Readers get the pending value, else the flushed one.
 */
export class Liveness {
  /** Heard since the last flush, by station. */
  private readonly pending = new Map<string, string>();
  private cancelFlush: (() => void) | undefined;

  constructor(
    private readonly deps: { store: LastSeenStore; transact: Transact; clock: Clock; logger: Logger; flushEveryMs?: number },
  ) {}

  seen(id: string, at: string): void {
    this.pending.set(id, at);
    if (this.cancelFlush) return;
    const { clock } = this.deps;
    this.cancelFlush = clock.at(clock.now().getTime() + (this.deps.flushEveryMs ?? LAST_SEEN_FLUSH_MS), () => {
      this.cancelFlush = undefined;
      this.flushInSlices(this.pending.size);
    });
  }

  lastSeen(id: string): string | undefined {
    return this.pending.get(id) ?? this.deps.store.stored(id);
  }

  /** A removed station: nothing of it is to be written any more. */
  forget(id: string): void {
    this.pending.delete(id);
  }

  /** Writes every pending value in one transaction (shutdown). */
  flush(): void {
    if (this.pending.size === 0) return;
    const entries = [...this.pending];
    this.pending.clear();
    this.write(entries);
  }

  /**
   * The timer's flush: the `left` values pending when it fired (the oldest first), FLUSH_SLICE per turn; a station
   * heard again meanwhile has its newer value written, now or with the next flush.
   */
  private flushInSlices(left: number): void {
    const entries: [string, string][] = [];
    for (const entry of this.pending) {
      if (entries.length === Math.min(left, FLUSH_SLICE)) break;
      entries.push(entry);
    }
    for (const [id] of entries) this.pending.delete(id);
    this.write(entries);
    const rest = left - entries.length;
    if (rest > 0 && this.pending.size > 0) setImmediate(() => this.flushInSlices(rest));
  }

  private write(entries: [string, string][]): void {
    if (entries.length === 0) return;
    try {
      this.deps.transact(() => this.deps.store.write(entries));
    } catch (error) {
      // Kept for the next flush unless newer values came meanwhile; "last seen" is never worth failing a message for.
      this.deps.logger.warn('Writing stations’ last-seen times failed; retried with the next flush', { error, stations: entries.length });
      for (const [id, at] of entries) if (!this.pending.has(id)) this.seen(id, at);
    }
  }

  /** Shutdown: the timer goes, what is pending is written. */
  close(): void {
    this.cancelFlush?.();
    this.cancelFlush = undefined;
    this.flush();
  }
}
