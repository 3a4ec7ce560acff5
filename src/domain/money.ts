/**
 * Exact decimal arithmetic for money, energy and time quantities (OCPI 2.2.1 digest 1.10: decimal arithmetic,
 * not binary floats). Everything runs on one private big.js constructor in strict mode: a JS number passed to an
 * operation throws instead of silently bringing float error in, and changes other code makes to the global
 * `Big.DP`/`Big.RM` cannot change our results.
 */
import Big from 'big.js';

const Exact = Big();
Exact.DP = 20;
Exact.RM = Big.roundHalfUp;
Exact.strict = true;

export type Decimal = Big;
export type DecimalInput = Big | string | number;

/**
 * A decimal from a string, a Big, or a JSON number. A number enters through its shortest round-trip string,
 * which is the literal the sender wrote (`0.1` → "0.1"), not the binary double behind it; a Big (from any copy
 * of big.js, ESM or CJS) through its exact string form.
 */
export function dec(value: DecimalInput): Decimal {
  return new Exact(String(value));
}

export const ZERO = dec(0);

export function sum(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const value of values) total = total.plus(value);
  return total;
}

/**
 * The one inexact operation: a quotient that has no finite decimal expansion (e.g. 1 minute = 1/60 h) is
 * rounded half-up at 20 decimals, far below the 4 decimals OCPI numbers carry (1.10). Callers divide once, last.
 */
export function divide(dividend: Decimal, divisor: Decimal): Decimal {
  return dividend.div(divisor);
}

/**
 * step_size billing (6.4): the smallest multiple of `step` that is ≥ `value`; an exact multiple stays as it is.
 * A step of 0 means no blocks (the free-of-charge example uses step_size 0).
 */
export function ceilToMultiple(value: Decimal, step: Decimal): Decimal {
  if (step.lte(ZERO)) return value;
  const rest = value.mod(step);
  if (rest.eq(ZERO)) return value;
  return rest.gt(ZERO) ? value.minus(rest).plus(step) : value.minus(rest);
}

/** min_price / max_price (6.6): an absent bound does not bind. */
export function clamp(value: Decimal, min?: Decimal, max?: Decimal): Decimal {
  if (min && value.lt(min)) return min;
  if (max && value.gt(max)) return max;
  return value;
}

const PERCENT = dec('0.01');

/** `amount` plus `percent` % of it (VAT, 6.5); multiplying by 0.01 instead of dividing by 100 keeps it exact. */
export function addPercentage(amount: Decimal, percent: Decimal): Decimal {
  return amount.plus(amount.times(percent).times(PERCENT));
}

/** Half-up, away from zero for negative amounts, so a credit CDR rounds to the negation of the original (7.3). */
export function roundHalfUp(value: Decimal, decimals: number): Decimal {
  return value.round(decimals, Big.roundHalfUp);
}

/** OCPI `number` fields carry 4 decimals unless stated otherwise (1.10). */
export function toOcpiNumber(value: Decimal): number {
  return roundHalfUp(value, 4).toNumber();
}

/** Minor-unit digits of an ISO 4217 currency (EUR 2, JPY 0, KWD 3), from the runtime's CLDR data. */
export function currencyMinorUnits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * OCPI has no rounding rule (6.7); the digest recommends rounding only totals, to the currency's minor unit,
 * half-up, with the same rule for Session `total_cost` and CDR totals. This is that rule.
 */
export function roundToMinorUnit(amount: Decimal, currency: string): Decimal {
  return roundHalfUp(amount, currencyMinorUnits(currency));
}
