/**
 * The payment provider as guest sessions use it (implemented in src/payments: simulated, or Stripe). Amounts are
 * integer minor units; every call carries an idempotency key, so a retried call never moves money twice.
 */
export interface PaymentPort {
  hold(req: { paymentMethodId: string; amountMinor: number; currency: string; idempotencyKey: string; description?: string }): Promise<
    | { ok: true; reference: string; brand?: string; last4?: string }
    | { ok: false; kind: 'declined'; reason: string; declineCode?: string }
    | { ok: false; kind: 'provider_error'; reason: string; retryable: true }
  >;
  capture(req: { holdReference: string; amountMinor: number; idempotencyKey: string }): Promise<PaymentOutcome>;
  release(req: { holdReference: string; idempotencyKey: string }): Promise<PaymentOutcome>;
}

export type PaymentOutcome = { ok: true; reference: string } | { ok: false; kind: string; reason: string; retryable?: boolean };

/** What a guest session asks of the charge point (src/ocpp gateway + the charge point actors). */
export interface GuestStationPort {
  /** Raw OCPP statuses the station reported for that EVSE, and whether it is connected. */
  state(chargePointId: string, ocppEvseId: number): { connected: boolean; protocol?: 'ocpp1.6' | 'ocpp2.0.1'; statuses: string[] } | undefined;
  call(chargePointId: string, action: string, payload: unknown, timeoutMs: number): Promise<unknown>;
}
