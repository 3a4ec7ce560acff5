import type { Clock } from '../../src/lib/clock.ts';
import type { ChargePointEvent } from './charge-point.events.ts';

export type Connected = Extract<ChargePointEvent, { type: 'CONNECTED' }>;

/** How long a held connection waits for its station's first event before it is recorded alone. */
export const ARRIVAL_WAIT_MS = 5_000;

/**
 * Connections not recorded yet. A station coming back within its offline grace changes nothing partners see, so its
 * CONNECTED need not be a write of its own: it is recorded in one step with the station's first event (its
 * BootNotification, a StatusNotification, its disconnection) or, if none comes, alone after ARRIVAL_WAIT_MS. In a
 * reconnect storm that is one snapshot write fewer per station. A crash before then loses only that the station had
 * connected to the process that crashed.
 */
export class Arrivals {
  private readonly held = new Map<string, { event: Connected; sinceMs: number }>();
  private cancelWait: (() => void) | undefined;

  constructor(
    private readonly clock: Clock,
    /** Records a connection that waited long enough (the flush). */
    private readonly recordAlone: (id: string, event: Connected) => void,
    private readonly waitMs = ARRIVAL_WAIT_MS,
  ) {}

  hold(id: string, event: Connected): void {
    this.held.set(id, { event, sinceMs: this.clock.now().getTime() });
    this.arm();
  }

  pending(id: string): Connected | undefined {
    return this.held.get(id)?.event;
  }

  /** The held connection, now to be recorded with the station's event. */
  take(id: string): Connected | undefined {
    const event = this.held.get(id)?.event;
    this.held.delete(id);
    return event;
  }

  /** The step it went into failed: held again, unless a newer connection came meanwhile. */
  putBack(id: string, event: Connected): void {
    if (!this.held.has(id)) this.hold(id, event);
  }

  forget(id: string): void {
    this.held.delete(id);
  }

  /** Shutdown: the sockets close, and each close records its station's connection with its disconnection. */
  stop(): void {
    this.cancelWait?.();
    this.cancelWait = undefined;
  }

  /** Armed for the oldest held connection (when none is armed yet). */
  private arm(oldestMs = this.clock.now().getTime()) {
    if (this.cancelWait || this.held.size === 0) return;
    this.cancelWait = this.clock.at(oldestMs + this.waitMs, () => {
      this.cancelWait = undefined;
      this.flush();
    });
  }

  private flush() {
    const due = this.clock.now().getTime() - this.waitMs;
    let oldestMs = Infinity;
    for (const [id, { event, sinceMs }] of this.held)
      if (sinceMs <= due) {
        this.held.delete(id);
        this.recordAlone(id, event);
      } else oldestMs = Math.min(oldestMs, sinceMs);
    this.arm(oldestMs);
  }
}
