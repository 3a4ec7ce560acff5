import type { Transact, WriteBatch } from '../../src/storage/ports.ts';

/** Raised to whoever waits on a batch whose COMMIT failed: none of its steps is stored. */
export class CommitFailed extends Error {
  constructor(cause?: string) {
    super(`The transaction holding this change failed to commit${cause ? `: ${cause}` : ''}`);
  }
}

/** What an actor host needs to persist a step: run it in the open batch, and how to undo it in memory. */
export interface StepRunner {
  step<T>(fn: () => T, undo: () => void): T;
}

/** When what a piece of work wrote is committed: answers (CALLRESULTs, HTTP responses) go out only after it. */
export interface Durability {
  /** The position to wait from: take it before the work whose answer must wait for its commit. */
  mark(): number;
  /** Undefined: everything since `mark` is committed already; otherwise settles with the commit (rejects if it failed). */
  settled(mark: number): Promise<void> | undefined;
  /**
   * `settled` without a promise per waiter (a station message each): false, and nothing is called, when
   * everything since `mark` is committed already; otherwise `callback` runs once it is (with CommitFailed if a
   * batch since `mark` failed), together with the other callbacks of its batch in one microtask.
   */
  onSettled(mark: number, callback: (failed?: CommitFailed) => void): boolean;
}

/** Runs `write`; resolves with what it returned once the batch holding its writes has committed (rejects if that failed). */
export async function whenCommitted<R>(durability: Durability, write: () => R): Promise<R> {
  const since = durability.mark();
  const result = write();
  await durability.settled(since);
  return result;
}

interface Batch {
  seq: number;
  steps: number;
  /** Restores the in-memory state of each step (the actor goes back to its stored snapshot) if the batch fails. */
  undo: (() => void)[];
  /** Created only when someone waits: a rejection nobody listens to would be an unhandled one. */
  settled?: PromiseWithResolvers<void>;
  /** onSettled's callbacks; `failed` set where the waiter's mark is before an earlier failed batch. */
  waiters?: { callback: (failed?: CommitFailed) => void; failed: boolean }[];
  afterCommit: (() => void)[];
}

/** Steps per transaction at most: a burst of thousands of messages still commits in bounded pieces. */
export const MAX_STEPS_PER_COMMIT = 256;

/**
 * Group commit: every actor step of one event-loop turn runs in one transaction (each step in a SAVEPOINT of it, so
 * a step that throws rolls back only itself), committed when the turn ends (setImmediate: after every frame and
 * request the loop read in that turn) or after MAX_STEPS_PER_COMMIT steps: one commit per turn instead of one
 * per message.
 *
 * Persist, then acknowledge: whoever answers a station or a partner takes `mark()` before the work and waits for
 * `settled(mark)` before answering; it rejects with CommitFailed if any batch since the mark failed (then every
 * step of that batch is undone in memory: its actors come back from storage as last committed).
 */
export class GroupCommit implements StepRunner, Durability {
  private open: Batch | undefined;
  /** Batches begun so far; a batch's `seq` is the count when it began. */
  private begun = 0;
  private lastFailed = 0;
  /** Nesting of steps: a step inside another's effects is undone with it. */
  private depth = 0;

  constructor(
    private readonly port: WriteBatch,
    private readonly transact: Transact,
    /** Told of every batch that ended: its steps, and the error if its COMMIT failed (then none of them is stored). */
    private readonly observe: (steps: number, error?: unknown) => void = () => {},
    private readonly maxSteps = MAX_STEPS_PER_COMMIT,
  ) {}

  step<T>(fn: () => T, undo: () => void): T {
    // Inside a transaction someone else opened (and commits at its end): the step is simply part of it.
    if (!this.open && this.port.inTransaction()) return this.transact(fn);
    // SQLite rolled the batch back by itself (an I/O error): it has failed; the step goes into a new one.
    if (this.open && !this.port.inTransaction()) this.end();
    const batch = this.open ?? this.begin();
    const undone = batch.undo.length;
    this.depth += 1;
    let result: T;
    try {
      result = this.transact(fn);
    } catch (error) {
      // Steps nested inside this one were rolled back with its savepoint: their actors go back too.
      for (const inner of batch.undo.splice(undone)) inner();
      throw error;
    } finally {
      this.depth -= 1;
    }
    batch.undo.push(undo);
    batch.steps += 1;
    if (batch.steps >= this.maxSteps && this.depth === 0 && !this.port.nested()) this.end();
    return result;
  }

  mark(): number {
    return this.open ? this.open.seq : this.begun + 1;
  }

  /** Resolves when the open batch commits; rejects with CommitFailed if it or any batch since `mark` failed. */
  settled(mark: number): Promise<void> | undefined {
    const batch = this.open;
    if (!batch) return this.lastFailed >= mark ? Promise.reject(new CommitFailed()) : undefined;
    batch.settled ??= Promise.withResolvers<void>();
    if (this.lastFailed < mark) return batch.settled.promise;
    return batch.settled.promise.then(() => {
      throw new CommitFailed();
    });
  }

  onSettled(mark: number, callback: (failed?: CommitFailed) => void): boolean {
    const batch = this.open;
    const failedBefore = this.lastFailed >= mark;
    if (batch) (batch.waiters ??= []).push({ callback, failed: failedBefore });
    else if (failedBefore) queueMicrotask(() => callback(new CommitFailed()));
    else return false;
    return true;
  }

  /** Runs `fn` once the open batch has committed (never if it fails), or in a microtask when none is open. */
  afterCommit(fn: () => void): void {
    if (this.open) this.open.afterCommit.push(fn);
    else queueMicrotask(fn);
  }

  /** Commits the open batch now (shutdown). */
  flush(): void {
    if (this.open) this.end();
  }

  private begin(): Batch {
    this.port.begin();
    const batch: Batch = { seq: ++this.begun, steps: 0, undo: [], afterCommit: [] };
    this.open = batch;
    setImmediate(() => {
      if (this.open === batch) this.end();
    });
    return batch;
  }

  private end() {
    const batch = this.open!;
    this.open = undefined;
    try {
      this.port.commit();
    } catch (error) {
      this.lastFailed = batch.seq;
      try {
        this.port.rollback();
      } catch {
        // A ROLLBACK that fails changes nothing below: the steps are undone in memory, their waiters told.
      }
      for (const undo of batch.undo) undo();
      this.observe(batch.steps, error);
      // What was to follow the change (a push, a call to a station) does not happen: the change did not either.
      const failed = new CommitFailed((error as Error).message);
      batch.settled?.reject(failed);
      if (batch.waiters) queueMicrotask(() => call(batch.waiters!, failed));
      return;
    }
    this.observe(batch.steps);
    batch.settled?.resolve();
    if (batch.waiters) queueMicrotask(() => call(batch.waiters!));
    for (const fn of batch.afterCommit) queueMicrotask(fn);
  }
}

/** One batch's onSettled callbacks; one that throws does not keep the others from running (it is rethrown apart). */
function call(waiters: NonNullable<Batch['waiters']>, failed?: CommitFailed) {
  for (const { callback, failed: failedBefore } of waiters)
    try {
      callback(failed ?? (failedBefore ? new CommitFailed() : undefined));
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
}
