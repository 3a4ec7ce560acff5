/**
 * The Stripe adapter (official `stripe` package): a hold is a PaymentIntent created and confirmed in one call with
 * `capture_method: 'manual'`; capture takes `amount_to_capture` (Stripe releases the rest); release cancels the
 * PaymentIntent. Every call sends the caller's idempotency key as `Idempotency-Key`; the package's own network
 * retries resend the same headers, so they reuse it.
 */
import Stripe from 'stripe';
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
  type ProviderError,
  type ReleaseRequest,
  type ReleaseResult,
} from './port.ts';

export interface StripeProviderOptions {
  /** `sk_...` or a restricted `rk_...` key. */
  secretKey: string;
  /** Overrides for a local stand-in (stripe-mock, a test server); default api.stripe.com:443 over https. */
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
  /** The package's own retries (same Idempotency-Key each time); default 2. */
  maxNetworkRetries?: number;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
}

type StripePaymentIntent = Stripe.PaymentIntent;
type StripeError = InstanceType<typeof Stripe.errors.StripeError>;

/** Secret and restricted keys never leave in a reason (they end up in logs and session records). */
export function redactStripeSecrets(text: string): string {
  return text.replace(/\b(sk|rk)_(test|live)_[A-Za-z0-9*]+/g, '$1_$2_[redacted]');
}

function isStripeError(error: unknown): error is StripeError {
  return error instanceof Stripe.errors.StripeError;
}

function message(error: StripeError, fallback: string): string {
  return redactStripeSecrets(error.message || fallback);
}

/** Errors after which nothing is known to have happened, or the outcome is unknown: retry with the same key. */
function transientError(error: StripeError): ProviderError | undefined {
  if (
    error instanceof Stripe.errors.StripeConnectionError ||
    error instanceof Stripe.errors.StripeAPIError ||
    error instanceof Stripe.errors.StripeRateLimitError ||
    error instanceof Stripe.errors.StripeAuthenticationError ||
    error instanceof Stripe.errors.StripePermissionError ||
    (error.statusCode !== undefined && (error.statusCode >= 500 || error.statusCode === 409 || error.statusCode === 429))
  ) {
    const what =
      error instanceof Stripe.errors.StripeConnectionError
        ? 'Could not reach Stripe'
        : error instanceof Stripe.errors.StripeAuthenticationError || error instanceof Stripe.errors.StripePermissionError
          ? 'Stripe refused our API key'
          : `Stripe answered ${error.statusCode ?? 'an error'}`;
    return providerError(`${what}: ${message(error, 'no details')}`);
  }
  return undefined;
}

function isIdempotencyError(error: StripeError): boolean {
  return error instanceof Stripe.errors.StripeIdempotencyError || error.rawType === 'idempotency_error';
}

function cardDetails(pi: StripePaymentIntent): { brand?: string; last4?: string } {
  const charge = pi.latest_charge;
  const card = charge && typeof charge === 'object' ? charge.payment_method_details?.card : undefined;
  return { ...(card?.brand ? { brand: card.brand } : {}), ...(card?.last4 ? { last4: card.last4 } : {}) };
}

export function createStripePaymentProvider(options: StripeProviderOptions): PaymentProvider {
  if (!options.secretKey) throw new Error('The Stripe payment provider needs a secret key (STRIPE_SECRET_KEY)');
  const stripe = new Stripe(options.secretKey, {
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    timeout: options.timeoutMs ?? 30_000,
    telemetry: false,
    appInfo: { name: 'dynamo-csms' },
    ...(options.host ? { host: options.host } : {}),
    ...(options.port ? { port: options.port } : {}),
    ...(options.protocol ? { protocol: options.protocol } : {}),
  });

  async function hold(req: HoldRequest): Promise<HoldResult> {
    const problem = holdRequestProblem(req);
    if (problem) return { ok: false, kind: 'declined', reason: problem.reason, declineCode: problem.code };
    let pi: StripePaymentIntent;
    try {
      pi = await stripe.paymentIntents.create(
        {
          amount: req.amountMinor,
          currency: req.currency.toLowerCase(),
          payment_method: req.paymentMethodId,
          // Cards only: no redirect-based method can come up, so confirming needs no return_url.
          allowed_payment_method_types: ['card'],
          // 3-D Secure needs the cardholder's browser, which a hold made by the server does not have: fail the
          // attempt (a card error) instead of leaving a PaymentIntent waiting in requires_action.
          error_on_requires_action: true,
          capture_method: 'manual',
          confirm: true,
          ...(req.description ? { description: req.description } : {}),
          // The charge carries the card's brand and last4.
          expand: ['latest_charge'],
        },
        { idempotencyKey: req.idempotencyKey },
      );
    } catch (error) {
      if (!isStripeError(error)) throw error;
      const reference = error.payment_intent?.id;
      if (error instanceof Stripe.errors.StripeCardError || error.rawType === 'card_error') {
        // A processing error is Stripe's "try again": recorded under this key, so a new attempt needs a new key.
        if (error.code === 'processing_error') return providerError(message(error, 'Processing error'), 'new_key');
        const declineCode = error.decline_code || error.code;
        return {
          ok: false,
          kind: 'declined',
          reason: message(error, 'Your card was declined.'),
          ...(declineCode ? { declineCode } : {}),
          ...(reference ? { reference } : {}),
        };
      }
      const transient = transientError(error);
      if (transient) return transient;
      if (isIdempotencyError(error))
        return { ok: false, kind: 'declined', reason: message(error, 'Idempotency key reused'), declineCode: 'idempotency_key_reused' };
      const badMethod = error.param === 'payment_method' || (error.code === 'resource_missing' && /payment ?method/i.test(error.message));
      return {
        ok: false,
        kind: 'declined',
        reason: message(error, 'Stripe refused the request'),
        declineCode: badMethod ? 'invalid_payment_method' : 'invalid_request',
        ...(reference ? { reference } : {}),
      };
    }
    switch (pi.status) {
      case 'requires_capture':
        return { ok: true, reference: pi.id, ...cardDetails(pi) };
      case 'requires_action':
        // 3-D Secure has to happen in the cardholder's browser; a hold made by the server cannot complete it.
        return {
          ok: false,
          kind: 'declined',
          reason: 'The card requires authentication (3-D Secure), which this payment flow does not support.',
          declineCode: 'authentication_required',
          reference: pi.id,
        };
      case 'requires_payment_method': {
        const lastError = pi.last_payment_error;
        const declineCode = lastError?.decline_code || lastError?.code;
        return {
          ok: false,
          kind: 'declined',
          reason: redactStripeSecrets(lastError?.message ?? 'Your card was declined.'),
          ...(declineCode ? { declineCode } : {}),
          reference: pi.id,
        };
      }
      default:
        return {
          ok: false,
          kind: 'declined',
          reason: `The PaymentIntent is ${pi.status}, not awaiting capture`,
          declineCode: 'unexpected_status',
          reference: pi.id,
        };
    }
  }

  /** What a refused capture/release means, given the PaymentIntent Stripe sends back with the error. */
  function stateRefusal(error: StripeError, pi: StripePaymentIntent | undefined): ReturnType<typeof refused> {
    if (error.code === 'resource_missing') return refused('unknown_reference', message(error, 'No such PaymentIntent'));
    if (pi?.status === 'succeeded') return refused('already_captured', `This payment was already captured (${pi.amount_received} ${pi.currency.toUpperCase()})`);
    if (pi?.status === 'canceled') return refused('already_released', 'This payment was released; it can no longer be captured');
    if (error.code === 'payment_intent_unexpected_state') return refused('not_capturable', message(error, 'The PaymentIntent cannot be captured'));
    if (error.param === 'amount_to_capture') return refused('amount_exceeds_hold', message(error, 'Amount exceeds the hold'));
    return refused(error.code ?? 'invalid_request', message(error, 'Stripe refused the request'));
  }

  async function capture(req: CaptureRequest): Promise<CaptureResult> {
    const problem = captureRequestProblem(req);
    if (problem) return refused(problem.code, problem.reason);
    try {
      const pi = await stripe.paymentIntents.capture(
        req.holdReference,
        { amount_to_capture: req.amountMinor },
        { idempotencyKey: req.idempotencyKey },
      );
      if (pi.status !== 'succeeded') return refused('not_capturable', `The PaymentIntent is ${pi.status} after capture`);
      return { ok: true, reference: pi.id, capturedMinor: pi.amount_received, currency: pi.currency.toUpperCase() };
    } catch (error) {
      if (!isStripeError(error)) throw error;
      const transient = transientError(error);
      if (transient) return transient;
      if (isIdempotencyError(error)) return refused('idempotency_key_reused', message(error, 'Idempotency key reused'));
      const pi = error.payment_intent;
      // Converges: captured already, for exactly this amount (e.g. Stripe forgot the key after 24 h).
      if (pi?.status === 'succeeded' && pi.amount_received === req.amountMinor)
        return { ok: true, reference: pi.id, capturedMinor: pi.amount_received, currency: pi.currency.toUpperCase() };
      return stateRefusal(error, pi);
    }
  }

  async function release(req: ReleaseRequest): Promise<ReleaseResult> {
    const problem = releaseRequestProblem(req);
    if (problem) return refused(problem.code, problem.reason);
    try {
      const pi = await stripe.paymentIntents.cancel(req.holdReference, {}, { idempotencyKey: req.idempotencyKey });
      return { ok: true, reference: pi.id };
    } catch (error) {
      if (!isStripeError(error)) throw error;
      const transient = transientError(error);
      if (transient) return transient;
      if (isIdempotencyError(error)) return refused('idempotency_key_reused', message(error, 'Idempotency key reused'));
      const pi = error.payment_intent;
      if (pi?.status === 'canceled') return { ok: true, reference: pi.id };
      if (pi?.status === 'succeeded') return refused('already_captured', 'This payment was captured; there is no hold left to release');
      return stateRefusal(error, pi);
    }
  }

  return { name: 'stripe', hold, capture, release };
}
