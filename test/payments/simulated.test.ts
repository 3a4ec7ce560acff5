import { describe, expect, test } from 'bun:test';
import { createSimulatedPaymentProvider } from '../../src/payments/simulated.ts';
import { createMemorySimulatedLedger } from '../../src/payments/simulated-ledger.ts';
import type { HoldRequest } from '../../src/payments/port.ts';

const hold = (paymentMethodId: string, overrides: Partial<HoldRequest> = {}): HoldRequest => ({
  paymentMethodId,
  amountMinor: 5000,
  currency: 'EUR',
  idempotencyKey: `dynamo:guest:${paymentMethodId}:hold`,
  ...overrides,
});

/** A provider with a held payment of €50.00 on pm_card_visa. */
async function held() {
  const provider = createSimulatedPaymentProvider(createMemorySimulatedLedger());
  const result = await provider.hold(hold('pm_card_visa', { idempotencyKey: 'gs1:hold' }));
  if (!result.ok) throw new Error(`hold failed: ${result.reason}`);
  return { provider, reference: result.reference };
}

describe('simulated provider: Stripe test payment methods', () => {
  test('pm_card_visa and pm_card_mastercard are held, with brand and last4', async () => {
    const provider = createSimulatedPaymentProvider();
    const visa = await provider.hold(hold('pm_card_visa'));
    expect(visa).toEqual({ ok: true, reference: expect.stringMatching(/^pi_sim_[0-9a-f]{32}$/), brand: 'visa', last4: '4242' });
    const mastercard = await provider.hold(hold('pm_card_mastercard'));
    expect(mastercard).toMatchObject({ ok: true, brand: 'mastercard', last4: '4444' });
    if (!visa.ok || !mastercard.ok) throw new Error('unreachable');
    expect(visa.reference).not.toBe(mastercard.reference);
    expect(provider.payment(visa.reference)).toMatchObject({
      status: 'held',
      heldMinor: 5000,
      capturableMinor: 5000,
      currency: 'EUR',
      paymentMethodId: 'pm_card_visa',
    });
  });

  test('any other well-formed pm_ id is held too', async () => {
    const provider = createSimulatedPaymentProvider();
    const result = await provider.hold(hold('pm_1QhZr2LkdIwHu7ixR8x0bLQv'));
    expect(result.ok).toBe(true);
  });

  test('pm_card_chargeDeclined is declined (generic_decline)', async () => {
    const provider = createSimulatedPaymentProvider();
    const result = await provider.hold(hold('pm_card_chargeDeclined'));
    expect(result).toMatchObject({ ok: false, kind: 'declined', reason: 'Your card was declined.', declineCode: 'generic_decline' });
    if (result.ok || result.kind !== 'declined' || !result.reference) throw new Error('expected a declined PaymentIntent reference');
    // Nothing held: the ledger shows the declined attempt only.
    expect(provider.payment(result.reference)).toMatchObject({ status: 'declined', heldMinor: 0, capturableMinor: 0 });
  });

  test('pm_card_chargeDeclinedInsufficientFunds is declined for insufficient funds', async () => {
    const provider = createSimulatedPaymentProvider();
    expect(await provider.hold(hold('pm_card_chargeDeclinedInsufficientFunds'))).toMatchObject({
      ok: false,
      kind: 'declined',
      declineCode: 'insufficient_funds',
      reason: 'Your card has insufficient funds.',
    });
  });

  test('pm_card_chargeDeclinedProcessingError is a retryable provider error that needs a new key', async () => {
    const provider = createSimulatedPaymentProvider();
    const first = await provider.hold(hold('pm_card_chargeDeclinedProcessingError', { idempotencyKey: 'gs:hold' }));
    expect(first).toMatchObject({ ok: false, kind: 'provider_error', retryable: true, retryWith: 'new_key' });
    // Like Stripe, the failure is recorded under its key: the same key replays it rather than trying again.
    expect(await provider.hold(hold('pm_card_chargeDeclinedProcessingError', { idempotencyKey: 'gs:hold' }))).toEqual(first);
    expect(provider.ledger.all().map((e) => e.entry)).toEqual(['failure']);
    // A new attempt (new key) is a new try at the provider.
    await provider.hold(hold('pm_card_chargeDeclinedProcessingError', { idempotencyKey: 'gs:hold:2' }));
    expect(provider.ledger.all().map((e) => e.entry)).toEqual(['failure', 'failure']);
  });

  test('anything not shaped like a payment method id is refused, and nothing is recorded', async () => {
    const provider = createSimulatedPaymentProvider();
    for (const id of ['4242424242424242', 'tok_visa', 'card_visa', '', 'pm_', "pm_card_visa'; DROP TABLE x"])
      expect(await provider.hold(hold(id, { idempotencyKey: `k-${id}` }))).toMatchObject({
        ok: false,
        kind: 'declined',
        declineCode: 'invalid_payment_method',
      });
    expect(provider.ledger.all()).toEqual([]);
  });

  test('malformed amounts, currencies and keys are refused before anything is recorded', async () => {
    const provider = createSimulatedPaymentProvider();
    for (const bad of [
      { amountMinor: 0 },
      { amountMinor: -100 },
      { amountMinor: 12.5 },
      { amountMinor: Number.NaN },
      { currency: 'EURO' },
      { idempotencyKey: '' },
      { idempotencyKey: 'k'.repeat(256) },
    ])
      expect(await provider.hold(hold('pm_card_visa', bad))).toMatchObject({ ok: false, kind: 'declined', declineCode: 'invalid_request' });
    expect(provider.ledger.all()).toEqual([]);
  });
});

describe('simulated provider: idempotency, the way Stripe does it', () => {
  test('the same hold with the same key gives the same reference and one hold in the ledger', async () => {
    const provider = createSimulatedPaymentProvider();
    const request = hold('pm_card_visa', { idempotencyKey: 'dynamo:guest:gs1:hold' });
    const first = await provider.hold(request);
    const again = await provider.hold({ ...request });
    const concurrent = await Promise.all([provider.hold(request), provider.hold(request)]);
    expect(again).toEqual(first);
    expect(concurrent).toEqual([first, first]);
    expect(provider.ledger.all()).toHaveLength(1);
    expect(provider.ledger.all()[0]).toMatchObject({ entry: 'hold', amountMinor: 5000, idempotencyKey: 'dynamo:guest:gs1:hold' });
  });

  test('the same key with other parameters is refused and changes nothing', async () => {
    const provider = createSimulatedPaymentProvider();
    await provider.hold(hold('pm_card_visa', { idempotencyKey: 'gs1:hold' }));
    expect(await provider.hold(hold('pm_card_visa', { idempotencyKey: 'gs1:hold', amountMinor: 6000 }))).toMatchObject({
      ok: false,
      kind: 'declined',
      declineCode: 'idempotency_key_reused',
    });
    expect(provider.ledger.all()).toHaveLength(1);
  });

  test('a declined hold is replayed for its key, not retried', async () => {
    const provider = createSimulatedPaymentProvider();
    const first = await provider.hold(hold('pm_card_chargeDeclined', { idempotencyKey: 'gs2:hold' }));
    expect(await provider.hold(hold('pm_card_chargeDeclined', { idempotencyKey: 'gs2:hold' }))).toEqual(first);
    expect(provider.ledger.all()).toHaveLength(1);
  });

  test('capturing twice with the same key captures once', async () => {
    const { provider, reference } = await held();
    const first = await provider.capture({ holdReference: reference, amountMinor: 5000, idempotencyKey: 'gs1:capture' });
    const second = await provider.capture({ holdReference: reference, amountMinor: 5000, idempotencyKey: 'gs1:capture' });
    expect(first).toEqual({ ok: true, reference, capturedMinor: 5000, currency: 'EUR' });
    expect(second).toEqual(first);
    expect(provider.ledger.byReference(reference).filter((e) => e.entry === 'capture')).toHaveLength(1);
    expect(provider.payment(reference)).toMatchObject({ status: 'captured', capturedMinor: 5000, releasedMinor: 0 });
  });

  test('a capture key reused for another amount is refused; the capture stands', async () => {
    const { provider, reference } = await held();
    await provider.capture({ holdReference: reference, amountMinor: 3000, idempotencyKey: 'gs1:capture' });
    expect(await provider.capture({ holdReference: reference, amountMinor: 4000, idempotencyKey: 'gs1:capture' })).toMatchObject({
      ok: false,
      kind: 'refused',
      retryable: false,
      code: 'idempotency_key_reused',
    });
    expect(provider.payment(reference)).toMatchObject({ capturedMinor: 3000 });
  });

  test('capture converges across keys for the same amount, and refuses another amount', async () => {
    const { provider, reference } = await held();
    await provider.capture({ holdReference: reference, amountMinor: 3000, idempotencyKey: 'gs1:capture' });
    expect(await provider.capture({ holdReference: reference, amountMinor: 3000, idempotencyKey: 'gs1:capture:2' })).toEqual({
      ok: true,
      reference,
      capturedMinor: 3000,
      currency: 'EUR',
    });
    expect(await provider.capture({ holdReference: reference, amountMinor: 2000, idempotencyKey: 'gs1:capture:3' })).toMatchObject({
      ok: false,
      kind: 'refused',
      code: 'already_captured',
    });
    expect(provider.ledger.byReference(reference).map((e) => [e.entry, e.amountMinor])).toEqual([
      ['hold', 5000],
      ['capture', 3000],
      ['release', 2000],
    ]);
  });
});

describe('simulated provider: capture and release', () => {
  test('capturing less than held releases the rest, in the ledger with the capture key', async () => {
    const { provider, reference } = await held();
    expect(await provider.capture({ holdReference: reference, amountMinor: 1234, idempotencyKey: 'gs1:capture' })).toEqual({
      ok: true,
      reference,
      capturedMinor: 1234,
      currency: 'EUR',
    });
    expect(provider.payment(reference)).toMatchObject({
      status: 'captured',
      heldMinor: 5000,
      capturedMinor: 1234,
      releasedMinor: 3766,
      capturableMinor: 0,
    });
    expect(provider.ledger.byReference(reference).map((e) => ({ entry: e.entry, amountMinor: e.amountMinor, key: e.idempotencyKey }))).toEqual([
      { entry: 'hold', amountMinor: 5000, key: 'gs1:hold' },
      { entry: 'capture', amountMinor: 1234, key: 'gs1:capture' },
      { entry: 'release', amountMinor: 3766, key: 'gs1:capture' },
    ]);
  });

  test('capturing more than held is refused and leaves the hold intact', async () => {
    const { provider, reference } = await held();
    expect(await provider.capture({ holdReference: reference, amountMinor: 5001, idempotencyKey: 'gs1:capture' })).toMatchObject({
      ok: false,
      kind: 'refused',
      retryable: false,
      code: 'amount_exceeds_hold',
    });
    expect(provider.payment(reference)).toMatchObject({ status: 'held', capturableMinor: 5000 });
    // A refusal is not recorded under its key (as at Stripe, a request refused for its parameters is not saved),
    // so the corrected capture may use the same key.
    expect(await provider.capture({ holdReference: reference, amountMinor: 5000, idempotencyKey: 'gs1:capture' })).toMatchObject({ ok: true });
  });

  test('capturing 0 is refused: release the hold instead', async () => {
    const { provider, reference } = await held();
    expect(await provider.capture({ holdReference: reference, amountMinor: 0, idempotencyKey: 'gs1:capture' })).toMatchObject({
      ok: false,
      kind: 'refused',
      code: 'invalid_request',
    });
  });

  test('release gives the whole hold back; a second release (any key) answers ok without a second entry', async () => {
    const { provider, reference } = await held();
    expect(await provider.release({ holdReference: reference, idempotencyKey: 'gs1:release' })).toEqual({ ok: true, reference });
    expect(await provider.release({ holdReference: reference, idempotencyKey: 'gs1:release' })).toEqual({ ok: true, reference });
    expect(await provider.release({ holdReference: reference, idempotencyKey: 'gs1:release:2' })).toEqual({ ok: true, reference });
    expect(provider.ledger.byReference(reference).map((e) => [e.entry, e.amountMinor])).toEqual([
      ['hold', 5000],
      ['release', 5000],
    ]);
    expect(provider.payment(reference)).toMatchObject({ status: 'released', releasedMinor: 5000, capturedMinor: 0 });
  });

  test('release after capture is refused', async () => {
    const { provider, reference } = await held();
    await provider.capture({ holdReference: reference, amountMinor: 5000, idempotencyKey: 'gs1:capture' });
    expect(await provider.release({ holdReference: reference, idempotencyKey: 'gs1:release' })).toMatchObject({
      ok: false,
      kind: 'refused',
      retryable: false,
      code: 'already_captured',
    });
    expect(provider.payment(reference)).toMatchObject({ status: 'captured', capturedMinor: 5000, releasedMinor: 0 });
  });

  test('capture after release is refused', async () => {
    const { provider, reference } = await held();
    await provider.release({ holdReference: reference, idempotencyKey: 'gs1:release' });
    expect(await provider.capture({ holdReference: reference, amountMinor: 100, idempotencyKey: 'gs1:capture' })).toMatchObject({
      ok: false,
      kind: 'refused',
      code: 'already_released',
    });
  });

  test('a declined hold cannot be captured, and can be released (closed) with nothing to give back', async () => {
    const provider = createSimulatedPaymentProvider();
    const declined = await provider.hold(hold('pm_card_chargeDeclined'));
    if (declined.ok || declined.kind !== 'declined' || !declined.reference) throw new Error('expected a declined reference');
    expect(await provider.capture({ holdReference: declined.reference, amountMinor: 100, idempotencyKey: 'c' })).toMatchObject({
      ok: false,
      kind: 'refused',
      code: 'not_capturable',
    });
    expect(await provider.release({ holdReference: declined.reference, idempotencyKey: 'r' })).toMatchObject({ ok: true });
    expect(provider.payment(declined.reference)).toMatchObject({ status: 'released', heldMinor: 0, releasedMinor: 0 });
  });

  test('an unknown reference is refused', async () => {
    const provider = createSimulatedPaymentProvider();
    expect(await provider.capture({ holdReference: 'pi_sim_nope', amountMinor: 100, idempotencyKey: 'c' })).toMatchObject({
      ok: false,
      kind: 'refused',
      code: 'unknown_reference',
    });
    expect(await provider.release({ holdReference: 'pi_sim_nope', idempotencyKey: 'r' })).toMatchObject({
      ok: false,
      kind: 'refused',
      code: 'unknown_reference',
    });
  });

  test('works in zero-decimal currencies too', async () => {
    const provider = createSimulatedPaymentProvider();
    const result = await provider.hold(hold('pm_card_visa', { amountMinor: 3000, currency: 'jpy' }));
    if (!result.ok) throw new Error(result.reason);
    expect(await provider.capture({ holdReference: result.reference, amountMinor: 1200, idempotencyKey: 'c' })).toEqual({
      ok: true,
      reference: result.reference,
      capturedMinor: 1200,
      currency: 'JPY',
    });
  });
});
