/**
 * How a receipt prints its figures: money with the currency's minor units, energy in kWh, durations as h:mm,
 * instants in the location's time zone. Numbers and dates use one fixed locale (en-GB) so the PDF's bytes do not
 * depend on the machine's locale; Intl gets exact decimal strings, never floats.
 */
import { currencyMinorUnits, dec, roundHalfUp, roundToMinorUnit, type Decimal } from '../money.ts';
import type { ReceiptDecimal, ReceiptDimension } from './receipt-data.ts';

const LOCALE = 'en-GB';

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** "€1,234.57", "JP¥1,235", "CHF 12.30": rounded half-up to the currency's minor unit, then formatted. */
export function formatMoney(amount: ReceiptDecimal, currency: string): string {
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat(LOCALE, { style: 'currency', currency });
    moneyFormats.set(currency, format);
  }
  const minor = currencyMinorUnits(currency);
  // Intl formats a decimal string exactly (ES2023 Intl.NumberFormat v3); rounding first keeps money.ts the one rule.
  return format.format(roundToMinorUnit(dec(amount), currency).toFixed(minor) as `${number}`);
}

/** "1,234.567": a decimal with a fixed number of fraction digits (half-up) and thousands separators. */
export function formatDecimal(value: ReceiptDecimal, fractionDigits: number): string {
  const format = new Intl.NumberFormat(LOCALE, {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  });
  return format.format(roundHalfUp(dec(value), fractionDigits).toFixed(fractionDigits) as `${number}`);
}

/** Energy with three decimals, i.e. to the watt-hour: "23.456 kWh". */
export function formatEnergy(kwh: ReceiptDecimal): string {
  return `${formatDecimal(kwh, 3)} kWh`;
}

/** A whole number of minutes as h:mm ("0:05", "1:30", "26:00"). */
export function formatMinutes(totalMinutes: number): string {
  if (!Number.isInteger(totalMinutes) || totalMinutes < 0) throw new RangeError(`not a duration: ${totalMinutes} min`);
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  return `${hours}:${String(minutes).padStart(2, '0')}`;
}

/**
 * The time between two ISO instants as h:mm, rounded half-up to the minute like the hours of a price line
 * (1:29:29 → "1:29", 1:29:30 → "1:30"), so charging plus parking time add up to the duration where they can.
 */
export function formatDuration(startUtc: string, endUtc: string): string {
  const ms = parseInstant(endUtc).getTime() - parseInstant(startUtc).getTime();
  if (ms < 0) throw new RangeError(`session ends (${endUtc}) before it starts (${startUtc})`);
  return formatMinutes(Math.floor((ms + 30_000) / 60_000));
}

/** Decimal hours as h:mm, rounded half-up to the minute (1.5 → "1:30", 0.2583 → "0:15"). */
export function formatHours(hours: ReceiptDecimal): string {
  return formatMinutes(roundHalfUp(dec(hours).times(dec(60)), 0).toNumber());
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(timeZone: string): Intl.DateTimeFormat {
  let format = dateTimeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALE, {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    dateTimeFormats.set(timeZone, format);
  }
  return format;
}

function parseInstant(iso: string): Date {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not an ISO instant: ${iso}`);
  return date;
}

function localParts(iso: string, timeZone: string): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const part of dateTimeFormat(timeZone).formatToParts(parseInstant(iso))) parts[part.type] = part.value;
  return parts;
}

/**
 * An instant in the location's time zone, "Fri 14 Mar 2025, 18:05 EET". Assembled from parts with plain spaces,
 * so a runtime whose CLDR puts other separators between them does not change the text.
 */
export function formatLocalDateTime(iso: string, timeZone: string): string {
  const p = localParts(iso, timeZone);
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute} ${p.timeZoneName}`;
}

/** The local calendar date only, "14 Mar 2025". */
export function formatLocalDate(iso: string, timeZone: string): string {
  const p = localParts(iso, timeZone);
  return `${p.day} ${p.month} ${p.year}`;
}

/** "21%" for a percentage; trailing zeros dropped ("21.00" → "21%"). */
export function formatPercent(percent: ReceiptDecimal): string {
  return `${formatDecimalTrimmed(dec(percent))}%`;
}

function formatDecimalTrimmed(value: Decimal): string {
  const text = value.toFixed();
  const fraction = text.split('.')[1]?.length ?? 0;
  return formatDecimal(value, fraction);
}

/**
 * A line's quantity: hours as h:mm, kWh with three decimals, anything else as the exact decimal and its unit
 * ("1 session").
 */
export function formatQuantity(quantity: ReceiptDecimal, unit: string): string {
  if (unit === 'h') return formatHours(quantity);
  if (unit === 'kWh') return formatEnergy(quantity);
  const number = formatDecimalTrimmed(dec(quantity));
  return unit ? `${number} ${unit}` : number;
}

const unitPriceFormats = new Map<string, Intl.NumberFormat>();

/**
 * A unit price: "€0.35 / kWh", "€0.389 / kWh", "JP¥55.5 / kWh". Tariff prices often carry more decimals than the
 * currency's minor unit, so they are printed with at least the minor unit and up to 4 decimals (OCPI's precision),
 * not rounded to cents.
 */
export function formatUnitPrice(price: ReceiptDecimal, unit: string, currency: string): string {
  let format = unitPriceFormats.get(currency);
  if (!format) {
    const minor = currencyMinorUnits(currency);
    format = new Intl.NumberFormat(LOCALE, {
      style: 'currency',
      currency,
      minimumFractionDigits: minor,
      maximumFractionDigits: Math.max(minor, 4),
    });
    unitPriceFormats.set(currency, format);
  }
  const text = format.format(roundHalfUp(dec(price), 4).toFixed() as `${number}`);
  return unit ? `${text} / ${unit}` : text;
}

const DIMENSION_LABELS: Record<ReceiptDimension, string> = {
  ENERGY: 'Energy',
  TIME: 'Charging time',
  PARKING_TIME: 'Parking time',
  FLAT: 'Session fee',
};

export function dimensionLabel(dimension: ReceiptDimension): string {
  return DIMENSION_LABELS[dimension];
}

const CARD_BRANDS: Record<string, string> = {
  amex: 'American Express',
  american_express: 'American Express',
  cartes_bancaires: 'Cartes Bancaires',
  diners: 'Diners Club',
  discover: 'Discover',
  eftpos_au: 'eftpos',
  jcb: 'JCB',
  mastercard: 'Mastercard',
  unionpay: 'UnionPay',
  visa: 'Visa',
  maestro: 'Maestro',
  girocard: 'girocard',
};

/** A provider's brand code as people know it ("visa" → "Visa", "amex" → "American Express"); unknown ones as given. */
export function cardBrandLabel(brand: string): string {
  const known = CARD_BRANDS[brand.trim().toLowerCase().replace(/[\s-]+/g, '_')];
  return known ?? brand.trim();
}

/** "Visa •••• 4242", "Visa", "Card •••• 4242", or undefined when the provider gave neither. */
export function formatCard(brand: string | undefined, last4: string | undefined): string | undefined {
  const name = brand?.trim() ? cardBrandLabel(brand) : undefined;
  const digits = last4?.trim() ? `•••• ${last4.trim()}` : undefined;
  if (name && digits) return `${name} ${digits}`;
  if (digits) return `Card ${digits}`;
  return name;
}
