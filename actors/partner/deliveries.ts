import { createActor, fromPromise, type Actor } from 'xstate';
import type { Clock } from '../../src/lib/clock.ts';
import type { Logger } from '../../src/lib/logger.ts';
import type { DeliveryRow, NewDelivery } from '../../src/storage/sqlite/outbox.repo.ts';
import { deliveryMachine, type StepOutcome } from './delivery.machine.ts';
import type { PartnerGateway } from './partner.ports.ts';
import type { Partners, PartnerView } from './partners.ts';

/** The outbox as the delivery actors use it (src/storage/sqlite/outbox.repo.ts). */
export interface OutboxStore {
  enqueue(delivery: NewDelivery, nowMs: number): number;
  nextDue(partnerId: string, nowMs: number): DeliveryRow | undefined;
  nextAttemptAt(partnerId: string): number | undefined;
  delivered(id: number, nowMs: number, responseLocation?: string): void;
  failed(id: number, error: string, nextAttemptAtMs: number): void;
  deadLetter(id: number, error: string): void;
  retry(partnerId: string, id: number, nowMs: number): boolean;
  cancelAll(partnerId: string): void;
  list(partnerId: string, statuses: DeliveryRow['status'][], limit: number): DeliveryRow[];
  partnersWithPending(): string[];
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
 * Durable pushes to partners. Changes are written to the outbox in the transaction that makes them; each
 * registered partner has a delivery actor that sends its rows over HTTP in order per object, retries with
 * backoff while the partner fails, dead-letters after `maxAttempts` or `maxAgeMs`, and never sends a row again
 * once the partner acknowledged it.
 */
export class Deliveries {
  private readonly actors = new Map<string, Actor<typeof deliveryMachine>>();

  constructor(
    private readonly deps: {
      outbox: OutboxStore;
      partners: Partners;
      gateway: PartnerGateway;
      clock: Clock;
      logger: Logger;
      policy: DeliveryPolicy;
      /** Our identity, sent as OCPI-from on every push. */
      owner: { countryCode: string; partyId: string };
    },
  ) {}

  /** Call inside the change's transaction; the partner's actor is woken once the commit is done. */
  enqueue(delivery: NewDelivery): number {
    const id = this.deps.outbox.enqueue(delivery, this.deps.clock.now().getTime());
    queueMicrotask(() => this.wake(delivery.partnerId));
    return id;
  }

  /** Registered partners that publish a Receiver endpoint for `module`. */
  receivers(module: string): PartnerView[] {
    return this.deps.partners.list().filter((p) => p.status === 'registered' && endpointOf(p, module, 'RECEIVER') !== undefined);
  }

  wake(partnerId: string) {
    const actor = this.actors.get(partnerId);
    if (actor && actor.getSnapshot().status === 'active') actor.send({ type: 'WAKE' });
    else this.start(partnerId);
  }

  /** At boot: every partner with pending rows gets its actor back; deadlines come from the rows. */
  resume() {
    for (const partnerId of this.deps.outbox.partnersWithPending()) this.wake(partnerId);
  }

  /** Unregistering stops the partner's deliveries; call inside the unregistration's transaction. */
  cancel(partnerId: string) {
    this.deps.outbox.cancelAll(partnerId);
    this.actors.get(partnerId)?.send({ type: 'STOP' });
    this.actors.delete(partnerId);
  }

  list(partnerId: string, statuses: DeliveryRow['status'][] = ['pending', 'dead'], limit = 200) {
    return this.deps.outbox.list(partnerId, statuses, limit);
  }

  retry(partnerId: string, id: number): boolean {
    const retried = this.deps.outbox.retry(partnerId, id, this.deps.clock.now().getTime());
    if (retried) this.wake(partnerId);
    return retried;
  }

  stopAll() {
    for (const actor of this.actors.values()) actor.send({ type: 'STOP' });
    this.actors.clear();
  }

  private start(partnerId: string) {
    const actor = createActor(deliveryMachine.provide({ actors: { step: fromPromise(() => this.step(partnerId)) } }));
    this.actors.set(partnerId, actor);
    actor.start();
  }

  /** Sends the next due row of the partner, if any, and records the outcome. */
  private async step(partnerId: string): Promise<StepOutcome> {
    const { outbox, partners, gateway, clock, policy, logger } = this.deps;
    const row = outbox.nextDue(partnerId, clock.now().getTime());
    if (!row) return { sent: false, ...optional(outbox.nextAttemptAt(partnerId)) };
    const partner = partners.view(partnerId);
    const token = partner && partner.status === 'registered' ? partners.tokenFor(partner) : undefined;
    if (!partner || !token) {
      outbox.cancelAll(partnerId);
      return { sent: false };
    }
    const url = row.module ? joinUrl(endpointOf(partner, row.module, 'RECEIVER'), row.path) : row.path;
    if (!url) {
      outbox.deadLetter(row.id, `Partner publishes no ${row.module} Receiver endpoint`);
      return { sent: true };
    }
    const outcome = await gateway.push({
      method: row.method,
      url,
      token,
      ...(row.body === null ? {} : { body: row.body }),
      headers: routingHeaders(this.deps.owner, partner, row.body),
    });
    const now = clock.now().getTime();
    if (outcome.ok) outbox.delivered(row.id, now, outcome.location);
    else if (!outcome.retryable || row.attempts + 1 >= policy.maxAttempts || now - row.createdAtMs >= policy.maxAgeMs) {
      outbox.deadLetter(row.id, outcome.error);
      logger.warn('Delivery dead-lettered', { partnerId, delivery: row.id, error: outcome.error });
    } else outbox.failed(row.id, outcome.error, now + backoffMs(policy, row.attempts + 1));
    return { sent: true };
  }
}

const optional = (nextAtMs: number | undefined) => (nextAtMs === undefined ? {} : { nextAtMs });

export function endpointOf(partner: PartnerView, module: string, role: 'SENDER' | 'RECEIVER'): string | undefined {
  return partner.endpoints?.find((e) => e.identifier === module && e.role === role)?.url;
}

/** Endpoint URL + path with exactly one slash between them (OCPI 2.2.1 pitfall: spec URLs have none). */
function joinUrl(base: string | undefined, path: string) {
  return base === undefined ? undefined : `${base.replace(/\/+$/, '')}${path}`;
}

/** OCPI-from = us; OCPI-to = the object's owner among the partner's roles when it names one, else its first role. */
function routingHeaders(owner: { countryCode: string; partyId: string }, partner: PartnerView, body: unknown) {
  const token = (body as { cdr_token?: { country_code: string; party_id: string } } | null)?.cdr_token;
  const to = partner.roles?.find((r) => token && r.country_code.toUpperCase() === token.country_code.toUpperCase() && r.party_id.toUpperCase() === token.party_id.toUpperCase()) ?? partner.roles?.[0];
  return {
    'ocpi-from-country-code': owner.countryCode,
    'ocpi-from-party-id': owner.partyId,
    ...(to ? { 'ocpi-to-country-code': to.country_code, 'ocpi-to-party-id': to.party_id } : {}),
  };
}
