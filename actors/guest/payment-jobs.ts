import type { ChannelSender } from '../partner/deliveries.ts';
import type { Delivery, NewDelivery } from '../../src/storage/ports.ts';
import type { GuestSessions } from './guest-sessions.ts';
import type { PaymentPort } from './guest.ports.ts';

export const PAYMENTS_CHANNEL = 'payments';

/** The payment jobs queued in the outbox: capture the final amount or release the hold. */
export interface PaymentJob {
  op: 'capture' | 'release';
  guestId: string;
  holdReference: string;
  amountMinor?: number;
  idempotencyKey: string;
}

/** An outbox row on the payments channel; one object key per guest keeps release and capture in order. */
export function job(payment: PaymentJob): NewDelivery {
  return { channel: PAYMENTS_CHANNEL, objectKey: `guest:${payment.guestId}`, method: 'POST', module: null, path: payment.op, body: payment };
}

/**
 * The payments channel of the outbox: captures and releases, each with its idempotency key, retried while the
 * provider fails and recorded on the guest session once done — so a crash between "stopped" and "captured"
 * still captures, exactly once.
 */
export function paymentJobsSender(payments: PaymentPort, guests: () => GuestSessions): ChannelSender {
  return {
    async send(row: Delivery) {
      const job = row.body as PaymentJob;
      const outcome =
        job.op === 'capture'
          ? await payments.capture({ holdReference: job.holdReference, amountMinor: job.amountMinor!, idempotencyKey: job.idempotencyKey })
          : await payments.release({ holdReference: job.holdReference, idempotencyKey: job.idempotencyKey });
      if (outcome.ok) return { ok: true, location: outcome.reference };
      return { ok: false, retryable: outcome.retryable === true, error: `${job.op}: ${outcome.reason}` };
    },
    delivered(row, outcome) {
      guests().paymentDone(row.body as PaymentJob, outcome.location ?? '');
    },
    deadLettered(row, error) {
      guests().paymentFailed(row.body as PaymentJob, error);
    },
  };
}
