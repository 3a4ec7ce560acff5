import { describe, expect, test } from 'bun:test';
import Big from 'big.js';
import {
  addPercentage,
  ceilToMultiple,
  clamp,
  currencyMinorUnits,
  dec,
  divide,
  roundHalfUp,
  roundToMinorUnit,
  sum,
  toOcpiNumber,
} from '../../src/domain/money.ts';

describe('exact decimals', () => {
  test('0.1 + 0.2 is 0.3, where floats give 0.30000000000000004', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(dec(0.1).plus(dec(0.2)).eq(dec('0.3'))).toBe(true);
  });

  test('a thousand 0.1 kWh meter steps add up to exactly 100 kWh', () => {
    let float = 0;
    for (let i = 0; i < 1000; i++) float += 0.1;
    expect(float).not.toBe(100);
    expect(sum(Array.from({ length: 1000 }, () => dec(0.1))).toFixed()).toBe('100');
  });

  test('JSON numbers enter as the literal that was written, not the double behind it', () => {
    expect(dec(0.25).toFixed()).toBe('0.25');
    expect(1.1 * 3).not.toBe(3.3);
    expect(dec(1.1).times(dec(3)).toFixed()).toBe('3.3');
  });

  test('Bigs from elsewhere are accepted; bare numbers inside operations are refused (strict mode)', () => {
    expect(dec(new Big('4.3')).plus(dec('1.1')).toFixed()).toBe('5.4');
    expect(() => dec(1).plus(0.1)).toThrow();
    expect(() => dec(Number.NaN)).toThrow();
  });

  test('divide rounds only what has no finite expansion, at 20 decimals', () => {
    expect(divide(dec(1_260_000), dec(3_600_000)).toFixed()).toBe('0.35'); // 21 min in hours
    expect(divide(dec(60_000), dec(3_600_000)).toFixed()).toBe('0.01666666666666666667'); // 1 min = 1/60 h
  });
});

describe('step_size rounding (6.4)', () => {
  test('rounds up to the next multiple; 115.2 Wh with steps 1, 25, 500', () => {
    expect(ceilToMultiple(dec('115.2'), dec(1)).toFixed()).toBe('116');
    expect(ceilToMultiple(dec('115.2'), dec(25)).toFixed()).toBe('125');
    expect(ceilToMultiple(dec('115.2'), dec(500)).toFixed()).toBe('500');
  });

  test('an exact multiple stays, a step of 0 means no blocks', () => {
    expect(ceilToMultiple(dec(600), dec(300)).toFixed()).toBe('600');
    expect(ceilToMultiple(dec('0.1152'), dec(0)).toFixed()).toBe('0.1152');
  });

  test('decimal steps (Wh steps in kWh) stay exact', () => {
    expect(ceilToMultiple(dec('20.45'), dec('0.1')).toFixed()).toBe('20.5'); // 100 Wh step
    expect(ceilToMultiple(dec('5.4'), dec('0.5')).toFixed()).toBe('5.5');
  });
});

describe('prices', () => {
  test('VAT as a percentage: 4.75 + 5.2 % = 4.997, 0.50 + 20 % = 0.60', () => {
    expect(addPercentage(dec('4.75'), dec('5.2')).toFixed()).toBe('4.997');
    expect(addPercentage(dec('0.5'), dec(20)).toFixed()).toBe('0.6');
  });

  test('clamp binds only given bounds', () => {
    expect(clamp(dec('0.375'), dec('0.5')).toFixed()).toBe('0.5');
    expect(clamp(dec(13), undefined, dec(10)).toFixed()).toBe('10');
    expect(clamp(dec(8), dec('0.5'), dec(10)).toFixed()).toBe('8');
  });
});

describe('rounding (6.7, 1.10)', () => {
  test('half-up on decimals, where float toFixed rounds 1.005 down', () => {
    expect((1.005).toFixed(2)).toBe('1.00');
    expect(roundHalfUp(dec('1.005'), 2).toFixed()).toBe('1.01');
    expect(roundHalfUp(dec('-1.005'), 2).toFixed()).toBe('-1.01'); // a credit CDR mirrors the original
  });

  test('currency minor units', () => {
    expect(currencyMinorUnits('EUR')).toBe(2);
    expect(currencyMinorUnits('JPY')).toBe(0);
    expect(currencyMinorUnits('KWD')).toBe(3);
    expect(roundToMinorUnit(dec('4.997'), 'EUR').toFixed(2)).toBe('5.00');
    expect(roundToMinorUnit(dec('12.5'), 'JPY').toFixed()).toBe('13');
    expect(() => currencyMinorUnits('EURO')).toThrow(RangeError);
  });

  test('OCPI numbers carry 4 decimals', () => {
    expect(toOcpiNumber(dec('1.97305555555555555556'))).toBe(1.9731); // 7103 s in hours
    expect(toOcpiNumber(dec('0.03125'))).toBe(0.0313);
  });
});
