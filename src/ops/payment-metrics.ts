import type { Logger } from '../lib/logger.ts';
import type { PaymentProvider } from '../payments/port.ts';

type Outcome = { ok: true } | { ok: false; kind: string; reason?: string };

/**
 * The payment provider with every call counted and logged (operation, outcome, amount, the provider's
 * reference): the trail an operator reads when a driver asks about a charge.
 */
export function instrumentedPayments(provider: PaymentProvider, record: (operation: string, outcome: string) => void, logger: Logger): PaymentProvider {
  const observe = async <R extends Outcome>(operation: string, fields: Record<string, unknown>, call: Promise<R>): Promise<R> => {
    try {
      const result = await call;
      const outcome = result.ok ? 'ok' : result.kind;
      record(operation, outcome);
      const reason = result.ok ? {} : { reason: result.reason };
      (result.ok ? logger.info : logger.warn)(`Payment ${operation}: ${outcome}`, { ...fields, ...reason, ...('reference' in result ? { reference: result.reference } : {}) });
      return result;
    } catch (error) {
      record(operation, 'exception');
      logger.error(`Payment ${operation} failed`, { ...fields, error });
      throw error;
    }
  };
  return {
    name: provider.name,
    hold: (req) => observe('hold', { amountMinor: req.amountMinor, currency: req.currency }, provider.hold(req)),
    capture: (req) => observe('capture', { amountMinor: req.amountMinor, holdReference: req.holdReference }, provider.capture(req)),
    release: (req) => observe('release', { holdReference: req.holdReference }, provider.release(req)),
  };
}
