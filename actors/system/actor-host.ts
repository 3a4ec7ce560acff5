import type { SnapshotStore, VersionedSnapshotStore } from '../../src/storage/ports.ts';
import type { StepRunner } from './group-commit.ts';
import { IdleSweep, type IdleEviction } from './idle-sweep.ts';
import { persistedSnapshot } from './persisted-snapshot.ts';
import { ActorWriteConflict, StaleCopy, CONFLICT_ATTEMPTS } from './write-conflict.ts';
import { createActor, type Actor, type AnyMachineSnapshot, type AnyStateMachine, type EventFromLogic, type InputFrom, type SnapshotFrom } from 'xstate';

export class ActorEventRejected extends Error {}

/**
 * How a host shares its actors with other nodes (several nodes, one database): `fence` runs inside every commit
 * before the snapshot is saved and throws when this node may no longer write the actor (a newer owner's epoch);
 * `keep` says whether the actor may stay in memory here — one this node does not own is read back from storage
 * each time, so it never serves (or writes from) a copy another node has moved past.
 */
export interface HostPolicy {
  fence?(id: string, context: any): void;
  keep?(id: string, context: any): boolean;
  /**
   * Any node may write the actor (no owner to fence by): the host's own store, versioned. A copy in memory is used
   * only while the stored row is still at the version it was read or saved at; a snapshot is saved by
   * compare-and-set over that version, and an event whose save finds another version is applied again to the
   * actor as now stored (the step's savepoint rolled back), up to CONFLICT_ATTEMPTS times.
   */
  versioned?: VersionedSnapshotStore;
}

/**
 * Keeps exactly one live actor per id in a Map (not as children of a root actor: spawnChild is quadratic) and
 * runs every accepted event as one step of the group commit (group-commit.ts: a savepoint in the transaction of
 * this event-loop turn): the new snapshot, then the effects the machine's named actions asked for (`deferred`:
 * rendered views, outbox rows), then the caller's own writes. The station or partner is answered only after the
 * batch committed (persist, then acknowledge: the gateway and the HTTP server wait for it). An action or effect
 * that throws rolls the step back; a batch that fails to commit takes the actor back to its stored snapshot.
 */
export class ActorHost<M extends AnyStateMachine> {
  private readonly actors = new Map<string, Actor<M>>();
  /** HostPolicy.versioned: the stored version each actor instance was read or last saved at. */
  private readonly versions = new WeakMap<Actor<M>, number>();
  private readonly watchers = new Map<string, Set<() => void>>();
  /** Effects asked for by the step being committed; undefined outside a commit (a timer's action runs at once). */
  private effects: (() => void)[] | undefined;
  /** Drops idle actors from the Map (with an IdleEviction). */
  private readonly idle: IdleSweep<Actor<M>> | undefined;

  constructor(
    private readonly machine: M,
    private readonly machineVersion: number,
    private readonly store: SnapshotStore,
    private readonly steps: StepRunner,
    private readonly now: () => Date,
    /** The scheduler delayed transitions (`after`) run on: the Clock port, through xstateClock. */
    private readonly clock?: object,
    eviction?: IdleEviction,
    private readonly policy: HostPolicy = {},
  ) {
    this.idle = eviction && new IdleSweep(eviction, this.actors);
  }

  /** The live actor for `id`, restored from its stored snapshot when not in memory; undefined when unknown. */
  get(id: string): Actor<M> | undefined {
    this.idle?.touch(id);
    const cached = this.cached(id);
    if (cached) return cached;
    const stored = this.load(id);
    if (!stored) return undefined;
    // A restored actor does not run entry actions again: nothing is re-published.
    const actor = this.spawn({ snapshot: stored.snapshot }).start();
    if (stored.version !== undefined) this.versions.set(actor, stored.version);
    // Finished actors are read, never changed: they are not kept in memory.
    if (this.keeps(id, actor)) this.actors.set(id, actor);
    return actor;
  }

  /**
   * State and context of actor `id` without bringing it into memory: the live actor's, else as stored (reads of
   * many idle stations do not hydrate them all).
   */
  peek(id: string): Pick<SnapshotFrom<M>, 'value' | 'context' | 'status'> | undefined {
    const live = this.cached(id);
    return live ? (live.getSnapshot() as SnapshotFrom<M>) : (this.load(id)?.snapshot as SnapshotFrom<M> | undefined);
  }

  /** The live actor of `id`, unless another node has written it since (HostPolicy.versioned): then it is dropped. */
  private cached(id: string): Actor<M> | undefined {
    const live = this.actors.get(id);
    if (!live || !this.policy.versioned || this.policy.versioned.versionOf(id) === this.versions.get(live)) return live;
    this.forget(id);
    return undefined;
  }

  private load(id: string): { snapshot: unknown; version?: number } | undefined {
    const stored = (this.policy.versioned ?? this.store).load(id);
    if (!stored) return undefined;
    if (stored.machineVersion !== this.machineVersion)
      throw new Error(`Snapshot of ${id} has machine version ${stored.machineVersion}; this build expects ${this.machineVersion}`);
    return stored;
  }

  snapshot(id: string): SnapshotFrom<M> | undefined {
    const actor = this.get(id);
    const snapshot = actor?.getSnapshot() as SnapshotFrom<M> | undefined;
    if (actor && this.actors.get(id) !== actor) actor.stop();
    return snapshot;
  }

  /** Creates, starts (its entry actions write in the transaction) and persists a new actor; `alsoWrite` too. */
  create(id: string, input: InputFrom<M>, alsoWrite?: () => void): Actor<M> {
    if (this.get(id)) throw new ActorEventRejected(`Actor ${id} already exists`);
    const actor = this.spawn({ input });
    try {
      this.commit(id, actor, () => actor.start(), alsoWrite);
    } catch (error) {
      // HostPolicy.versioned: another node created it first.
      throw error instanceof StaleCopy ? new ActorEventRejected(`Actor ${id} already exists`) : error;
    }
    return actor;
  }

  /**
   * Delivers `event` if the actor's current state accepts it, then commits the new snapshot together with
   * `alsoWrite`. A rejected event changes nothing; a failed commit drops the in-memory actor so the next access
   * restores the last committed state. Several events are delivered in order and committed as one step: all of
   * them or, if one is not accepted where the others lead, none.
   */
  send(id: string, event: EventFromLogic<M> | EventFromLogic<M>[], alsoWrite?: () => void): SnapshotFrom<M> {
    const events = Array.isArray(event) ? event : [event];
    for (let attempt = 1; ; attempt++) {
      const actor = this.get(id);
      if (!actor) throw new ActorEventRejected(`Unknown actor ${id}`);
      const before = actor.getSnapshot();
      try {
        this.commit(id, actor, () => {
          for (const next of events) ActorHost.deliver(actor, next);
        }, alsoWrite, before);
        return actor.getSnapshot() as SnapshotFrom<M>;
      } catch (error) {
        // Another node saved the actor between this node's read and its save: the event goes to what it saved.
        if (!(error instanceof StaleCopy)) throw error;
        if (attempt === CONFLICT_ATTEMPTS) throw new ActorWriteConflict(id);
      }
    }
  }

  /**
   * Sends `event`, which must be accepted where the actor is. Asking `can()` first would evaluate the transition
   * twice (it was about 3 % of a station message): an accepted event yields a new snapshot, and only one that left
   * the snapshot as it was is asked about afterwards (a transition whose actions change nothing is accepted too).
   */
  private static deliver(actor: Actor<AnyStateMachine>, event: { type: string }) {
    const before = actor.getSnapshot() as AnyMachineSnapshot;
    actor.send(event);
    if (actor.getSnapshot() === before && !before.can(event)) throw new ActorEventRejected(`${event.type} is not accepted in state ${JSON.stringify(before.value)}`);
  }

  /**
   * Wraps the implementation of a named action that writes: inside a commit it runs after the snapshot is saved
   * (views and outbox rows refer to the stored actor), in the same transaction.
   */
  deferred<A extends unknown[]>(effect: (...args: A) => void): (...args: A) => void {
    return (...args) => (this.effects ? this.effects.push(() => effect(...args)) : effect(...args));
  }

  /** `unchanged`: the snapshot before the step; an event refused there leaves the actor (and its timers) in memory. */
  private commit(id: string, actor: Actor<M>, step: () => void, alsoWrite?: () => void, unchanged?: unknown) {
    const outer = this.effects;
    const effects: (() => void)[] = [];
    this.effects = effects;
    try {
      this.steps.step(
        () => {
          step();
          this.effects = outer;
          const after = actor.getSnapshot() as AnyMachineSnapshot;
          if (after.status === 'error') throw after.error;
          this.policy.fence?.(id, after.context);
          this.save(id, actor);
          for (const effect of effects) effect();
          alsoWrite?.();
        },
        () => this.drop(id, actor),
      );
      // A finished actor takes no more events: it leaves memory and is restored from its snapshot when read,
      // so a server that has run millions of sessions does not hold them all.
      if (!this.keeps(id, actor)) {
        actor.stop();
        this.actors.delete(id);
      } else this.actors.set(id, actor);
      for (const watcher of this.watchers.get(id) ?? []) watcher();
    } catch (error) {
      this.effects = outer;
      if (!(error instanceof ActorEventRejected && actor.getSnapshot() === unchanged)) this.drop(id, actor);
      throw error;
    }
  }

  private save(id: string, actor: Actor<M>) {
    const { versioned } = this.policy;
    if (!versioned) return this.store.save(id, this.machineVersion, persistedSnapshot(actor), this.now());
    const version = versioned.saveIfVersion(id, this.machineVersion, persistedSnapshot(actor), this.now(), this.versions.get(actor));
    if (version === undefined) throw new StaleCopy(id);
    this.versions.set(actor, version);
  }

  /**
   * A step of `actor` did not commit: the next access restores the stored snapshot. Whatever instance is live for
   * `id` goes too (one read back from the uncommitted rows of the failed batch would hold them).
   */
  private drop(id: string, actor: Actor<M>) {
    actor.stop();
    this.actors.get(id)?.stop();
    this.actors.delete(id);
  }

  /**
   * Delivers an event that changes nothing to persist — a restored actor re-entering its state so its delayed
   * transitions are armed again (XState does not restore them from a snapshot).
   */
  rearm(id: string, event: EventFromLogic<M>): void {
    this.get(id)?.send(event);
  }

  private keeps(id: string, actor: Actor<M>): boolean {
    const snapshot = actor.getSnapshot() as AnyMachineSnapshot;
    return snapshot.status !== 'done' && (this.policy.keep?.(id, snapshot.context) ?? true);
  }

  private spawn(options: { snapshot: unknown } | { input: InputFrom<M> }): Actor<M> {
    const actor = (createActor as (logic: M, options: object) => Actor<M>)(this.machine, { ...options, ...(this.clock ? { clock: this.clock } : {}) });
    // An action that throws leaves the actor in status 'error' (read after each step, which rolls back); without
    // an error listener XState would also rethrow it later from a timer and take the process down.
    actor.subscribe({ error: () => {} });
    return actor;
  }

  /**
   * Calls `listener` after every committed change of actor `id` (e.g. to wait for a state), and when another node
   * may have changed it (`othersChanged`); returns the unsubscribe.
   */
  watch(id: string, listener: () => void): () => void {
    const set = this.watchers.get(id) ?? new Set();
    this.watchers.set(id, set.add(listener));
    return () => {
      set.delete(listener);
      if (set.size === 0) this.watchers.delete(id);
    };
  }

  /** Several nodes: another node changed the shared record; every watcher looks again (and reads what is stored). */
  othersChanged(): void {
    for (const listeners of [...this.watchers.values()]) for (const listener of [...listeners]) listener();
  }

  /** Drops the live actor of `id` from memory; the caller deletes its stored snapshot (a removed charge point). */
  forget(id: string) {
    this.actors.get(id)?.stop();
    this.actors.delete(id);
  }

  /** Actors in memory now (finished ones have left; the others are restored from storage when asked for). */
  get live(): number {
    return this.actors.size;
  }

  stopAll() {
    this.idle?.stop();
    for (const actor of this.actors.values()) actor.stop();
    this.actors.clear();
  }
}
