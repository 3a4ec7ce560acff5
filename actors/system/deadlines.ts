import type { Clock } from '../../src/lib/clock.ts';

/**
 * Durable timers kept outside a machine, in one place and on the Clock port: a reservation's and a guest session's
 * expiry. (A station's offline grace and a command's timeout are their machines' `after`, on the same Clock.) The
 * deadlines themselves are data in each kind's rows (they survive a restart); each kind re-arms them from that data
 * when the actor system starts, and `cancelAll` stops every one at shutdown. Keys are namespaced by kind
 * (`reservation:7`, `guest:<id>`), one timer per key.
 */
export class Deadlines {
  private readonly armed = new Map<string, () => void>();

  constructor(private readonly clock: Clock) {}

  /** Arms (or re-arms) `key` to fire at `atMs`. */
  arm(key: string, atMs: number, fire: () => void): void {
    this.cancel(key);
    this.armed.set(
      key,
      this.clock.at(atMs, () => {
        this.armed.delete(key);
        fire();
      }),
    );
  }

  cancel(key: string): void {
    this.armed.get(key)?.();
    this.armed.delete(key);
  }

  get size(): number {
    return this.armed.size;
  }

  cancelAll(): void {
    for (const cancel of this.armed.values()) cancel();
    this.armed.clear();
  }
}
