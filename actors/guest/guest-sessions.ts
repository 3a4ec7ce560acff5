import { randomBytes } from 'node:crypto';
import type { Clock } from '../../src/lib/clock.ts';
import { ocpiDateTime } from '../../src/lib/clock.ts';
import type { Logger } from '../../src/lib/logger.ts';
import type { Secrets } from '../../src/lib/secrets.ts';
import { dec, ZERO } from '../../src/domain/money.ts';
import { fromMinorUnits, toMinorUnits } from '../../src/domain/minor-units.ts';
import type { CDR } from '../../src/model/ocpi/cdr.ts';
import type { Session } from '../../src/model/ocpi/session.ts';
import type { Token } from '../../src/model/ocpi/token.ts';
import type { NewDelivery } from '../../src/storage/ports.ts';
import type { ActorHost } from '../system/actor-host.ts';
import type { GuestEvent, PaymentCall } from './guest-session.events.ts';
import type { GuestContext, GuestState, guestSessionMachine } from './guest-session.machine.ts';
import { GuestRefusal } from './guest-error.ts';
import { askToStart, askToStop } from './guest-station.ts';
import { job, type PaymentJob } from './payment-jobs.ts';
import type { GuestStationPort, PaymentPort } from './guest.ports.ts';

export interface GuestView extends GuestContext {
  state: GuestState;
}

export interface GuestDeps {
  host: ActorHost<typeof guestSessionMachine>;
  idByIdTag(idTag: string): string | undefined;
  ids(): string[];
  /** Guest sessions created since `createdAtMs` (GuestSessionStore.idsSince). */
  idsSince(createdAtMs: number): string[];
  /** The one right to a timer-driven step (GuestSessionStore.claimStep); inside the step's transaction. */
  claimStep(id: string, step: 'expiry' | 'start'): boolean;
  transact: <T>(fn: () => T) => T;
  station: GuestStationPort;
  payments: PaymentPort;
  /** The EVSE's place and currency for an ad-hoc payment session (AD_HOC_PAYMENT tariff when listed). */
  currencyAt(chargePointId: string, ocppEvseId: number): string | undefined;
  runningOn(chargePointId: string, ocppEvseId: number): string | undefined;
  session(id: string): { transactionId: string; protocol: 'ocpp1.6' | 'ocpp2.0.1' } | undefined;
  enqueue(job: NewDelivery): void;
  /** Runs `fn` once what is being written now has committed (the group commit of this turn). */
  afterCommit(fn: () => void): void;
  secrets: Secrets;
  clock: Clock;
  logger: Logger;
  owner: { countryCode: string; partyId: string; name: string };
  settings: { holdAmount: string; startTimeoutSeconds: number; stopWaitSeconds: number; callTimeoutSeconds: number };
}

/**
 * Guest charging paid by card: a hold before anything starts, a remote start, the running cost from the tariff
 * engine (the session's own, so it equals the CDR), a stop before the cost can pass the hold, and exactly one
 * capture of the final amount through the durable outbox (the rest released).
 */
export class GuestSessions {
  /** Guest sessions whose timers `resume()` armed here, and when it last ran (several nodes: the timekeeper's). */
  private readonly resumed = new Set<string>();
  private resumedAtMs: number | undefined;

  constructor(private readonly deps: GuestDeps) {}

  async authorize(req: { chargePointId: string; connectorId: number; paymentMethodId: string }, isPaymentMethodId: (s: string) => boolean) {
    const { station, deps } = { station: this.deps.station, deps: this.deps };
    const state = station.state(req.chargePointId, req.connectorId);
    const currency = deps.currencyAt(req.chargePointId, req.connectorId);
    if (!state || !currency) throw new GuestRefusal(404, 'unknown_connector', `No connector ${req.connectorId} on charge point ${req.chargePointId}`);
    if (!isPaymentMethodId(req.paymentMethodId)) throw new GuestRefusal(400, 'invalid_payment_method', 'payment_method_id: not a payment method id (pm_...)');
    if (!state.connected || !state.protocol) throw new GuestRefusal(409, 'charge_point_offline', 'The charge point is offline');
    if (state.statuses.includes('Faulted')) throw new GuestRefusal(409, 'connector_faulted', 'The connector is faulted');
    if (state.statuses.includes('Unavailable')) throw new GuestRefusal(409, 'connector_unavailable', 'The connector is unavailable');
    if (deps.runningOn(req.chargePointId, req.connectorId)) throw new GuestRefusal(409, 'connector_occupied', 'A transaction is already running on this connector');
    if (state.statuses.includes('Reserved')) throw new GuestRefusal(409, 'connector_reserved', 'The connector is reserved for someone else');

    const token = randomBytes(24).toString('base64url'); // 192 bits, not time-ordered
    const id = deps.secrets.hash(token);
    const now = deps.clock.now();
    const holdMinor = toMinorUnits(deps.settings.holdAmount, currency);
    deps.host.create(id, {
      id,
      chargePointId: req.chargePointId,
      ocppEvseId: req.connectorId,
      protocol: state.protocol,
      idTag: `G${randomBytes(15).toString('base64url').slice(0, 19)}`,
      paymentMethodId: req.paymentMethodId,
      currency,
      holdMinor,
      createdAt: ocpiDateTime(now),
      expiresAt: ocpiDateTime(new Date(now.getTime() + deps.settings.startTimeoutSeconds * 1000)),
    });
    const idempotencyKey = `guest:${id}:hold`;
    const held = await deps.payments.hold({ paymentMethodId: req.paymentMethodId, amountMinor: holdMinor, currency, idempotencyKey, description: `Charging at ${req.chargePointId}` });
    const call: PaymentCall = { step: 'hold', idempotencyKey, amountMinor: holdMinor, at: this.now(), outcome: held.ok ? 'held' : held.kind, ...(held.ok ? { reference: held.reference } : {}) };
    if (!held.ok) {
      this.send(id, { type: 'HOLD_FAILED', reason: held.reason, call });
      throw held.kind === 'declined'
        ? new GuestRefusal(402, 'payment_declined', held.reason)
        : new GuestRefusal(502, 'payment_provider_error', held.reason, true);
    }
    this.send(id, { type: 'HELD', reference: held.reference, ...(held.brand ? { brand: held.brand } : {}), ...(held.last4 ? { last4: held.last4 } : {}), call });
    // The charge point is asked once the hold is committed, as the driver's app gets its token: not before.
    deps.afterCommit(() => void this.startRemote(id));
    return { token, view: this.view(id)! };
  }

  view(id: string): GuestView | undefined {
    const snapshot = this.deps.host.snapshot(id);
    return snapshot && { ...snapshot.context, state: snapshot.value as GuestState };
  }

  byToken(token: string): GuestView | undefined {
    return this.view(this.deps.secrets.hash(token));
  }

  /**
   * Stops charging (or cancels a session that has not started), then waits — bounded — until the charge point
   * stopped and the payment was captured. Stopping again answers the same result.
   */
  async stop(token: string): Promise<GuestView | undefined> {
    const id = this.deps.secrets.hash(token);
    const view = this.view(id);
    if (!view) return undefined;
    if (view.state === 'authorizing' || view.state === 'starting') this.send(id, { type: 'CANCELLED', at: this.now() });
    else if (view.state === 'charging') await this.requestStop(id, 'Stopped by the driver');
    await this.settled(id, this.deps.clock.now().getTime() + this.deps.settings.stopWaitSeconds * 1000);
    return this.view(id);
  }

  /** Resolves once the guest session reaches an end state (stopped and captured, failed, expired, cancelled) or at `untilMs`. */
  private settled(id: string, untilMs: number): Promise<void> {
    const ended = () => ['stopped', 'failed', 'expired', 'cancelled'].includes(this.view(id)!.state);
    if (ended()) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        unwatch();
        cancel();
        resolve();
      };
      const unwatch = this.deps.host.watch(id, () => ended() && done());
      const cancel = this.deps.clock.at(untilMs, done);
    });
  }

  /** The token a guest's id tag stands for, pre-authorized at its station (nobody else's eMSP to ask). */
  preAuthorized(chargePointId: string, idTag: string): { token: Token; tariffType: 'AD_HOC_PAYMENT' } | undefined {
    const id = this.deps.idByIdTag(idTag);
    const view = id ? this.view(id) : undefined;
    if (!view || view.chargePointId !== chargePointId || !['authorizing', 'starting', 'charging'].includes(view.state)) return undefined;
    const { countryCode, partyId, name } = this.deps.owner;
    const token: Token = {
      country_code: countryCode,
      party_id: partyId,
      uid: idTag,
      type: 'AD_HOC_USER',
      contract_id: idTag,
      issuer: name,
      valid: true,
      whitelist: 'NEVER',
      last_updated: view.createdAt,
    };
    return { token, tariffType: 'AD_HOC_PAYMENT' };
  }

  /** Inside the session's transaction: a guest's session started or moved on. */
  sessionChanged(next: Session) {
    const id = this.guestOf(next.cdr_token);
    const view = id ? this.view(id) : undefined;
    if (!id || !view) return;
    if (view.state === 'authorizing' || view.state === 'starting') this.send(id, { type: 'STARTED', sessionId: next.id, at: next.start_date_time });
    const cost = String(next.total_cost?.incl_vat ?? next.total_cost?.excl_vat ?? 0);
    const previous = dec(view.costInclVat);
    this.send(id, { type: 'PROGRESS', energyKwh: next.kwh, costInclVat: cost, at: next.last_updated });
    if (next.status === 'COMPLETED') return;
    // Stop before the next meter interval could take the cost past the hold: the driver is never charged more
    // than was authorised.
    const hold = fromMinorUnits(view.holdMinor, view.currency);
    const step = dec(cost).minus(previous);
    if (this.view(id)!.state === 'charging' && dec(cost).plus(step.gt(ZERO) ? step : ZERO).gte(hold))
      this.deps.afterCommit(() => void this.requestStop(id, 'The running cost reached the authorised amount'));
  }

  /** Inside the CDR's transaction: the amount to charge is fixed (the machine's `settle` queues the capture). */
  cdrCreated(cdr: CDR) {
    const id = this.guestOf(cdr.cdr_token);
    const view = id ? this.view(id) : undefined;
    if (!id || !view || !view.holdReference) return;
    const finalCost = String(cdr.total_cost.incl_vat ?? cdr.total_cost.excl_vat);
    const finalMinor = toMinorUnits(finalCost, view.currency);
    const chargedMinor = Math.min(finalMinor, view.holdMinor);
    this.send(id, { type: 'ENDED', cdrId: cdr.id, finalCost, chargedMinor, shortfallMinor: finalMinor - chargedMinor, at: cdr.end_date_time });
  }

  /** The machine's `settle` action, in the commit of ENDED: capture what the CDR costs (at most the hold). */
  settle(guest: GuestContext) {
    if (!guest.holdReference) return;
    if (!guest.chargedMinor) return this.releaseHold(guest);
    this.deps.enqueue(job({ op: 'capture', guestId: guest.id, holdReference: guest.holdReference, amountMinor: guest.chargedMinor, idempotencyKey: `guest:${guest.id}:capture` }));
  }

  /** The machine's `releaseHold` action, in the commit of the transition that ends the session without charging. */
  releaseHold(guest: GuestContext) {
    if (guest.holdReference) this.deps.enqueue(job({ op: 'release', guestId: guest.id, holdReference: guest.holdReference, idempotencyKey: `guest:${guest.id}:release` }));
  }

  /** A payment job succeeded (inside the outbox's transaction). */
  paymentDone(payment: PaymentJob, reference: string) {
    const call: PaymentCall = { step: payment.op, idempotencyKey: payment.idempotencyKey, outcome: payment.op === 'capture' ? 'captured' : 'released', reference, at: this.now(), ...(payment.amountMinor !== undefined ? { amountMinor: payment.amountMinor } : {}) };
    this.send(payment.guestId, payment.op === 'capture' ? { type: 'CAPTURED', call } : { type: 'RELEASED', call });
  }

  /** A payment job was dead-lettered: visible on the session for the operator, replayable from the deliveries API. */
  paymentFailed(payment: PaymentJob, error: string) {
    this.send(payment.guestId, { type: 'PAYMENT_FAILED', call: { step: payment.op, idempotencyKey: payment.idempotencyKey, outcome: `failed: ${error}`, at: this.now() } });
  }

  /**
   * After a restart: expiry timers are re-armed from the data; a hold whose start was never sent gets it now.
   * Several nodes: run by the timekeeper when it takes the lease and every few lease times after (`recent`: only
   * the sessions that can have started waiting since the last run), each read as stored, whatever this node held.
   */
  resume(recent = false) {
    const nowMs = this.deps.clock.now().getTime();
    const since = recent && this.resumedAtMs !== undefined ? this.resumedAtMs - this.deps.settings.startTimeoutSeconds * 1000 : undefined;
    this.resumedAtMs = nowMs;
    for (const id of since === undefined ? this.deps.ids() : this.deps.idsSince(since)) {
      this.deps.host.forget(id);
      const state = this.deps.host.peek(id)?.value;
      if (state !== 'authorizing' && state !== 'starting') continue;
      this.deps.host.rearm(id, { type: 'RESTORED' });
      this.resumed.add(id);
      if (state === 'authorizing' && this.view(id)?.holdReference) void this.startRemote(id);
    }
  }

  /** Several nodes, the timekeeper lease lost: the timers `resume()` armed go (the sessions are read back when needed). */
  stopResumed() {
    for (const id of this.resumed) this.deps.host.forget(id);
    this.resumed.clear();
    this.resumedAtMs = undefined;
  }

  /**
   * expires_at passed with no charging started (the machine's timer): the session expires (and releases its hold).
   * As stored, not as this node last held it (another node may have started it), and once: another node's timer
   * for the same session may fire too.
   */
  expire(id: string) {
    this.deps.host.forget(id);
    this.resumed.delete(id);
    this.deps.transact(() => {
      const event = { type: 'EXPIRED', at: this.now() } as const;
      if (this.deps.host.snapshot(id)?.can(event) && this.deps.claimStep(id, 'expiry')) this.send(id, event);
    });
  }

  private async startRemote(id: string) {
    const view = this.view(id);
    if (!view || view.state !== 'authorizing') return;
    // Once, whichever node asks: the node that took the hold and the timekeeper retrying a stalled start may both try.
    const event = { type: 'START_REQUESTED', at: this.now() } as const;
    const claimed = this.deps.transact(() => {
      if (!this.deps.claimStep(id, 'start')) return false;
      this.send(id, event);
      return true;
    });
    if (!claimed) return;
    const reason = await askToStart(this.deps.station, view, this.deps.settings.callTimeoutSeconds * 1000);
    if (reason && this.view(id)?.state === 'starting') this.send(id, { type: 'START_REFUSED', reason, at: this.now() });
  }

  private async requestStop(id: string, reason: string) {
    const view = this.view(id);
    if (!view || view.state !== 'charging' || !view.sessionId) return;
    this.send(id, { type: 'STOP_REQUESTED', reason, at: this.now() });
    const session = this.deps.session(view.sessionId);
    if (!session) return;
    await askToStop(this.deps.station, view.chargePointId, session, this.deps.settings.callTimeoutSeconds * 1000).catch((error: Error) => this.deps.logger.warn('Guest stop not delivered to the charge point', { guest: id, error: error.message }));
  }

  private guestOf(token: { country_code: string; party_id: string; uid: string }) {
    const { countryCode, partyId } = this.deps.owner;
    if (token.country_code.toUpperCase() !== countryCode || token.party_id.toUpperCase() !== partyId) return undefined;
    return this.deps.idByIdTag(token.uid);
  }

  private send(id: string, event: GuestEvent) {
    const snapshot = this.deps.host.snapshot(id);
    if (!snapshot || !snapshot.can(event)) return;
    this.deps.host.send(id, event);
  }

  private now() {
    return ocpiDateTime(this.deps.clock.now());
  }
}
