import { describe, expect, test } from 'bun:test';
import { dec } from '../../../src/domain/money.ts';
import {
  cardBrandLabel,
  formatCard,
  formatDuration,
  formatEnergy,
  formatHours,
  formatLocalDate,
  formatLocalDateTime,
  formatMoney,
  formatPercent,
  formatQuantity,
  formatUnitPrice,
} from '../../../src/domain/receipt/receipt-format.ts';

describe('money', () => {
  test("amounts print with the currency's minor units, rounded half-up", () => {
    expect(formatMoney('16.433625', 'EUR')).toBe('€16.43');
    expect(formatMoney('0.005', 'EUR')).toBe('€0.01');
    expect(formatMoney(dec('1234567.125'), 'EUR')).toBe('€1,234,567.13');
    expect(formatMoney('187098.5', 'JPY')).toBe('JP¥187,099');
    expect(formatMoney('1.2345', 'KWD')).toBe('KWD\u00a01.235');
    expect(formatMoney('12.3', 'CHF')).toBe('CHF\u00a012.30');
  });

  test('exact decimals, not floats: 0.1 + 0.2 style inputs stay exact', () => {
    expect(formatMoney(dec('0.1').plus(dec('0.2')), 'EUR')).toBe('€0.30');
    expect(formatMoney('1.005', 'EUR')).toBe('€1.01'); // a float 1.005 would round to 1.00
  });

  test('a credit prints with a minus sign', () => {
    expect(formatMoney('-3.5', 'EUR')).toBe('-€3.50');
  });

  test('unit prices keep up to 4 decimals and at least the minor unit', () => {
    expect(formatUnitPrice('0.39', 'kWh', 'EUR')).toBe('€0.39 / kWh');
    expect(formatUnitPrice('0.389', 'kWh', 'EUR')).toBe('€0.389 / kWh');
    expect(formatUnitPrice('0.38995', 'kWh', 'EUR')).toBe('€0.39 / kWh');
    expect(formatUnitPrice('3', 'h', 'EUR')).toBe('€3.00 / h');
    expect(formatUnitPrice('55.5', 'kWh', 'JPY')).toBe('JP¥55.5 / kWh');
    expect(formatUnitPrice('1', '', 'EUR')).toBe('€1.00');
  });
});

describe('quantities and durations', () => {
  test('energy to the watt-hour', () => {
    expect(formatEnergy('42.1375')).toBe('42.138 kWh');
    expect(formatEnergy('1234.5')).toBe('1,234.500 kWh');
    expect(formatEnergy(dec(0))).toBe('0.000 kWh');
  });

  test('hours as h:mm, rounded half-up to the minute (OCPI hours carry 4 decimals)', () => {
    expect(formatHours('1.5')).toBe('1:30');
    expect(formatHours('0.3333')).toBe('0:20'); // 19.998 min
    expect(formatHours('0.6611')).toBe('0:40');
    expect(formatHours('26.25')).toBe('26:15');
    expect(formatHours('0')).toBe('0:00');
  });

  test('session duration as h:mm from the two instants, rounded to the minute', () => {
    expect(formatDuration('2025-03-14T16:05:00Z', '2025-03-14T18:29:29Z')).toBe('2:24');
    expect(formatDuration('2025-03-14T16:05:00Z', '2025-03-14T18:29:30Z')).toBe('2:25');
    expect(formatDuration('2025-03-14T16:05:00Z', '2025-03-14T16:05:00Z')).toBe('0:00');
    // Across the autumn DST change in Amsterdam: the clock shows 3 h, 4 h of real time passed.
    expect(formatDuration('2025-10-25T23:30:00Z', '2025-10-26T03:30:00Z')).toBe('4:00');
    expect(() => formatDuration('2025-03-14T16:05:00Z', '2025-03-14T16:04:00Z')).toThrow(RangeError);
    expect(() => formatDuration('yesterday', '2025-03-14T16:04:00Z')).toThrow(RangeError);
  });

  test('line quantities by unit', () => {
    expect(formatQuantity('42.1375', 'kWh')).toBe('42.138 kWh');
    expect(formatQuantity('1.75', 'h')).toBe('1:45');
    expect(formatQuantity('1', 'session')).toBe('1 session');
    expect(formatQuantity('2.50', 'min')).toBe('2.5 min');
    expect(formatQuantity('1', '')).toBe('1');
  });

  test('VAT rate', () => {
    expect(formatPercent('20')).toBe('20%');
    expect(formatPercent('21.00')).toBe('21%');
    expect(formatPercent('5.5')).toBe('5.5%');
  });
});

describe('local times', () => {
  test("instants print in the location's time zone with its abbreviation", () => {
    expect(formatLocalDateTime('2025-03-14T16:05:00Z', 'Europe/Sofia')).toBe('Fri 14 Mar 2025, 18:05 EET');
    expect(formatLocalDateTime('2025-07-14T16:05:00Z', 'Europe/Sofia')).toBe('Mon 14 Jul 2025, 19:05 EEST');
    expect(formatLocalDateTime('2025-03-14T16:05:00Z', 'Europe/Amsterdam')).toBe('Fri 14 Mar 2025, 17:05 CET');
    expect(formatLocalDateTime('2025-03-14T23:30:00Z', 'America/New_York')).toBe('Fri 14 Mar 2025, 19:30 GMT-4'); // en-GB CLDR names European zones only
    expect(formatLocalDateTime('2025-03-14T16:05:00Z', 'UTC')).toBe('Fri 14 Mar 2025, 16:05 UTC');
  });

  test('midnight is 00:00, not 24:00', () => {
    expect(formatLocalDateTime('2025-03-14T22:00:00Z', 'Europe/Sofia')).toBe('Sat 15 Mar 2025, 00:00 EET');
  });

  test('the local date can differ from the UTC date', () => {
    expect(formatLocalDate('2025-03-14T23:30:00Z', 'Europe/Athens')).toBe('15 Mar 2025');
    expect(formatLocalDate('2025-03-15T03:30:00Z', 'America/Los_Angeles')).toBe('14 Mar 2025');
  });

  test('an unknown time zone or a malformed instant throws', () => {
    expect(() => formatLocalDateTime('2025-03-14T16:05:00Z', 'Nowhere/Special')).toThrow(RangeError);
    expect(() => formatLocalDateTime('not a time', 'Europe/Sofia')).toThrow(RangeError);
  });
});

describe('card', () => {
  test('provider brand codes read as people know them', () => {
    expect(cardBrandLabel('visa')).toBe('Visa');
    expect(cardBrandLabel('amex')).toBe('American Express');
    expect(cardBrandLabel('American Express')).toBe('American Express');
    expect(cardBrandLabel('MasterCard')).toBe('Mastercard');
    expect(cardBrandLabel('Bancontact')).toBe('Bancontact');
  });

  test('brand and last four when given, either alone, or nothing', () => {
    expect(formatCard('visa', '4242')).toBe('Visa •••• 4242');
    expect(formatCard(undefined, '0005')).toBe('Card •••• 0005');
    expect(formatCard('mastercard', undefined)).toBe('Mastercard');
    expect(formatCard(undefined, undefined)).toBeUndefined();
    expect(formatCard(' ', '')).toBeUndefined();
  });
});
