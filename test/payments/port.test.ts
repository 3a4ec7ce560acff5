import { describe, expect, test } from 'bun:test';
import { createPaymentProvider, loadPaymentConfig } from '../../src/payments/index.ts';
import { isPaymentMethodId, paymentIdempotencyKey } from '../../src/payments/port.ts';
import type { PaymentPort } from '../../actors/guest/guest.ports.ts';

describe('isPaymentMethodId', () => {
  test("accepts Stripe's test ids and real-looking ids", () => {
    for (const id of [
      'pm_card_visa',
      'pm_card_mastercard',
      'pm_card_chargeDeclined',
      'pm_card_chargeDeclinedInsufficientFunds',
      'pm_card_chargeDeclinedProcessingError',
      'pm_1QhZr2LkdIwHu7ixR8x0bLQv',
    ])
      expect(isPaymentMethodId(id)).toBe(true);
  });

  test('refuses anything else', () => {
    for (const id of [
      '',
      'pm_',
      'pm__x',
      'pm_card_',
      'card_visa',
      'tok_visa',
      '4242424242424242',
      'PM_card_visa',
      ' pm_card_visa',
      'pm_card_visa ',
      'pm_card-visa',
      'pm_card_visa/../x',
      `pm_${'a'.repeat(253)}`,
      null,
      42,
      { id: 'pm_card_visa' },
    ])
      expect(isPaymentMethodId(id)).toBe(false);
    expect(isPaymentMethodId(`pm_${'a'.repeat(252)}`)).toBe(true);
  });
});

describe('paymentIdempotencyKey', () => {
  test('derives one stable key per guest session and step; later attempts get their own', () => {
    expect(paymentIdempotencyKey('gs_01J', 'hold')).toBe('dynamo:guest:gs_01J:hold');
    expect(paymentIdempotencyKey('gs_01J', 'capture')).toBe('dynamo:guest:gs_01J:capture');
    expect(paymentIdempotencyKey('gs_01J', 'release')).toBe('dynamo:guest:gs_01J:release');
    expect(paymentIdempotencyKey('gs_01J', 'hold', 1)).toBe('dynamo:guest:gs_01J:hold');
    expect(paymentIdempotencyKey('gs_01J', 'hold', 2)).toBe('dynamo:guest:gs_01J:hold:2');
    expect(() => paymentIdempotencyKey('', 'hold')).toThrow();
    expect(() => paymentIdempotencyKey('gs', 'hold', 0)).toThrow();
  });
});

describe('configuration', () => {
  test('simulated is the default; stripe needs a secret key', () => {
    expect(loadPaymentConfig({})).toEqual({ config: { provider: 'simulated' }, problems: [] });
    expect(loadPaymentConfig({ PAYMENT_PROVIDER: 'stripe' }).problems).toEqual(['STRIPE_SECRET_KEY is required when PAYMENT_PROVIDER=stripe']);
    expect(loadPaymentConfig({ PAYMENT_PROVIDER: 'paypal' }).problems[0]).toContain('PAYMENT_PROVIDER');
    const stripe = loadPaymentConfig({
      PAYMENT_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_abc123',
      STRIPE_API_HOST: 'localhost',
      STRIPE_API_PORT: '12111',
      STRIPE_API_PROTOCOL: 'http',
    });
    expect(stripe).toEqual({
      config: { provider: 'stripe', stripeSecretKey: 'sk_test_abc123', stripeHost: 'localhost', stripePort: 12111, stripeProtocol: 'http' },
      problems: [],
    });
  });

  test('a malformed key is reported without echoing it', () => {
    const { problems } = loadPaymentConfig({ PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'pk_live_shouldNotLeak' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).not.toContain('shouldNotLeak');
  });

  test('createPaymentProvider picks the adapter', () => {
    expect(createPaymentProvider({ provider: 'simulated' }).name).toBe('simulated');
    expect(createPaymentProvider({ provider: 'stripe', stripeSecretKey: 'sk_test_x' }).name).toBe('stripe');
    expect(() => createPaymentProvider({ provider: 'stripe' })).toThrow('STRIPE_SECRET_KEY');
  });

  test("both adapters fit the guest session actor's PaymentPort", () => {
    const ports: PaymentPort[] = [
      createPaymentProvider({ provider: 'simulated' }),
      createPaymentProvider({ provider: 'stripe', stripeSecretKey: 'sk_test_x' }),
    ];
    expect(ports).toHaveLength(2);
  });
});
