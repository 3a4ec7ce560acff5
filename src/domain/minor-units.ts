/**
 * Exact conversion between decimal money (major units, big.js via src/domain/money.ts) and the integer minor units
 * the payment port takes. The number of minor units comes from the runtime's ISO 4217 data (EUR 2, JPY 0, KWD 3).
 *
 * Note for Stripe: a few currencies are zero-decimal at Stripe but not in ISO 4217 (ISK, UGX), and Stripe wants
 * HUF/TWD amounts divisible by 100; amounts here follow ISO 4217, which is right for EUR, GBP and the other
 * currencies a CPO normally bills in.
 */
import { currencyMinorUnits, dec, roundHalfUp, type Decimal, type DecimalInput } from './money.ts';

/** An exact amount as the payment port takes it. */
export interface MinorAmount {
  amountMinor: number;
  /** ISO 4217, upper case. */
  currency: string;
}

function normalizeCurrency(currency: string): string {
  if (typeof currency !== 'string' || !/^[A-Za-z]{3}$/.test(currency))
    throw new RangeError(`Not an ISO 4217 currency code: ${JSON.stringify(currency)}`);
  return currency.toUpperCase();
}

/** Minor-unit digits of `currency` (EUR 2, JPY 0, KWD 3). */
export function minorUnitDigits(currency: string): number {
  return currencyMinorUnits(normalizeCurrency(currency));
}

/**
 * `amount` (major units, e.g. "12.345" EUR) in minor units, rounded half-up to the currency's minor unit
 * (away from zero for negatives): "12.345" EUR → 1235, "0.5" JPY → 1. Throws if the result is not a safe integer.
 */
export function toMinorUnits(amount: DecimalInput, currency: string): number {
  const digits = minorUnitDigits(currency);
  const minor = roundHalfUp(dec(amount), digits).times(dec(`1e${digits}`));
  const result = Number(minor.toFixed(0));
  if (!Number.isSafeInteger(result)) throw new RangeError(`Amount ${dec(amount).toString()} ${currency} is too large`);
  return result;
}

/** The exact decimal (major units) for `amountMinor`: 1235 EUR → 12.35. */
export function fromMinorUnits(amountMinor: number, currency: string): Decimal {
  if (!Number.isSafeInteger(amountMinor)) throw new RangeError(`amountMinor must be an integer (got ${amountMinor})`);
  return dec(amountMinor).div(dec(`1e${minorUnitDigits(currency)}`));
}

/** `{ amountMinor, currency }` for a decimal amount in major units, rounded half-up to the minor unit. */
export function minorAmount(amount: DecimalInput, currency: string): MinorAmount {
  return { amountMinor: toMinorUnits(amount, currency), currency: normalizeCurrency(currency) };
}

/** Formats minor units as a decimal string with exactly the currency's digits: 5000 EUR → "50.00". */
export function formatMinorUnits(amountMinor: number, currency: string): string {
  return fromMinorUnits(amountMinor, currency).toFixed(minorUnitDigits(currency));
}
