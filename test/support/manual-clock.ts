import type { Clock } from '../../src/lib/clock.ts';

/**
 * A clock that moves only when the test says so: `advance` fires every timer that falls due, in time order, with
 * `now()` at each timer's own moment — deadlines are tested without waiting for them.
 */
export class ManualClock implements Clock {
  private nowMs: number;
  private nextId = 0;
  private readonly timers = new Map<number, { atMs: number; fire: () => void }>();

  constructor(start: string | number = Date.now()) {
    this.nowMs = typeof start === 'number' ? start : Date.parse(start);
  }

  now(): Date {
    return new Date(this.nowMs);
  }

  at(atMs: number, fire: () => void): () => void {
    const id = ++this.nextId;
    this.timers.set(id, { atMs, fire });
    return () => void this.timers.delete(id);
  }

  /** Timers waiting to fire. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing what falls due on the way (also timers armed by those that fire). */
  advance(ms: number): void {
    const target = this.nowMs + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.atMs <= target).sort(([a, x], [b, y]) => x.atMs - y.atMs || a - b)[0];
      if (!due) break;
      const [id, timer] = due;
      this.timers.delete(id);
      this.nowMs = Math.max(this.nowMs, timer.atMs);
      timer.fire();
    }
    this.nowMs = target;
  }
}
