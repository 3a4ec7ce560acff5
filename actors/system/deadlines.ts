import type { Clock } from '../../src/lib/clock.ts';

/**
 * Durable timers kept outside a machine, on the Clock port: a reservation's expiry (a reservation is a row, not an
 * actor). A station's offline grace, a command's timeout and a guest session's expiry are their machines' `after`,
 * on the same Clock. The deadlines themselves are data in the rows (they survive a restart); they are re-armed from
 * that data when the actor system starts, and `cancelAll` stops every one at shutdown. One timer per key
 * (`reservation:7`).
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

  has(key: string): boolean {
    return this.armed.has(key);
  }

  cancel(key: string): void {
    this.armed.get(key)?.();
    this.armed.delete(key);
  }

  cancelAll(): void {
    for (const cancel of this.armed.values()) cancel();
    this.armed.clear();
  }
}
