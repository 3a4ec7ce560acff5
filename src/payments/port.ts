/**
 * The payment provider port: hold an amount on a card, capture the final amount (releasing the rest), or release
 * the hold. Two adapters implement it, `simulated` (the default, for `bun dev` and tests) and `stripe`.
 *
 * Money moves exactly once:
 * - every call carries an idempotency key the caller derives from the guest session and the step
 *   ({@link paymentIdempotencyKey}); the same key with the same parameters gives the same result and never a
 *   second hold or capture, at Stripe and in the simulation alike;
 * - amounts are integer minor units plus an ISO 4217 currency (5000 + "EUR" is €50.00); see src/domain/minor-units.ts.
 *
 * A provider never rejects its promise for a payment outcome: declines, provider trouble and refused requests are
 * results. Only a programming error inside the adapter itself throws.
 *
 * The hold result is exactly the union the guest session actor's `PaymentPort` expects (actors/guest/guest.ports.ts),
 * so a request the provider refuses outright (not a payment method id, a reused idempotency key, a bad amount) is a
 * `declined` with a `declineCode` naming the problem rather than a fourth variant.
 */

export type PaymentProviderName = 'simulated' | 'stripe';

/**
 * How to retry a `provider_error`:
 * - `same_key`: the outcome is unknown or was not recorded (network failure, timeout, 5xx, rate limit, a concurrent
 *   request with the same key). Retry with the SAME idempotency key: if the first call went through, the provider
 *   replays its result instead of moving money again.
 * - `new_key`: the attempt definitely failed and the provider recorded that failure under the key (a card
 *   processing error), so the same key would replay the failure forever; a new attempt needs a new key
 *   (`paymentIdempotencyKey(session, step, attempt + 1)`).
 */
export type RetryWith = 'same_key' | 'new_key';

export interface HoldRequest {
  /** A Stripe PaymentMethod id (`pm_...`); Stripe's public test ids such as `pm_card_visa` work with both adapters. */
  paymentMethodId: string;
  /** Positive integer, in the currency's minor units. */
  amountMinor: number;
  /** ISO 4217 code, e.g. "EUR" (case-insensitive; results report it upper-case). */
  currency: string;
  idempotencyKey: string;
  /** Shown to the cardholder/operator in the provider's dashboard (Stripe `description`). */
  description?: string;
}

export interface CaptureRequest {
  holdReference: string;
  /** The final amount: positive, at most the amount held. The rest of the hold is released. Release a hold instead of capturing 0. */
  amountMinor: number;
  idempotencyKey: string;
}

export interface ReleaseRequest {
  holdReference: string;
  idempotencyKey: string;
}

/** The provider had trouble; nothing is known to have moved. See {@link RetryWith}. */
export interface ProviderError {
  ok: false;
  kind: 'provider_error';
  reason: string;
  retryable: true;
  retryWith: RetryWith;
}

/** The provider refused the request; retrying it unchanged cannot succeed. */
export interface Refused {
  ok: false;
  kind: 'refused';
  reason: string;
  retryable: false;
  /** Machine-readable: `unknown_reference`, `not_capturable`, `already_captured`, `already_released`,
   * `amount_exceeds_hold`, `invalid_request`, `idempotency_key_reused`, or the provider's own error code. */
  code: string;
}

export type HoldResult =
  | {
      ok: true;
      /** The hold's reference (Stripe: the PaymentIntent id), for capture and release. */
      reference: string;
      brand?: string;
      last4?: string;
    }
  | {
      ok: false;
      kind: 'declined';
      reason: string;
      /**
       * The issuer's decline code (`generic_decline`, `insufficient_funds`, …) or, when the request itself was
       * refused, one of `invalid_payment_method`, `invalid_request`, `idempotency_key_reused`.
       */
      declineCode?: string;
      /** The declined PaymentIntent, when the provider created one (for support look-ups). */
      reference?: string;
    }
  | ProviderError;

export type CaptureResult =
  | { ok: true; reference: string; capturedMinor: number; currency: string }
  | ProviderError
  | Refused;

export type ReleaseResult = { ok: true; reference: string } | ProviderError | Refused;

export interface PaymentProvider {
  readonly name: PaymentProviderName;
  /** Authorizes `amountMinor` on the card without taking it (Stripe: PaymentIntent, manual capture, confirmed). */
  hold(req: HoldRequest): Promise<HoldResult>;
  /**
   * Takes `amountMinor` (≤ held) and releases the rest. Converges: capturing a hold that is already captured for
   * exactly this amount answers ok (even under another key, e.g. after the provider forgot an old key); any other
   * amount is refused (`already_captured`).
   */
  capture(req: CaptureRequest): Promise<CaptureResult>;
  /** Releases the whole hold. Releasing a released hold answers ok; releasing a captured one is refused. */
  release(req: ReleaseRequest): Promise<ReleaseResult>;
}

const PAYMENT_METHOD_ID = /^pm_[A-Za-z0-9]+(?:_[A-Za-z0-9]+)*$/;

/**
 * Whether `s` is shaped like a Stripe PaymentMethod id (`pm_` then letters/digits, single underscores allowed,
 * as in `pm_card_chargeDeclinedInsufficientFunds`), at most 255 characters. Pure: says nothing about whether the
 * payment method exists. The API answers 400 for anything else before calling a provider.
 */
export function isPaymentMethodId(s: unknown): s is string {
  return typeof s === 'string' && s.length <= 255 && PAYMENT_METHOD_ID.test(s);
}

/** Stripe accepts idempotency keys of up to 255 characters. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

export type PaymentStep = 'hold' | 'capture' | 'release';

/**
 * The idempotency key for one step of one guest session: `dynamo:guest:<session>:<step>`, with `:<attempt>` for
 * attempts after the first (only a `retryWith: 'new_key'` error calls for one). Stable across process restarts,
 * so a retried call after a crash replays instead of moving money again.
 */
export function paymentIdempotencyKey(guestSessionId: string, step: PaymentStep, attempt = 1): string {
  if (!guestSessionId) throw new TypeError('paymentIdempotencyKey needs a guest session id');
  if (!Number.isSafeInteger(attempt) || attempt < 1) throw new TypeError(`attempt must be a positive integer (got ${attempt})`);
  const key = `dynamo:guest:${guestSessionId}:${step}${attempt > 1 ? `:${attempt}` : ''}`;
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) throw new TypeError(`idempotency key longer than ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
  return key;
}

// ---- request validation shared by both adapters (so both refuse the same things the same way) ----

/** A problem with a request, before any provider is asked; undefined when the request is well-formed. */
export interface RequestProblem {
  code: 'invalid_payment_method' | 'invalid_request';
  reason: string;
}

function idempotencyKeyProblem(key: unknown): RequestProblem | undefined {
  if (typeof key !== 'string' || key.trim() === '') return { code: 'invalid_request', reason: 'An idempotency key is required' };
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH)
    return { code: 'invalid_request', reason: `The idempotency key is longer than ${MAX_IDEMPOTENCY_KEY_LENGTH} characters` };
  return undefined;
}

function amountProblem(amountMinor: unknown): RequestProblem | undefined {
  if (typeof amountMinor !== 'number' || !Number.isSafeInteger(amountMinor) || amountMinor <= 0)
    return { code: 'invalid_request', reason: `amountMinor must be a positive integer number of minor units (got ${String(amountMinor)})` };
  return undefined;
}

export function holdRequestProblem(req: HoldRequest): RequestProblem | undefined {
  if (!isPaymentMethodId(req.paymentMethodId))
    return { code: 'invalid_payment_method', reason: 'Not a payment method id (expected pm_...)' };
  if (typeof req.currency !== 'string' || !/^[A-Za-z]{3}$/.test(req.currency))
    return { code: 'invalid_request', reason: `currency must be an ISO 4217 code such as "EUR" (got ${JSON.stringify(req.currency)})` };
  return amountProblem(req.amountMinor) ?? idempotencyKeyProblem(req.idempotencyKey);
}

function referenceProblem(reference: unknown): RequestProblem | undefined {
  if (typeof reference !== 'string' || reference === '' || reference.length > 255 || !/^[A-Za-z0-9_]+$/.test(reference))
    return { code: 'invalid_request', reason: 'holdReference must be the reference a hold returned' };
  return undefined;
}

export function captureRequestProblem(req: CaptureRequest): RequestProblem | undefined {
  return referenceProblem(req.holdReference) ?? amountProblem(req.amountMinor) ?? idempotencyKeyProblem(req.idempotencyKey);
}

export function releaseRequestProblem(req: ReleaseRequest): RequestProblem | undefined {
  return referenceProblem(req.holdReference) ?? idempotencyKeyProblem(req.idempotencyKey);
}

export function refused(code: string, reason: string): Refused {
  return { ok: false, kind: 'refused', reason, retryable: false, code };
}

export function providerError(reason: string, retryWith: RetryWith = 'same_key'): ProviderError {
  return { ok: false, kind: 'provider_error', reason, retryable: true, retryWith };
}
