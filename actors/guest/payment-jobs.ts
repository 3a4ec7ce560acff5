import type { ChannelSender } from '../partner/deliveries.ts';
import type { Delivery } from '../../src/storage/ports.ts';
import type { GuestSessions, PaymentJob } from './guest-sessions.ts';
import type { PaymentPort } from './guest.ports.ts';

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
