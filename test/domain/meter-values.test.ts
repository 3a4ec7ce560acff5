/** Normalisation of OCPP 1.6 / 2.0.1 meter values into exact Wh/W/A readings (ocpp-notes §3.4). */
import { describe, expect, test } from 'bun:test';
import Ajv from 'ajv';
import Big from 'big.js';
import { ocpp16Schemas, ocpp201Schemas } from '../support/ocpp-schemas.ts';
import { MeterValueError, type MeterReading } from '../../src/domain/meter-values/meter-reading.ts';
import {
  normalizeOcpp16MeterValue,
  normalizeOcpp16MeterValues,
  normalizeOcpp201MeterValue,
  normalizeOcpp201MeterValues,
  parseDecimal,
} from '../../src/domain/meter-values/normalize.ts';
import { signedValueNature, whToKwh } from '../../src/domain/meter-values/ocpi-conversions.ts';
import type {
  Ocpp16MeterValue,
  Ocpp16SampledValue,
  Ocpp201MeterValue,
  Ocpp201SampledValue,
} from '../../src/domain/meter-values/ocpp-meter-value.types.ts';

const TS = '2024-05-01T10:00:00Z';

const mv16 = (...sampledValue: Ocpp16SampledValue[]): Ocpp16MeterValue => ({ timestamp: TS, sampledValue });
const mv201 = (...sampledValue: Ocpp201SampledValue[]): Ocpp201MeterValue => ({ timestamp: TS, sampledValue });

/** Big fields as decimal strings, so expectations read as exact numbers. */
function plain(reading: MeterReading): Record<string, unknown> {
  return Object.fromEntries(Object.entries(reading).map(([k, v]) => [k, v instanceof Big ? v.toString() : v]));
}

/** The test inputs are real OCPP payloads: check them against the official schemas (as ocpp-rpc would). */
// One Ajv per OCPP version: both schema sets use the same `$id`s (urn:MeterValues.req).
const ajv16 = new Ajv({ strict: false, validateFormats: false });
const ajv201 = new Ajv({ strict: false, validateFormats: false });
const validate16 = ajv16.compile((ocpp16Schemas as any[]).find((s) => s.$id === 'urn:MeterValues.req'));
const validate16Stop = ajv16.compile((ocpp16Schemas as any[]).find((s) => s.$id === 'urn:StopTransaction.req'));
const validate201 = ajv201.compile((ocpp201Schemas as any[]).find((s) => s.$id === 'urn:MeterValues.req'));
const validate201Event = ajv201.compile((ocpp201Schemas as any[]).find((s) => s.$id === 'urn:TransactionEvent.req'));

function norm16(meterValue: Ocpp16MeterValue): MeterReading {
  expect(validate16({ connectorId: 1, transactionId: 1, meterValue: [meterValue] }), JSON.stringify(validate16.errors)).toBe(true);
  return normalizeOcpp16MeterValue(meterValue);
}

function norm201(meterValue: Ocpp201MeterValue): MeterReading {
  expect(validate201({ evseId: 1, meterValue: [meterValue] }), JSON.stringify(validate201.errors)).toBe(true);
  return normalizeOcpp201MeterValue(meterValue);
}

describe('OCPP 1.6 sampled values', () => {
  test('a bare value is an Energy.Active.Import.Register reading in Wh', () => {
    expect(plain(norm16(mv16({ value: '12345' })))).toEqual({
      timestamp: TS,
      timestampMs: Date.parse(TS),
      energyWh: '12345',
      energyKind: 'register',
      context: 'Sample.Periodic',
    });
  });

  test('string values stay exact decimals (no float rounding)', () => {
    const r = norm16(mv16({ value: '0.1', unit: 'kWh' }, { value: '7360.2', measurand: 'Power.Active.Import', unit: 'W' }));
    expect(r.energyWh?.toString()).toBe('100');
    expect(r.powerW?.toString()).toBe('7360.2');
    const sum = norm16(mv16({ value: '0.1', phase: 'L1' }, { value: '0.2', phase: 'L2' }));
    expect(sum.energyWh?.toString()).toBe('0.3'); // 0.1 + 0.2 in floats is 0.30000000000000004
  });

  test('kWh is converted to Wh, kW to W', () => {
    const r = norm16(
      mv16(
        { value: '12.345', unit: 'kWh', measurand: 'Energy.Active.Import.Register', context: 'Sample.Clock' },
        { value: '11.04', unit: 'kW', measurand: 'Power.Active.Import' },
        { value: '16.1', unit: 'A', measurand: 'Current.Import' },
        { value: '55', unit: 'Percent', measurand: 'SoC', location: 'EV' },
      ),
    );
    expect(plain(r)).toMatchObject({ energyWh: '12345', powerW: '11040', currentA: '16.1', socPercent: '55', context: 'Sample.Clock' });
  });

  test('the total (no phase) is preferred over per-phase values', () => {
    const r = norm16(
      mv16(
        { value: '100', phase: 'L1' },
        { value: '200', phase: 'L2' },
        { value: '1000' },
        { value: '300', phase: 'L3' },
      ),
    );
    expect(r.energyWh?.toString()).toBe('1000');
  });

  test('without a total, L1 + L2 + L3 are summed (also for power and current)', () => {
    const r = norm16(
      mv16(
        { value: '1.5', phase: 'L1', unit: 'kWh' },
        { value: '1500', phase: 'L2', unit: 'Wh' },
        { value: '1.5', phase: 'L3', unit: 'kWh' },
        { value: '3680', measurand: 'Power.Active.Import', phase: 'L1-N' },
        { value: '3680', measurand: 'Power.Active.Import', phase: 'L2-N' },
        { value: '3.68', measurand: 'Power.Active.Import', phase: 'L3-N', unit: 'kW' },
        { value: '16', measurand: 'Current.Import', phase: 'L1' },
        { value: '15.5', measurand: 'Current.Import', phase: 'L2' },
        { value: '16.25', measurand: 'Current.Import', phase: 'L3' },
        { value: '0.3', measurand: 'Current.Import', phase: 'N' },
      ),
    );
    expect(plain(r)).toMatchObject({ energyWh: '4500', powerW: '11040', currentA: '47.75' });
  });

  test('a single-phase charger reporting only L1 gives L1', () => {
    expect(norm16(mv16({ value: '16', measurand: 'Current.Import', phase: 'L1' })).currentA?.toString()).toBe('16');
  });

  test('Lx is preferred over Lx-N; N and line-to-line phases are never summed', () => {
    const r = norm16(
      mv16(
        { value: '10', measurand: 'Current.Import', phase: 'L1' },
        { value: '99', measurand: 'Current.Import', phase: 'L1-N' },
        { value: '10', measurand: 'Current.Import', phase: 'L2-N' },
        { value: '99', measurand: 'Current.Import', phase: 'L1-L2' },
      ),
    );
    expect(r.currentA?.toString()).toBe('20');
    expect(norm16(mv16({ value: '400', measurand: 'Current.Import', phase: 'N' })).currentA).toBeUndefined();
  });

  test('Outlet (the default location) is preferred over other locations', () => {
    const r = norm16(mv16({ value: '999', location: 'Inlet' }, { value: '500', location: 'Outlet' }));
    expect(r.energyWh?.toString()).toBe('500');
    expect(norm16(mv16({ value: '999', location: 'Inlet' })).energyWh?.toString()).toBe('999');
  });

  test('Energy.Active.Import.Interval is ignored when a register is present, used when it is all there is', () => {
    const both = norm16(
      mv16({ value: '250', measurand: 'Energy.Active.Import.Interval' }, { value: '12000', measurand: 'Energy.Active.Import.Register' }),
    );
    expect(plain(both)).toMatchObject({ energyWh: '12000', energyKind: 'register' });
    const intervalOnly = norm16(mv16({ value: '0.25', unit: 'kWh', measurand: 'Energy.Active.Import.Interval', context: 'Sample.Clock' }));
    expect(plain(intervalOnly)).toMatchObject({ energyWh: '250', energyKind: 'interval', context: 'Sample.Clock' });
  });

  test('other measurands do not count as energy (export, reactive)', () => {
    const r = norm16(
      mv16(
        { value: '5000', measurand: 'Energy.Active.Export.Register' },
        { value: '42', measurand: 'Energy.Reactive.Import.Register', unit: 'varh' },
        { value: '230', measurand: 'Voltage', unit: 'V' },
      ),
    );
    expect(r.energyWh).toBeUndefined();
    expect(r.energyKind).toBeUndefined();
  });

  test('format SignedData is not a number: kept aside as signed data', () => {
    const blob = 'OCMF|{"FV":"1.0","GI":"ABL SBC-301","RD":[{"TM":"2024-05-01T10:00:00,000+0000 S","RV":12.345,"RU":"kWh"}]}|{"SA":"ECDSA-secp256r1-SHA256","SD":"3045..."}';
    const r = norm16(
      mv16(
        { value: '12345', context: 'Transaction.End' },
        { value: blob, format: 'SignedData', context: 'Transaction.End' },
      ),
    );
    expect(r.energyWh?.toString()).toBe('12345');
    expect(r.signed).toEqual([{ measurand: 'Energy.Active.Import.Register', context: 'Transaction.End', signedMeterData: blob }]);
  });

  test('only signed data for the register: no energy, no error', () => {
    const r = norm16(mv16({ value: 'AAECAwQ=', format: 'SignedData', measurand: 'Energy.Active.Import.Register', phase: 'L1' }));
    expect(r.energyWh).toBeUndefined();
    expect(r.signed).toEqual([{ measurand: 'Energy.Active.Import.Register', phase: 'L1', context: 'Sample.Periodic', signedMeterData: 'AAECAwQ=' }]);
  });

  test('`signed` is absent when there is no signed data', () => {
    expect('signed' in norm16(mv16({ value: '1' }))).toBe(false);
  });

  test('Raw format values are numbers', () => {
    expect(norm16(mv16({ value: '17', format: 'Raw' })).energyWh?.toString()).toBe('17');
  });

  test('garbage value strings are rejected with a clear error, never NaN', () => {
    for (const value of ['', 'abc', '12,5', 'NaN', 'Infinity', '1.2.3', '0x1F', '12 Wh', '--1']) {
      let error: unknown;
      try {
        norm16(mv16({ value: '1', measurand: 'Voltage' }, { value }));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(MeterValueError);
      expect((error as MeterValueError).path).toBe('meterValue/sampledValue/1');
      expect((error as Error).message).toBe(`meterValue/sampledValue/1: value ${JSON.stringify(value)} is not a decimal number`);
    }
  });

  test('lenient but exact number syntax: sign, exponent, surrounding blanks', () => {
    expect(parseDecimal('+12.50').toString()).toBe('12.5');
    expect(parseDecimal('-3').toString()).toBe('-3');
    expect(parseDecimal('1.2345e4').toString()).toBe('12345');
    expect(parseDecimal(' 42 ').toString()).toBe('42');
    expect(parseDecimal('.5').toString()).toBe('0.5');
  });

  test('garbage in a measurand we do not use is ignored', () => {
    const r = norm16(mv16({ value: 'n/a', measurand: 'Temperature', unit: 'Celsius' }, { value: '1000' }));
    expect(r.energyWh?.toString()).toBe('1000');
  });

  test('a unit that does not fit the measurand is rejected', () => {
    expect(() => norm16(mv16({ value: '11', unit: 'kW' }))).toThrow(
      'meterValue/sampledValue/0: Energy.Active.Import.Register: unit "kW" is not allowed (expected Wh or kWh)',
    );
    expect(() => norm16(mv16({ value: '11', measurand: 'Power.Active.Import', unit: 'kWh' }))).toThrow(/expected W or kW/);
    expect(() => norm16(mv16({ value: '11', measurand: 'Current.Import', unit: 'W' }))).toThrow(/expected A\)/);
  });

  test('StopTransaction.transactionData has the same shape', () => {
    const stop = {
      transactionId: 7,
      meterStop: 20000,
      timestamp: TS,
      transactionData: [
        { timestamp: '2024-05-01T09:00:00Z', sampledValue: [{ value: '10000', context: 'Transaction.Begin' as const }] },
        { timestamp: TS, sampledValue: [{ value: '20.000', unit: 'kWh' as const, context: 'Transaction.End' as const }] },
      ],
    };
    expect(validate16Stop(stop), JSON.stringify(validate16Stop.errors)).toBe(true);
    const readings = normalizeOcpp16MeterValues(stop.transactionData, 'transactionData');
    expect(readings.map(plain)).toEqual([
      { timestamp: '2024-05-01T09:00:00Z', timestampMs: Date.parse('2024-05-01T09:00:00Z'), energyWh: '10000', energyKind: 'register', context: 'Transaction.Begin' },
      { timestamp: TS, timestampMs: Date.parse(TS), energyWh: '20000', energyKind: 'register', context: 'Transaction.End' },
    ]);
    expect(readings[1]!.energyWh!.minus(readings[0]!.energyWh!).toString()).toBe('10000');
  });

  test('errors in a list name the meter value index', () => {
    expect(() => normalizeOcpp16MeterValues([mv16({ value: '1' }), mv16({ value: 'x' })])).toThrow('meterValue/1/sampledValue/0: value "x"');
  });
});

describe('OCPP 2.0.1 sampled values', () => {
  test('a bare number is a Wh register reading', () => {
    expect(plain(norm201(mv201({ value: 12345 })))).toMatchObject({ energyWh: '12345', energyKind: 'register' });
  });

  test('multiplier: 12.345 with multiplier 3 = 12345 Wh', () => {
    expect(norm201(mv201({ value: 12.345, unitOfMeasure: { unit: 'Wh', multiplier: 3 } })).energyWh?.toString()).toBe('12345');
    expect(norm201(mv201({ value: 12.345, unitOfMeasure: { multiplier: 3 } })).energyWh?.toString()).toBe('12345');
  });

  test('negative multipliers and kWh combine exactly', () => {
    expect(norm201(mv201({ value: 12345, unitOfMeasure: { unit: 'Wh', multiplier: -3 } })).energyWh?.toString()).toBe('12.345');
    expect(norm201(mv201({ value: 12.345, unitOfMeasure: { unit: 'kWh' } })).energyWh?.toString()).toBe('12345');
    expect(norm201(mv201({ value: 1.2345, unitOfMeasure: { unit: 'kWh', multiplier: 1 } })).energyWh?.toString()).toBe('12345');
    expect(norm201(mv201({ value: 0.1, unitOfMeasure: { unit: 'kWh' } })).energyWh?.toString()).toBe('100');
  });

  test('units are matched case-insensitively (free text in 2.0.1)', () => {
    expect(norm201(mv201({ value: 7.4, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'KW' } })).powerW?.toString()).toBe('7400');
  });

  test('phases, power, current and SoC', () => {
    const r = norm201(
      mv201(
        { value: 4, phase: 'L1', unitOfMeasure: { unit: 'kWh' } },
        { value: 4, phase: 'L2', unitOfMeasure: { unit: 'kWh' } },
        { value: 4.5, phase: 'L3', unitOfMeasure: { unit: 'kWh' } },
        { value: 22, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'kW' } },
        { value: 3.2, measurand: 'Power.Active.Import', phase: 'L1', unitOfMeasure: { unit: 'kW' } },
        { value: 32, measurand: 'Current.Import', phase: 'L1' },
        { value: 32, measurand: 'Current.Import', phase: 'L2' },
        { value: 31.5, measurand: 'Current.Import', phase: 'L3' },
        { value: 80, measurand: 'SoC', location: 'EV', unitOfMeasure: { unit: 'Percent' } },
      ),
    );
    expect(plain(r)).toMatchObject({ energyWh: '12500', powerW: '22000', currentA: '95.5', socPercent: '80' });
  });

  test('interval-only fallback', () => {
    const r = norm201(mv201({ value: 0.5, measurand: 'Energy.Active.Import.Interval', unitOfMeasure: { unit: 'kWh' }, context: 'Sample.Clock' }));
    expect(plain(r)).toMatchObject({ energyWh: '500', energyKind: 'interval', context: 'Sample.Clock' });
    const both = norm201(mv201({ value: 500, measurand: 'Energy.Active.Import.Interval' }, { value: 9000 }));
    expect(plain(both)).toMatchObject({ energyWh: '9000', energyKind: 'register' });
  });

  test('signedMeterValue is kept aside and the numeric value is still used', () => {
    const signedMeterValue = { signedMeterData: 'T0NNRnx7Li4ufQ==', signingMethod: 'ECDSA-secp256r1-SHA256', encodingMethod: 'OCMF', publicKey: 'MFkwEw==' };
    const event = {
      eventType: 'Ended',
      timestamp: TS,
      triggerReason: 'EVCommunicationLost',
      seqNo: 4,
      transactionInfo: { transactionId: 'tx-1', chargingState: 'Idle' },
      meterValue: [mv201({ value: 15.342, unitOfMeasure: { unit: 'kWh' }, context: 'Transaction.End', signedMeterValue })],
    };
    expect(validate201Event(event), JSON.stringify(validate201Event.errors)).toBe(true);
    const [r] = normalizeOcpp201MeterValues(event.meterValue);
    expect(r!.energyWh?.toString()).toBe('15342');
    expect(r!.context).toBe('Transaction.End');
    expect(r!.signed).toEqual([{ measurand: 'Energy.Active.Import.Register', context: 'Transaction.End', ...signedMeterValue }]);
    expect(signedValueNature(r!.signed![0]!.context)).toBe('End');
  });

  test('non-finite numbers and fractional multipliers are rejected', () => {
    expect(() => normalizeOcpp201MeterValue(mv201({ value: Number.NaN }))).toThrow('meterValue/sampledValue/0: value NaN is not a finite number');
    expect(() => normalizeOcpp201MeterValue(mv201({ value: Number.POSITIVE_INFINITY }))).toThrow(MeterValueError);
    expect(() => normalizeOcpp201MeterValue(mv201({ value: 1, unitOfMeasure: { multiplier: 1.5 } }))).toThrow(/multiplier 1.5 is not an integer/);
    expect(() => normalizeOcpp201MeterValue(mv201({ value: '12' as unknown as number }))).not.toThrow();
  });

  test('unknown unit for the measurand is rejected', () => {
    expect(() => norm201(mv201({ value: 1, unitOfMeasure: { unit: 'MWh' } }))).toThrow(/unit "MWh" is not allowed/);
  });
});

describe('timestamps and helpers', () => {
  test('timestamp is kept as received; timestampMs is UTC, also without a zone designator', () => {
    const r = normalizeOcpp16MeterValue({ timestamp: '2024-05-01T10:00:00', sampledValue: [{ value: '1' }] });
    expect(r.timestamp).toBe('2024-05-01T10:00:00');
    expect(r.timestampMs).toBe(Date.UTC(2024, 4, 1, 10, 0, 0));
    expect(normalizeOcpp16MeterValue({ timestamp: '2024-05-01T12:00:00+02:00', sampledValue: [{ value: '1' }] }).timestampMs).toBe(
      Date.UTC(2024, 4, 1, 10, 0, 0),
    );
    expect(normalizeOcpp201MeterValue({ timestamp: '2024-05-01T10:00:00.250Z', sampledValue: [{ value: 1 }] }).timestampMs).toBe(
      Date.UTC(2024, 4, 1, 10, 0, 0, 250),
    );
  });

  test('an unusable timestamp is rejected', () => {
    expect(() => normalizeOcpp16MeterValue({ timestamp: 'yesterday', sampledValue: [{ value: '1' }] })).toThrow(
      'meterValue/timestamp: timestamp "yesterday" is not an RFC 3339 date-time',
    );
    expect(() => normalizeOcpp16MeterValue({ timestamp: '2024-13-45T99:00:00Z', sampledValue: [{ value: '1' }] })).toThrow(MeterValueError);
  });

  test('context falls back to the first sampled value, then Sample.Periodic', () => {
    expect(normalizeOcpp16MeterValue(mv16({ value: '50', measurand: 'SoC', context: 'Trigger' })).context).toBe('Trigger');
    expect(normalizeOcpp16MeterValue(mv16({ value: '50', measurand: 'SoC' })).context).toBe('Sample.Periodic');
    expect(normalizeOcpp16MeterValue(mv16()).context).toBe('Sample.Periodic');
  });

  test('signedValueNature and whToKwh', () => {
    expect(signedValueNature('Transaction.Begin')).toBe('Start');
    expect(signedValueNature('Transaction.End')).toBe('End');
    expect(signedValueNature('Sample.Periodic')).toBe('Intermediate');
    expect(whToKwh(new Big('41120')).toString()).toBe('41.12');
    expect(whToKwh(new Big('1')).toString()).toBe('0.001');
    expect(whToKwh(new Big('123456789.123456789')).toString()).toBe('123456.789123456789');
  });
});
