/**
 * The payments port and its adapters, chosen by configuration: `simulated` (default) or `stripe`.
 *
 *   const provider = createPaymentProvider(loadPaymentConfig(process.env).config, createSqliteSimulatedLedger(storage.sqlite));
 */
import { createSimulatedPaymentProvider } from './simulated.ts';
import { createMemorySimulatedLedger, type SimulatedLedger } from './simulated-ledger.ts';
import { createStripePaymentProvider } from './stripe.ts';
import type { PaymentProvider, PaymentProviderName } from './port.ts';

export * from './port.ts';
export * from '../domain/minor-units.ts';
export * from './simulated-ledger.ts';
export { createSimulatedPaymentProvider, TEST_PAYMENT_METHODS, type SimulatedPaymentProvider, type SimulatedProviderOptions } from './simulated.ts';
export { createStripePaymentProvider, redactStripeSecrets, type StripeProviderOptions } from './stripe.ts';

export interface PaymentConfig {
  provider: PaymentProviderName;
  stripeSecretKey?: string;
  stripeHost?: string;
  stripePort?: number;
  stripeProtocol?: 'http' | 'https';
  /** The stripe package's own retries, all with the same Idempotency-Key; default 2. */
  stripeMaxNetworkRetries?: number;
  stripeTimeoutMs?: number;
}

/**
 * The configured provider. `ledger` is the simulation's store (ignored for Stripe); without one the simulation
 * keeps its ledger in memory, which a restart loses. Throws for a Stripe configuration without a secret key.
 */
export function createPaymentProvider(config: PaymentConfig, ledger?: SimulatedLedger): PaymentProvider {
  switch (config.provider) {
    case 'simulated':
      return createSimulatedPaymentProvider(ledger ?? createMemorySimulatedLedger());
    case 'stripe':
      if (!config.stripeSecretKey) throw new Error('PAYMENT_PROVIDER=stripe needs STRIPE_SECRET_KEY');
      return createStripePaymentProvider({
        secretKey: config.stripeSecretKey,
        ...(config.stripeHost === undefined ? {} : { host: config.stripeHost }),
        ...(config.stripePort === undefined ? {} : { port: config.stripePort }),
        ...(config.stripeProtocol === undefined ? {} : { protocol: config.stripeProtocol }),
        ...(config.stripeMaxNetworkRetries === undefined ? {} : { maxNetworkRetries: config.stripeMaxNetworkRetries }),
        ...(config.stripeTimeoutMs === undefined ? {} : { timeoutMs: config.stripeTimeoutMs }),
      });
    default:
      throw new Error(`Unknown payment provider: ${String((config as { provider: unknown }).provider)}`);
  }
}

/**
 * Reads the payment settings from the environment, in the style of src/config.ts (one line per problem, never the
 * secret itself):
 * - `PAYMENT_PROVIDER`: `simulated` (default) or `stripe`;
 * - `STRIPE_SECRET_KEY`: required for `stripe` (`sk_...` or a restricted `rk_...`);
 * - `STRIPE_API_HOST`, `STRIPE_API_PORT`, `STRIPE_API_PROTOCOL`: optional, for a local stand-in such as stripe-mock.
 */
export function loadPaymentConfig(env: Record<string, string | undefined>): { config: PaymentConfig; problems: string[] } {
  const problems: string[] = [];
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const providerName = read('PAYMENT_PROVIDER')?.toLowerCase() ?? 'simulated';
  if (providerName !== 'simulated' && providerName !== 'stripe')
    problems.push(`PAYMENT_PROVIDER must be "simulated" or "stripe" (got "${providerName}")`);
  const provider: PaymentProviderName = providerName === 'stripe' ? 'stripe' : 'simulated';
  const config: PaymentConfig = { provider };
  if (provider !== 'stripe') return { config, problems };

  const secretKey = read('STRIPE_SECRET_KEY');
  if (!secretKey) problems.push('STRIPE_SECRET_KEY is required when PAYMENT_PROVIDER=stripe');
  else if (!/^(sk|rk)_(test|live)_[A-Za-z0-9]+$/.test(secretKey))
    problems.push('STRIPE_SECRET_KEY must be a Stripe secret key (sk_test_..., sk_live_..., or a restricted rk_...)');
  else config.stripeSecretKey = secretKey;

  const host = read('STRIPE_API_HOST');
  if (host !== undefined) {
    if (!/^[A-Za-z0-9.-]+$/.test(host)) problems.push(`STRIPE_API_HOST must be a host name (got "${host}")`);
    else config.stripeHost = host;
  }
  const port = read('STRIPE_API_PORT');
  if (port !== undefined) {
    const n = Number(port);
    if (!/^\d+$/.test(port) || n < 1 || n > 65535) problems.push(`STRIPE_API_PORT must be an integer between 1 and 65535 (got "${port}")`);
    else config.stripePort = n;
  }
  const protocol = read('STRIPE_API_PROTOCOL');
  if (protocol !== undefined) {
    if (protocol !== 'http' && protocol !== 'https') problems.push(`STRIPE_API_PROTOCOL must be "http" or "https" (got "${protocol}")`);
    else config.stripeProtocol = protocol;
  }
  return { config, problems };
}
