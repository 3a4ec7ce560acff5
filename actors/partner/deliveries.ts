import { createActor, fromPromise, type Actor } from 'xstate';
import { xstateClock, type Clock } from '../../src/lib/clock.ts';
import type { Logger } from '../../src/lib/logger.ts';
import type { Party } from '../../src/domain/parties.ts';
import type { Delivery, NewDelivery, OutboxStore } from '../../src/storage/ports.ts';
import { deliveryMachine, type StepOutcome } from './delivery.machine.ts';
import type { PushOutcome } from './partner.ports.ts';


/** How one channel's rows are carried out: HTTP pushes to a partner, or calls to the payment provider. */
export interface ChannelSender {
  /** Parties whose rows wait, neither sent nor counted as attempts, until they are reachable again. */
  heldParties?(): Party[];
  /** 'cancel' when the channel is gone (an unregistered partner): its queue is dropped. */
  send(row: Delivery): Promise<PushOutcome | 'cancel'>;
  /** Runs in the transaction that marks the row delivered (e.g. the guest session learns it was captured). */
  delivered?(row: Delivery, outcome: Extract<PushOutcome, { ok: true }>): void;
  /** Runs in the transaction that dead-letters the row. */
  deadLettered?(row: Delivery, error: string): void;
}

/**
 * Several nodes share the outbox: a channel is delivered by the one node holding its lease. Others look again
 * every `retryMs` (so one takes over within about a lease time when the holder dies) and are told at once of
 * new rows (`announce`).
 */
export interface DeliveryLease {
  hold(channel: string): Promise<boolean>;
  retryMs: number;
  /** Tells the other nodes that `channel` has new work. */
  announce(channel: string): void;
}

export interface DeliveryPolicy {
  maxAttempts: number;
  maxAgeMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Exponential backoff with jitter (reliability rule 10): attempt n waits between half and all of
 * base·2^(n−1), capped, so a partner coming back is not hit by every CPO's retries at the same instant.
 */
export function backoffMs(policy: DeliveryPolicy, attempts: number, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * The outbox worker. Work is written to the outbox in the transaction that makes the change; each channel (a
 * partner, or the payments) has a delivery actor that carries its rows out in order per object, retries with
 * backoff while the other side fails, dead-letters after `maxAttempts` or `maxAgeMs`, and never repeats a row
 * once it succeeded.
 */
export class Deliveries {
  private readonly actors = new Map<string, Actor<typeof deliveryMachine>>();
  /** The row each channel is carrying out right now: it must not change under the send. */
  private readonly sending = new Map<string, number>();

  constructor(
    private readonly deps: {
      outbox: OutboxStore;
      senderFor: (channel: string) => ChannelSender;
      transact: <T>(fn: () => T) => T;
      clock: Clock;
      logger: Logger;
      policy: DeliveryPolicy;
      /** Told of every dead letter (the metrics count them). */
      onDeadLetter?: (channel: string) => void;
      /** Runs `fn` once the transaction being written has committed (the group commit's batch); default: next microtask. */
      afterCommit?: (fn: () => void) => void;
      lease?: DeliveryLease;
    },
  ) {}

  /** Call inside the change's transaction; the partner's actor is woken once the commit is done. Due at once, or at `dueAtMs`. */
  enqueue(delivery: NewDelivery, dueAtMs?: number): number {
    const id = this.deps.outbox.enqueue(delivery, this.now(), dueAtMs);
    this.afterCommit(() => {
      this.wake(delivery.channel);
      this.deps.lease?.announce(delivery.channel);
    });
    return id;
  }

  /** The object's newest row on the channel for party `to`, whatever its status (when it went, or is to go). */
  latest(channel: string, objectKey: string, to: Party | null): Delivery | undefined {
    return this.deps.outbox.latest(channel, objectKey, to);
  }

  /** The object's newest row for party `to` while it still waits to go — not yet delivered, and not being sent right now. */
  waiting(channel: string, objectKey: string, to: Party | null): Delivery | undefined {
    // Several nodes: another node may be sending the row right now, so a change is queued after it, never merged in.
    if (this.deps.lease) return undefined;
    const row = this.latest(channel, objectKey, to);
    return row?.status === 'pending' && this.sending.get(channel) !== row.id ? row : undefined;
  }

  /** A waiting row (see `waiting`) takes new content; `dueNow` makes it go at once. Call inside the change's transaction. */
  replace(row: Delivery, change: Pick<Delivery, 'method' | 'body'>, dueNow = false) {
    this.deps.outbox.rewrite(row.id, { ...change, ...(dueNow ? { nextAttemptAtMs: this.now() } : {}) });
    if (dueNow) this.afterCommit(() => this.wake(row.channel));
  }

  private afterCommit(fn: () => void) {
    (this.deps.afterCommit ?? queueMicrotask)(fn);
  }

  wake(channel: string) {
    const actor = this.actors.get(channel);
    if (actor && actor.getSnapshot().status === 'active') actor.send({ type: 'WAKE' });
    else this.start(channel);
  }

  /** At boot: every channel with pending rows gets its actor back; deadlines come from the rows. */
  resume() {
    for (const channel of this.deps.outbox.channelsWithPending()) this.wake(channel);
  }

  /** Drops a channel's queue (an unregistered partner); call inside that change's transaction. */
  cancel(channel: string) {
    this.deps.outbox.cancelAll(channel);
    this.actors.get(channel)?.send({ type: 'STOP' });
    this.actors.delete(channel);
  }

  list(channel: string, statuses: Delivery['status'][] = ['pending', 'dead'], limit = 200) {
    return this.deps.outbox.list(channel, statuses, limit);
  }

  retry(channel: string, id: number): boolean {
    const retried = this.deps.outbox.retry(channel, id, this.deps.clock.now().getTime());
    if (retried) this.wake(channel);
    return retried;
  }

  stopAll() {
    for (const actor of this.actors.values()) actor.send({ type: 'STOP' });
    this.actors.clear();
  }

  private start(channel: string) {
    const step = () =>
      this.step(channel).catch((error: unknown) => {
        // The actor rests and tries again; the operator must still hear of the bug.
        this.deps.logger.error('Delivery step failed', { channel, error });
        throw error;
      });
    const actor = createActor(deliveryMachine.provide({ actors: { step: fromPromise(step) } }), { clock: xstateClock(this.deps.clock) });
    this.actors.set(channel, actor);
    actor.start();
  }

  /** Carries out the next due row of the channel, if any, and records the outcome. */
  private async step(channel: string): Promise<StepOutcome> {
    const { outbox, clock, policy, logger, transact, lease } = this.deps;
    // Not ours: look again later while the channel has work (its holder may die), else rest until woken.
    if (lease && !(await lease.hold(channel))) return outbox.nextAttemptAt(channel, []) === undefined ? { sent: false } : { sent: false, waitMs: lease.retryMs };
    const sender = this.deps.senderFor(channel);
    const held = sender.heldParties?.() ?? [];
    const row = outbox.nextDue(channel, clock.now().getTime(), held);
    if (!row) return { sent: false, ...waitUntil(outbox.nextAttemptAt(channel, held), clock.now().getTime()) };
    this.sending.set(channel, row.id);
    let outcome: Awaited<ReturnType<ChannelSender['send']>>;
    try {
      outcome = await sender.send(row);
    } finally {
      this.sending.delete(channel);
    }
    if (outcome === 'cancel') {
      outbox.cancelAll(channel);
      return { sent: false };
    }
    const now = clock.now().getTime();
    transact(() => {
      if (outcome.ok) {
        outbox.delivered(row.id, now, outcome.location);
        sender.delivered?.(row, outcome);
      } else if (!outcome.retryable || row.attempts + 1 >= policy.maxAttempts || now - (row.firstFailedAtMs ?? now) >= policy.maxAgeMs) {
        outbox.deadLetter(row.id, outcome.error);
        sender.deadLettered?.(row, outcome.error);
        logger.warn('Delivery dead-lettered', { channel, delivery: row.id, object: row.objectKey, attempts: row.attempts + 1, error: outcome.error });
        this.deps.onDeadLetter?.(channel);
      } else {
        const delayMs = backoffMs(policy, row.attempts + 1);
        logger.warn('Delivery failed; retrying', { channel, delivery: row.id, object: row.objectKey, attempts: row.attempts + 1, retryInMs: delayMs, error: outcome.error });
        outbox.failed(row.id, outcome.error, now + delayMs, now);
      }
    });
    return { sent: true };
  }

  private now() {
    return this.deps.clock.now().getTime();
  }
}

const waitUntil = (nextAtMs: number | undefined, nowMs: number) => (nextAtMs === undefined ? {} : { waitMs: Math.max(0, nextAtMs - nowMs) });
