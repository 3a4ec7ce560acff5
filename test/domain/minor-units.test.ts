import { describe, expect, test } from 'bun:test';
import Big from 'big.js';
import { dec } from '../../src/domain/money.ts';
import { formatMinorUnits, fromMinorUnits, minorAmount, minorUnitDigits, toMinorUnits } from '../../src/domain/minor-units.ts';

describe('amounts in minor units', () => {
  test('minor-unit digits come from ISO 4217 (EUR 2, JPY 0, KWD 3)', () => {
    expect(minorUnitDigits('EUR')).toBe(2);
    expect(minorUnitDigits('eur')).toBe(2);
    expect(minorUnitDigits('JPY')).toBe(0);
    expect(minorUnitDigits('KWD')).toBe(3);
  });

  test('exact decimals convert exactly', () => {
    expect(toMinorUnits(dec('50'), 'EUR')).toBe(5000);
    expect(toMinorUnits(dec('12.34'), 'EUR')).toBe(1234);
    expect(toMinorUnits('0.01', 'EUR')).toBe(1);
    expect(toMinorUnits(dec('1234'), 'JPY')).toBe(1234);
    expect(toMinorUnits(dec('1.234'), 'KWD')).toBe(1234);
    // The float trap: 0.1 + 0.2 as decimals is exactly 0.3, 30 cents.
    expect(toMinorUnits(dec('0.1').plus(dec('0.2')), 'EUR')).toBe(30);
    // A Big from another copy of big.js is accepted through its exact string form.
    expect(toMinorUnits(new Big('19.99'), 'EUR')).toBe(1999);
  });

  test('rounds half-up to the currency minor unit', () => {
    expect(toMinorUnits(dec('12.345'), 'EUR')).toBe(1235);
    expect(toMinorUnits(dec('12.3449999'), 'EUR')).toBe(1234);
    expect(toMinorUnits(dec('0.005'), 'EUR')).toBe(1);
    expect(toMinorUnits(dec('0.004999'), 'EUR')).toBe(0);
    expect(toMinorUnits(dec('0.5'), 'JPY')).toBe(1);
    expect(toMinorUnits(dec('1.2345'), 'KWD')).toBe(1235);
    // Away from zero for negatives, so a credit mirrors its original.
    expect(toMinorUnits(dec('-12.345'), 'EUR')).toBe(-1235);
  });

  test('back to decimals, and formatting with exactly the currency digits', () => {
    expect(fromMinorUnits(1235, 'EUR').eq(dec('12.35'))).toBe(true);
    expect(fromMinorUnits(5, 'KWD').eq(dec('0.005'))).toBe(true);
    expect(formatMinorUnits(5000, 'EUR')).toBe('50.00');
    expect(formatMinorUnits(7, 'EUR')).toBe('0.07');
    expect(formatMinorUnits(1234, 'JPY')).toBe('1234');
    expect(minorAmount('50', 'eur')).toEqual({ amountMinor: 5000, currency: 'EUR' });
  });

  test('refuses what cannot be an amount', () => {
    expect(() => toMinorUnits('1', 'EURO')).toThrow(RangeError);
    expect(() => toMinorUnits('1e400', 'EUR')).toThrow(RangeError);
    expect(() => fromMinorUnits(1.5, 'EUR')).toThrow(RangeError);
  });
});
