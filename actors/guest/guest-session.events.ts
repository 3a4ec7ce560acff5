/** One call to the payment provider, as the operator's payment trail shows it. */
export interface PaymentCall {
  step: 'hold' | 'capture' | 'release';
  idempotencyKey: string;
  outcome: string;
  amountMinor?: number;
  reference?: string;
  at: string;
}

export interface GuestInput {
  id: string;
  chargePointId: string;
  ocppEvseId: number;
  protocol: 'ocpp1.6' | 'ocpp2.0.1';
  /** The id tag the charge point sees: ≤ 20 characters, so it fits OCPP 1.6. */
  idTag: string;
  paymentMethodId: string;
  currency: string;
  holdMinor: number;
  createdAt: string;
  /** Data, not a timer: re-armed at boot. */
  expiresAt: string;
}

export type GuestEvent =
  | { type: 'HELD'; reference: string; brand?: string; last4?: string; call: PaymentCall }
  | { type: 'HOLD_FAILED'; reason: string; call: PaymentCall }
  | { type: 'START_REQUESTED'; at: string }
  | { type: 'START_REFUSED'; reason: string; at: string }
  | { type: 'STARTED'; sessionId: string; at: string }
  | { type: 'PROGRESS'; energyKwh: number; costInclVat: string; at: string }
  | { type: 'STOP_REQUESTED'; reason: string; at: string }
  | { type: 'ENDED'; cdrId: string; finalCost: string; chargedMinor: number; shortfallMinor: number; at: string }
  | { type: 'CAPTURED'; call: PaymentCall }
  | { type: 'RELEASED'; call: PaymentCall }
  | { type: 'PAYMENT_FAILED'; call: PaymentCall }
  | { type: 'EXPIRED'; at: string }
  | { type: 'CANCELLED'; at: string }
  /** The actor was restored after a restart: its state is entered again so the expiry timer is re-armed. */
  | { type: 'RESTORED' };
