import type { SnapshotStore, Transact } from '../../src/storage/ports.ts';
import { createActor, type Actor, type AnyMachineSnapshot, type AnyStateMachine, type EventFromLogic, type InputFrom, type SnapshotFrom } from 'xstate';

export class ActorEventRejected extends Error {}

/**
 * Keeps exactly one live actor per id in a Map (not as children of a root actor: spawnChild is quadratic) and
 * persists each actor's snapshot synchronously after every accepted event, in the same transaction as the
 * caller's own writes — persist, then acknowledge.
 */
export class ActorHost<M extends AnyStateMachine> {
  private readonly live = new Map<string, Actor<M>>();
  private readonly watchers = new Map<string, Set<() => void>>();

  constructor(
    private readonly machine: M,
    private readonly machineVersion: number,
    private readonly store: SnapshotStore,
    private readonly transact: Transact,
    private readonly now: () => Date,
    /** The scheduler delayed transitions (`after`) run on: the Clock port, through xstateClock. */
    private readonly clock?: object,
  ) {}

  /** The live actor for `id`, restored from its stored snapshot when not in memory; undefined when unknown. */
  get(id: string): Actor<M> | undefined {
    const cached = this.live.get(id);
    if (cached) return cached;
    const stored = this.store.load(id);
    if (!stored) return undefined;
    if (stored.machineVersion !== this.machineVersion)
      throw new Error(`Snapshot of ${id} has machine version ${stored.machineVersion}; this build expects ${this.machineVersion}`);
    const actor = (createActor as (logic: M, options: object) => Actor<M>)(this.machine, { snapshot: stored.snapshot, ...this.options() }).start();
    // Finished actors are read, never changed: they are not kept in memory.
    if ((actor.getSnapshot() as AnyMachineSnapshot).status !== 'done') this.live.set(id, actor);
    return actor;
  }

  snapshot(id: string): SnapshotFrom<M> | undefined {
    return this.get(id)?.getSnapshot() as SnapshotFrom<M> | undefined;
  }

  /** Creates and persists a new actor; `alsoWrite` runs in the same transaction. */
  create(id: string, input: InputFrom<M>, alsoWrite?: () => void): Actor<M> {
    if (this.get(id)) throw new ActorEventRejected(`Actor ${id} already exists`);
    const actor = (createActor as (logic: M, options: object) => Actor<M>)(this.machine, { input, ...this.options() }).start();
    this.persist(id, actor, alsoWrite);
    return actor;
  }

  /**
   * Delivers `event` if the actor's current state accepts it, then commits the new snapshot together with
   * `alsoWrite`. A rejected event changes nothing; a failed commit drops the in-memory actor so the next access
   * restores the last committed state.
   */
  send(id: string, event: EventFromLogic<M>, alsoWrite?: () => void): SnapshotFrom<M> {
    const actor = this.get(id);
    if (!actor) throw new ActorEventRejected(`Unknown actor ${id}`);
    const current = actor.getSnapshot() as AnyMachineSnapshot;
    if (!current.can(event)) throw new ActorEventRejected(`${event.type} is not accepted in state ${JSON.stringify(current.value)}`);
    actor.send(event);
    this.persist(id, actor, alsoWrite);
    return actor.getSnapshot() as SnapshotFrom<M>;
  }

  private persist(id: string, actor: Actor<M>, alsoWrite?: () => void) {
    try {
      this.transact(() => {
        this.store.save(id, this.machineVersion, actor.getPersistedSnapshot(), this.now());
        alsoWrite?.();
      });
      // A finished actor takes no more events: it leaves memory and is restored from its snapshot when read,
      // so a server that has run millions of sessions does not hold them all.
      if ((actor.getSnapshot() as AnyMachineSnapshot).status === 'done') {
        actor.stop();
        this.live.delete(id);
      } else this.live.set(id, actor);
      for (const watcher of this.watchers.get(id) ?? []) watcher();
    } catch (error) {
      actor.stop();
      this.live.delete(id);
      throw error;
    }
  }

  /**
   * Delivers an event that changes nothing to persist — a restored actor re-entering its state so its delayed
   * transitions are armed again (XState does not restore them from a snapshot).
   */
  rearm(id: string, event: EventFromLogic<M>): void {
    this.get(id)?.send(event);
  }

  private options() {
    return this.clock ? { clock: this.clock } : {};
  }

  /** Calls `listener` after every committed change of actor `id` (e.g. to wait for a state); returns the unsubscribe. */
  watch(id: string, listener: () => void): () => void {
    const set = this.watchers.get(id) ?? new Set();
    this.watchers.set(id, set.add(listener));
    return () => {
      set.delete(listener);
      if (set.size === 0) this.watchers.delete(id);
    };
  }

  /** Drops the live actor of `id` from memory; the caller deletes its stored snapshot (a removed charge point). */
  forget(id: string) {
    this.live.get(id)?.stop();
    this.live.delete(id);
  }

  stopAll() {
    for (const actor of this.live.values()) actor.stop();
    this.live.clear();
  }
}
