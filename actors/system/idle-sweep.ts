import type { Actor, AnyActorLogic, AnyMachineSnapshot } from 'xstate';
import type { Clock } from '../../src/lib/clock.ts';

/**
 * Idle actors leave memory: every `afterMs` (on the Clock) the host drops the live actors nobody asked for since
 * the previous sweep, so an actor goes after `afterMs` to 2 × `afterMs` without an event or a read. Only actors
 * with nothing running in memory go: no armed delayed transition (XState would not restore it) and no invoked or
 * spawned child. Their state is committed already; the next `get` hydrates them from the stored snapshot (a delayed
 * transition that fired changed nothing stored by itself, as across a restart: its effects commit their own writes).
 */
export interface IdleEviction {
  afterMs: number;
  clock: Clock;
}

/**
 * The idle eviction of an actor host's Map: actors asked for since the last sweep stay, and so does any actor with
 * something that lives only in memory (an armed delayed transition, a running child); the others are stopped and
 * dropped (their snapshots are stored: they are restored on the next ask). Armed only while actors are live.
 */
export class IdleSweep<A extends Actor<AnyActorLogic>> {
  /** Asked for since the sweep before the last one began: what the running sweep spares. */
  private spared = new Set<string>();
  /** Asked for since the last sweep began: spared by it too (its later slices), and by the next one. */
  private recent = new Set<string>();
  private cancel: (() => void) | undefined;
  private sweeping: IterableIterator<[string, A]> | undefined;

  constructor(
    private readonly eviction: IdleEviction,
    private readonly actors: Map<string, A>,
  ) {}

  /** `id` was asked for: it stays until a sweep finds it idle. */
  touch(id: string) {
    this.recent.add(id);
    this.arm();
  }

  stop() {
    this.cancel?.();
    this.cancel = undefined;
    this.sweeping = undefined;
    this.spared.clear();
    this.recent.clear();
  }

  private arm() {
    if (this.cancel || this.sweeping) return;
    const { clock, afterMs } = this.eviction;
    this.cancel = clock.at(clock.now().getTime() + afterMs, () => this.sweep());
  }

  private sweep() {
    this.cancel = undefined;
    this.spared = this.recent;
    this.recent = new Set();
    this.sweeping = this.actors.entries();
    this.slice();
  }

  /**
   * SWEEP_SLICE actors per event-loop turn: one pass over 19,500 held the loop for 7 ms, which the stations waiting
   * then saw in their answer times. A Map's iterator skips what was deleted meanwhile and visits what was added.
   */
  private slice() {
    const sweeping = this.sweeping;
    if (!sweeping) return;
    for (let n = 0; n < SWEEP_SLICE; n++) {
      const next = sweeping.next();
      if (next.done) {
        this.sweeping = undefined;
        this.spared = new Set();
        // Nothing left to sweep: no timer until an actor is asked for again.
        if (this.actors.size > 0) this.arm();
        return;
      }
      const [id, actor] = next.value;
      if (this.spared.has(id) || this.recent.has(id) || !isQuiet(actor)) continue;
      actor.stop();
      this.actors.delete(id);
    }
    setImmediate(() => {
      if (this.sweeping === sweeping) this.slice();
    });
  }
}

/** Actors looked at per event-loop turn by a sweep (about 0.5 ms of it). */
const SWEEP_SLICE = 1_000;

/** Nothing of the actor lives only in memory: no delayed transition armed, no child running. */
function isQuiet(actor: Actor<AnyActorLogic>): boolean {
  const snapshot = actor.getSnapshot() as AnyMachineSnapshot;
  if (Object.keys(snapshot.children).length > 0) return false;
  for (const _ in actor.system.getSnapshot()._scheduledEvents) return false;
  return true;
}
