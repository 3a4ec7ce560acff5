import { afterAll, beforeEach, describe, expect, test } from 'bun:test';
import { createPaymentProvider } from '../../src/payments/index.ts';
import { createStripePaymentProvider } from '../../src/payments/stripe.ts';
import { cardError, paymentIntent, startFakeStripe, type RecordedRequest } from './fake-stripe.ts';

const SECRET = 'sk_test_51FakeSecretKeyForTheFakeServer';
const fake = startFakeStripe();
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

function provider(maxNetworkRetries = 0) {
  return createStripePaymentProvider({ secretKey: SECRET, host: '127.0.0.1', port: fake.port, protocol: 'http', maxNetworkRetries });
}

const holdRequest = {
  paymentMethodId: 'pm_card_visa',
  amountMinor: 5000,
  currency: 'EUR',
  idempotencyKey: 'dynamo:guest:gs1:hold',
  description: 'Charging at Station 1',
};

function only(): RecordedRequest {
  expect(fake.requests).toHaveLength(1);
  return fake.requests[0]!;
}

function expectStripeHeaders(req: RecordedRequest, idempotencyKey: string) {
  expect(req.headers.get('authorization')).toBe(`Bearer ${SECRET}`);
  expect(req.headers.get('idempotency-key')).toBe(idempotencyKey);
  expect(req.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
  expect(req.headers.get('stripe-version')).toMatch(/^\d{4}-\d{2}-\d{2}\./);
}

describe('Stripe adapter: hold', () => {
  test('creates and confirms a manual-capture PaymentIntent, with brand and last4 from the charge', async () => {
    fake.respond(() => ({ status: 200, body: paymentIntent() }));
    const result = await provider().hold(holdRequest);
    expect(result).toEqual({ ok: true, reference: 'pi_3QfakeHoldAbc123', brand: 'visa', last4: '4242' });

    const req = only();
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/payment_intents');
    expectStripeHeaders(req, 'dynamo:guest:gs1:hold');
    expect(Object.fromEntries(req.form)).toEqual({
      amount: '5000',
      currency: 'eur',
      payment_method: 'pm_card_visa',
      'allowed_payment_method_types[0]': 'card',
      capture_method: 'manual',
      confirm: 'true',
      error_on_requires_action: 'true',
      description: 'Charging at Station 1',
      'expand[0]': 'latest_charge',
    });
  });

  test('a repeated hold sends the same Idempotency-Key, so Stripe replays instead of holding twice', async () => {
    fake.respond(
      () => ({ status: 200, body: paymentIntent() }),
      () => ({ status: 200, body: paymentIntent(), headers: { 'idempotent-replayed': 'true' } }),
    );
    const p = provider();
    const first = await p.hold(holdRequest);
    const second = await p.hold({ ...holdRequest });
    expect(second).toEqual(first);
    expect(fake.requests.map((r) => r.headers.get('idempotency-key'))).toEqual(['dynamo:guest:gs1:hold', 'dynamo:guest:gs1:hold']);
    expect(fake.requests[0]!.body).toBe(fake.requests[1]!.body);
  });

  test("a decline (402 card_error) is declined with Stripe's decline_code and the PaymentIntent", async () => {
    fake.respond(() => cardError({ code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' }));
    expect(await provider().hold({ ...holdRequest, paymentMethodId: 'pm_card_chargeDeclinedInsufficientFunds' })).toEqual({
      ok: false,
      kind: 'declined',
      reason: 'Your card has insufficient funds.',
      declineCode: 'insufficient_funds',
      reference: 'pi_3QfakeDeclined',
    });
    fake.respond(() => cardError({ code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' }));
    expect(await provider().hold({ ...holdRequest, paymentMethodId: 'pm_card_chargeDeclined' })).toMatchObject({
      ok: false,
      kind: 'declined',
      declineCode: 'generic_decline',
    });
  });

  test('a card error without a decline_code uses its code (expired card, 3-D Secure required)', async () => {
    fake.respond(() => cardError({ code: 'expired_card', message: 'Your card has expired.' }));
    expect(await provider().hold(holdRequest)).toMatchObject({ ok: false, kind: 'declined', declineCode: 'expired_card' });
    fake.respond(() => cardError({ code: 'authentication_required', message: 'Your card was declined. This transaction requires authentication.' }));
    expect(await provider().hold(holdRequest)).toMatchObject({ ok: false, kind: 'declined', declineCode: 'authentication_required' });
  });

  test('a processing error is a retryable provider error that needs a new key (Stripe saved it under this one)', async () => {
    fake.respond(() =>
      cardError({ code: 'processing_error', message: 'An error occurred while processing your card. Try again in a little bit.' }),
    );
    expect(await provider().hold({ ...holdRequest, paymentMethodId: 'pm_card_chargeDeclinedProcessingError' })).toEqual({
      ok: false,
      kind: 'provider_error',
      reason: 'An error occurred while processing your card. Try again in a little bit.',
      retryable: true,
      retryWith: 'new_key',
    });
  });

  test('a 500 is a retryable provider error (same key), and the client does not retry on its own when told not to', async () => {
    fake.respond(() => ({ status: 500, body: { error: { type: 'api_error', message: 'An unknown error occurred' } } }));
    const result = await provider(0).hold(holdRequest);
    expect(result).toMatchObject({ ok: false, kind: 'provider_error', retryable: true, retryWith: 'same_key' });
    expect(fake.requests).toHaveLength(1);
  });

  test("the client's own retries reuse the caller's Idempotency-Key", async () => {
    fake.respond(
      () => ({ status: 500, body: { error: { type: 'api_error', message: 'An unknown error occurred' } }, headers: { 'stripe-should-retry': 'true' } }),
      () => ({ status: 200, body: paymentIntent() }),
    );
    expect(await provider(1).hold(holdRequest)).toMatchObject({ ok: true, reference: 'pi_3QfakeHoldAbc123' });
    expect(fake.requests.map((r) => r.headers.get('idempotency-key'))).toEqual(['dynamo:guest:gs1:hold', 'dynamo:guest:gs1:hold']);
    expect(fake.requests[0]!.body).toBe(fake.requests[1]!.body);
  });

  test('rate limits and idempotency conflicts (429, 409) are retryable with the same key', async () => {
    fake.respond(() => ({ status: 429, body: { error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests' } } }));
    expect(await provider().hold(holdRequest)).toMatchObject({ kind: 'provider_error', retryWith: 'same_key' });
    fake.respond(() => ({
      status: 409,
      body: { error: { type: 'idempotency_error', code: 'idempotency_key_in_use', message: 'There is currently another in-progress request using this Idempotent Key.' } },
    }));
    expect(await provider().hold(holdRequest)).toMatchObject({ kind: 'provider_error', retryWith: 'same_key' });
  });

  test('an unreachable Stripe is a retryable provider error', async () => {
    const closed = startFakeStripe();
    const port = closed.port;
    closed.stop();
    const p = createStripePaymentProvider({ secretKey: SECRET, host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 0 });
    expect(await p.hold(holdRequest)).toMatchObject({ ok: false, kind: 'provider_error', retryable: true, retryWith: 'same_key' });
  });

  test('a rejected API key is a provider error whose reason never carries the key', async () => {
    fake.respond(() => ({ status: 401, body: { error: { type: 'invalid_request_error', message: `Invalid API Key provided: ${SECRET}` } } }));
    const result = await provider().hold(holdRequest);
    expect(result).toMatchObject({ ok: false, kind: 'provider_error', retryable: true });
    if (result.ok) throw new Error('unreachable');
    expect(result.reason).not.toContain('FakeSecretKey');
    expect(result.reason).toContain('sk_test_[redacted]');
  });

  test('the same key with other parameters (idempotency_error) is declined as a reused key', async () => {
    fake.respond(() => ({
      status: 400,
      body: {
        error: {
          type: 'idempotency_error',
          message: "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than 'dynamo:guest:gs1:hold' if you meant to execute a different request.",
        },
      },
    }));
    expect(await provider().hold(holdRequest)).toMatchObject({ ok: false, kind: 'declined', declineCode: 'idempotency_key_reused' });
  });

  test('an unknown payment method (400) is declined as an invalid payment method', async () => {
    fake.respond(() => ({
      status: 400,
      body: { error: { type: 'invalid_request_error', code: 'resource_missing', param: 'payment_method', message: "No such PaymentMethod: 'pm_nope'" } },
    }));
    expect(await provider().hold({ ...holdRequest, paymentMethodId: 'pm_nope' })).toMatchObject({
      ok: false,
      kind: 'declined',
      declineCode: 'invalid_payment_method',
    });
  });

  test('a PaymentIntent left waiting for 3-D Secure is declined (authentication_required)', async () => {
    fake.respond(() => ({ status: 200, body: paymentIntent({ status: 'requires_action', latest_charge: null }) }));
    expect(await provider().hold(holdRequest)).toMatchObject({
      ok: false,
      kind: 'declined',
      declineCode: 'authentication_required',
      reference: 'pi_3QfakeHoldAbc123',
    });
  });

  test('a malformed payment method id never reaches Stripe', async () => {
    expect(await provider().hold({ ...holdRequest, paymentMethodId: '4242424242424242' })).toMatchObject({
      ok: false,
      kind: 'declined',
      declineCode: 'invalid_payment_method',
    });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('Stripe adapter: capture and release', () => {
  test('capture posts amount_to_capture with the capture key', async () => {
    fake.respond(() => ({
      status: 200,
      body: paymentIntent({ status: 'succeeded', amount_capturable: 0, amount_received: 3210, latest_charge: 'ch_3QfakeCharge' }),
    }));
    expect(await provider().capture({ holdReference: 'pi_3QfakeHoldAbc123', amountMinor: 3210, idempotencyKey: 'dynamo:guest:gs1:capture' })).toEqual({
      ok: true,
      reference: 'pi_3QfakeHoldAbc123',
      capturedMinor: 3210,
      currency: 'EUR',
    });
    const req = only();
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/payment_intents/pi_3QfakeHoldAbc123/capture');
    expectStripeHeaders(req, 'dynamo:guest:gs1:capture');
    expect(Object.fromEntries(req.form)).toEqual({ amount_to_capture: '3210' });
  });

  test('capturing more than held is refused', async () => {
    fake.respond(() => ({
      status: 400,
      body: {
        error: {
          type: 'invalid_request_error',
          code: 'amount_too_large',
          param: 'amount_to_capture',
          message: 'The amount to capture must be less than or equal to the amount capturable (5000).',
          payment_intent: paymentIntent(),
        },
      },
    }));
    expect(await provider().capture({ holdReference: 'pi_3QfakeHoldAbc123', amountMinor: 6000, idempotencyKey: 'k' })).toMatchObject({
      ok: false,
      kind: 'refused',
      retryable: false,
      code: 'amount_exceeds_hold',
    });
  });

  test('a capture Stripe already did for this amount (key forgotten) converges to ok; another amount is refused', async () => {
    const alreadyCaptured = () => ({
      status: 400,
      body: {
        error: {
          type: 'invalid_request_error',
          code: 'payment_intent_unexpected_state',
          message: 'This PaymentIntent could not be captured because it has a status of succeeded.',
          payment_intent: paymentIntent({ status: 'succeeded', amount_capturable: 0, amount_received: 3210 }),
        },
      },
    });
    fake.respond(alreadyCaptured, alreadyCaptured);
    expect(await provider().capture({ holdReference: 'pi_3QfakeHoldAbc123', amountMinor: 3210, idempotencyKey: 'k2' })).toEqual({
      ok: true,
      reference: 'pi_3QfakeHoldAbc123',
      capturedMinor: 3210,
      currency: 'EUR',
    });
    expect(await provider().capture({ holdReference: 'pi_3QfakeHoldAbc123', amountMinor: 4000, idempotencyKey: 'k3' })).toMatchObject({
      ok: false,
      kind: 'refused',
      code: 'already_captured',
    });
  });

  test('a 500 on capture is retryable with the same key', async () => {
    fake.respond(() => ({ status: 503, body: { error: { type: 'api_error', message: 'Service unavailable' } } }));
    expect(await provider().capture({ holdReference: 'pi_3QfakeHoldAbc123', amountMinor: 100, idempotencyKey: 'k' })).toMatchObject({
      ok: false,
      kind: 'provider_error',
      retryable: true,
      retryWith: 'same_key',
    });
  });

  test('release cancels the PaymentIntent with the release key', async () => {
    fake.respond(() => ({ status: 200, body: paymentIntent({ status: 'canceled', amount_capturable: 0, cancellation_reason: null }) }));
    expect(await provider().release({ holdReference: 'pi_3QfakeHoldAbc123', idempotencyKey: 'dynamo:guest:gs1:release' })).toEqual({
      ok: true,
      reference: 'pi_3QfakeHoldAbc123',
    });
    const req = only();
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/payment_intents/pi_3QfakeHoldAbc123/cancel');
    expectStripeHeaders(req, 'dynamo:guest:gs1:release');
    expect(req.body).toBe('');
  });

  test('release after capture is refused; release of a released hold is ok', async () => {
    const unexpected = (status: string) => () => ({
      status: 400,
      body: {
        error: {
          type: 'invalid_request_error',
          code: 'payment_intent_unexpected_state',
          message: `You cannot cancel this PaymentIntent because it has a status of ${status}.`,
          payment_intent: paymentIntent({ status }),
        },
      },
    });
    fake.respond(unexpected('succeeded'), unexpected('canceled'));
    expect(await provider().release({ holdReference: 'pi_3QfakeHoldAbc123', idempotencyKey: 'r1' })).toMatchObject({
      ok: false,
      kind: 'refused',
      retryable: false,
      code: 'already_captured',
    });
    expect(await provider().release({ holdReference: 'pi_3QfakeHoldAbc123', idempotencyKey: 'r2' })).toEqual({
      ok: true,
      reference: 'pi_3QfakeHoldAbc123',
    });
  });

  test('an unknown PaymentIntent is refused', async () => {
    fake.respond(() => ({
      status: 404,
      body: { error: { type: 'invalid_request_error', code: 'resource_missing', param: 'intent', message: "No such payment_intent: 'pi_nope'" } },
    }));
    expect(await provider().release({ holdReference: 'pi_nope', idempotencyKey: 'r' })).toMatchObject({
      ok: false,
      kind: 'refused',
      code: 'unknown_reference',
    });
  });

  test('a reference that is not an id never reaches Stripe (no path games)', async () => {
    expect(await provider().capture({ holdReference: '../customers/cus_1', amountMinor: 100, idempotencyKey: 'k' })).toMatchObject({
      ok: false,
      kind: 'refused',
      code: 'invalid_request',
    });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('createPaymentProvider with stripe settings', () => {
  test('talks to the configured host, port and protocol', async () => {
    fake.respond(() => ({ status: 200, body: paymentIntent() }));
    const p = createPaymentProvider({
      provider: 'stripe',
      stripeSecretKey: SECRET,
      stripeHost: '127.0.0.1',
      stripePort: fake.port,
      stripeProtocol: 'http',
      stripeMaxNetworkRetries: 0,
    });
    expect(await p.hold(holdRequest)).toMatchObject({ ok: true });
    expect(only().path).toBe('/v1/payment_intents');
  });
});
