/**
 * The simulated payment provider: the default for `bun dev` and tests. It understands Stripe's public test payment
 * method ids, so the same ids behave the same against both adapters:
 *
 *   pm_card_visa, pm_card_mastercard, … (and any other well-formed pm_ id)   → held
 *   pm_card_chargeDeclined                                                  → declined (generic_decline)
 *   pm_card_chargeDeclinedInsufficientFunds                                 → declined (insufficient_funds)
 *   pm_card_chargeDeclinedProcessingError                                   → provider_error, retryable
 *   anything not shaped like a pm_ id                                       → declined (invalid_payment_method)
 *
 * It honours idempotency keys as Stripe does: the same key with the same parameters replays the first result (no
 * second hold or capture); the same key with other parameters is refused; a request refused for its parameters is
 * not recorded, so its key stays usable. Every outcome is kept in a {@link SimulatedLedger}; with the SQLite ledger
 * it survives a restart.
 */
import { randomUUID } from 'node:crypto';
import {
  captureRequestProblem,
  holdRequestProblem,
  providerError,
  refused,
  releaseRequestProblem,
  type CaptureRequest,
  type CaptureResult,
  type HoldRequest,
  type HoldResult,
  type PaymentProvider,
  type ReleaseRequest,
  type ReleaseResult,
} from './port.ts';
import {
  createMemorySimulatedLedger,
  summarizeSimulatedPayment,
  type SimulatedLedger,
  type SimulatedLedgerEntryInput,
  type SimulatedPayment,
} from './simulated-ledger.ts';

export type TestCard =
  | { outcome: 'held'; brand: string; last4: string }
  | { outcome: 'declined'; brand: string; last4: string; declineCode: string; reason: string }
  | { outcome: 'processing_error'; brand: string; last4: string; reason: string };

const DECLINED = 'Your card was declined.';

/** Stripe's public test PaymentMethods (https://docs.stripe.com/testing), with the messages Stripe answers. */
export const TEST_PAYMENT_METHODS: Readonly<Record<string, TestCard>> = {
  pm_card_visa: { outcome: 'held', brand: 'visa', last4: '4242' },
  pm_card_visa_debit: { outcome: 'held', brand: 'visa', last4: '5556' },
  pm_card_mastercard: { outcome: 'held', brand: 'mastercard', last4: '4444' },
  pm_card_mastercard_debit: { outcome: 'held', brand: 'mastercard', last4: '8210' },
  pm_card_amex: { outcome: 'held', brand: 'amex', last4: '0005' },
  pm_card_discover: { outcome: 'held', brand: 'discover', last4: '1117' },
  pm_card_chargeDeclined: { outcome: 'declined', brand: 'visa', last4: '0002', declineCode: 'generic_decline', reason: DECLINED },
  pm_card_chargeDeclinedInsufficientFunds: {
    outcome: 'declined',
    brand: 'visa',
    last4: '9995',
    declineCode: 'insufficient_funds',
    reason: 'Your card has insufficient funds.',
  },
  pm_card_chargeDeclinedLostCard: { outcome: 'declined', brand: 'visa', last4: '9987', declineCode: 'lost_card', reason: DECLINED },
  pm_card_chargeDeclinedStolenCard: { outcome: 'declined', brand: 'visa', last4: '9979', declineCode: 'stolen_card', reason: DECLINED },
  pm_card_chargeDeclinedFraudulent: { outcome: 'declined', brand: 'visa', last4: '0019', declineCode: 'fraudulent', reason: DECLINED },
  pm_card_chargeDeclinedExpiredCard: {
    outcome: 'declined',
    brand: 'visa',
    last4: '0069',
    declineCode: 'expired_card',
    reason: 'Your card has expired.',
  },
  pm_card_chargeDeclinedIncorrectCvc: {
    outcome: 'declined',
    brand: 'visa',
    last4: '0127',
    declineCode: 'incorrect_cvc',
    reason: "Your card's security code is incorrect.",
  },
  // Needs 3-D Secure in the browser, which a hold made by the server cannot do: both adapters report it as declined.
  pm_card_authenticationRequired: {
    outcome: 'declined',
    brand: 'visa',
    last4: '3184',
    declineCode: 'authentication_required',
    reason: 'The card requires authentication (3-D Secure), which this payment flow does not support.',
  },
  pm_card_chargeDeclinedProcessingError: {
    outcome: 'processing_error',
    brand: 'visa',
    last4: '0119',
    reason: 'An error occurred while processing your card. Try again in a little bit.',
  },
};

const KEY_REUSED = (key: string) =>
  `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`;

export interface SimulatedPaymentProvider extends PaymentProvider {
  readonly name: 'simulated';
  readonly ledger: SimulatedLedger;
  /** A payment's state and entries, as its ledger adds up; undefined for an unknown reference. */
  payment(reference: string): SimulatedPayment | undefined;
}

export interface SimulatedProviderOptions {
  /** Clock for ledger timestamps (tests). */
  now?: () => Date;
  /** Reference generator (tests); default `pi_sim_<32 hex>`. */
  newReference?: () => string;
}

export function createSimulatedPaymentProvider(
  ledger: SimulatedLedger = createMemorySimulatedLedger(),
  options: SimulatedProviderOptions = {},
): SimulatedPaymentProvider {
  const now = options.now ?? (() => new Date());
  const newReference = options.newReference ?? (() => `pi_sim_${randomUUID().replaceAll('-', '')}`);

  /**
   * The idempotency check, Stripe's way: undefined for a new key; the first result for the same parameters;
   * a refusal for other parameters.
   */
  function replay(idempotencyKey: string, request: string): { result: unknown } | { mismatch: true } | undefined {
    const first = ledger.byIdempotencyKey(idempotencyKey)[0];
    if (!first) return undefined;
    if (first.request !== request) return { mismatch: true };
    return { result: JSON.parse(first.result) as unknown };
  }

  function payment(reference: string): SimulatedPayment | undefined {
    return summarizeSimulatedPayment(ledger.byReference(reference));
  }

  function hold(req: HoldRequest): HoldResult {
    const problem = holdRequestProblem(req);
    if (problem) return { ok: false, kind: 'declined', reason: problem.reason, declineCode: problem.code };
    const currency = req.currency.toUpperCase();
    const request = JSON.stringify({
      op: 'hold',
      paymentMethodId: req.paymentMethodId,
      amountMinor: req.amountMinor,
      currency,
      description: req.description ?? null,
    });
    const previous = replay(req.idempotencyKey, request);
    if (previous && 'mismatch' in previous)
      return { ok: false, kind: 'declined', reason: KEY_REUSED(req.idempotencyKey), declineCode: 'idempotency_key_reused' };
    if (previous) return previous.result as HoldResult;

    const card = TEST_PAYMENT_METHODS[req.paymentMethodId];
    const reference = newReference();
    let result: HoldResult;
    let entry: SimulatedLedgerEntryInput['entry'];
    if (!card || card.outcome === 'held') {
      result = { ok: true, reference, ...(card ? { brand: card.brand, last4: card.last4 } : {}) };
      entry = 'hold';
    } else if (card.outcome === 'declined') {
      result = { ok: false, kind: 'declined', reason: card.reason, declineCode: card.declineCode, reference };
      entry = 'decline';
    } else {
      // Recorded under the key, as Stripe records a card error: the same key replays it, a new attempt needs a new key.
      result = providerError(card.reason, 'new_key');
      entry = 'failure';
    }
    ledger.append([
      {
        reference,
        entry,
        amountMinor: req.amountMinor,
        currency,
        idempotencyKey: req.idempotencyKey,
        paymentMethodId: req.paymentMethodId,
        request,
        result: JSON.stringify(result),
        at: now().toISOString(),
      },
    ]);
    return result;
  }

  function capture(req: CaptureRequest): CaptureResult {
    const problem = captureRequestProblem(req);
    if (problem) return refused(problem.code, problem.reason);
    const request = JSON.stringify({ op: 'capture', holdReference: req.holdReference, amountMinor: req.amountMinor });
    const previous = replay(req.idempotencyKey, request);
    if (previous && 'mismatch' in previous) return refused('idempotency_key_reused', KEY_REUSED(req.idempotencyKey));
    if (previous) return previous.result as CaptureResult;

    const state = payment(req.holdReference);
    if (!state) return refused('unknown_reference', `No such payment: '${req.holdReference}'`);
    if (state.status === 'captured') {
      // Converges: the same final amount under another key is the capture that already happened.
      if (state.capturedMinor === req.amountMinor)
        return { ok: true, reference: state.reference, capturedMinor: state.capturedMinor, currency: state.currency };
      return refused('already_captured', `This payment was already captured (${state.capturedMinor} ${state.currency})`);
    }
    if (state.status === 'released') return refused('already_released', 'This payment was released; it can no longer be captured');
    if (state.status !== 'held') return refused('not_capturable', `This payment cannot be captured: its hold ${state.status === 'declined' ? 'was declined' : 'failed'}`);
    if (req.amountMinor > state.capturableMinor)
      return refused(
        'amount_exceeds_hold',
        `Cannot capture ${req.amountMinor} ${state.currency}: only ${state.capturableMinor} ${state.currency} is held`,
      );

    const result: CaptureResult = { ok: true, reference: state.reference, capturedMinor: req.amountMinor, currency: state.currency };
    const at = now().toISOString();
    const common = { reference: state.reference, currency: state.currency, idempotencyKey: req.idempotencyKey, request, result: JSON.stringify(result), at };
    const rest = state.capturableMinor - req.amountMinor;
    ledger.append([
      { ...common, entry: 'capture', amountMinor: req.amountMinor },
      ...(rest > 0 ? [{ ...common, entry: 'release' as const, amountMinor: rest }] : []),
    ]);
    return result;
  }

  function release(req: ReleaseRequest): ReleaseResult {
    const problem = releaseRequestProblem(req);
    if (problem) return refused(problem.code, problem.reason);
    const request = JSON.stringify({ op: 'release', holdReference: req.holdReference });
    const previous = replay(req.idempotencyKey, request);
    if (previous && 'mismatch' in previous) return refused('idempotency_key_reused', KEY_REUSED(req.idempotencyKey));
    if (previous) return previous.result as ReleaseResult;

    const state = payment(req.holdReference);
    if (!state) return refused('unknown_reference', `No such payment: '${req.holdReference}'`);
    if (state.status === 'captured') return refused('already_captured', 'This payment was captured; there is no hold left to release');
    if (state.status === 'released') return { ok: true, reference: state.reference };

    // A held payment gives back what is capturable; a declined or failed one (a PaymentIntent Stripe would also let
    // us cancel) is closed with a release of 0, so it can no longer be captured.
    const result: ReleaseResult = { ok: true, reference: state.reference };
    ledger.append([
      {
        reference: state.reference,
        entry: 'release',
        amountMinor: state.capturableMinor,
        currency: state.currency,
        idempotencyKey: req.idempotencyKey,
        request,
        result: JSON.stringify(result),
        at: now().toISOString(),
      },
    ]);
    return result;
  }

  // Each call runs synchronously from check to append, so concurrent calls cannot interleave inside one.
  return {
    name: 'simulated',
    ledger,
    payment,
    hold: async (req) => hold(req),
    capture: async (req) => capture(req),
    release: async (req) => release(req),
  };
}
