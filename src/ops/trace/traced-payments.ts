import type { PaymentProvider } from '../../payments/port.ts';
import type { Clock } from '../../lib/clock.ts';
import type { PaymentRecord } from './trace-writer.ts';

/**
 * The payment provider with every call put in the protocol trace: request, result, duration. The idempotency key
 * names the guest session (`guest:<id>:<step>`), which is how a guest's hold, capture and release end up in
 * its charging session's trace.
 */
export function tracedPayments(provider: PaymentProvider, push: (record: PaymentRecord) => void, clock: Clock): PaymentProvider {
  const traced = async <R extends { ok: boolean }>(operation: string, request: PaymentRecord['request'], call: () => Promise<R>): Promise<R> => {
    const atMs = clock.now().getTime();
    const started = performance.now();
    const record = (outcome: Partial<PaymentRecord>) =>
      push({ kind: 'payment', atMs, provider: provider.name, operation, request, durationMs: performance.now() - started, ...outcome });
    try {
      const result = await call();
      record({ result: result as PaymentRecord['result'] });
      return result;
    } catch (error) {
      record({ error: (error as Error).message });
      throw error;
    }
  };
  return {
    name: provider.name,
    hold: (req) => traced('hold', { ...req }, () => provider.hold(req)),
    capture: (req) => traced('capture', { ...req }, () => provider.capture(req)),
    release: (req) => traced('release', { ...req }, () => provider.release(req)),
  };
}
