/**
 * Normalisation of OCPP meter values into exact decimal readings (big.js): energy in Wh, power in W, current
 * in A, state of charge in percent. Rules from shared/spec/ocpp-notes.md §3.4:
 *
 * - Energy is the register `Energy.Active.Import.Register` (the default measurand when none is given).
 *   `Energy.Active.Import.Interval` is used only when a meter value has no register reading at all, and is then
 *   flagged `energyKind: 'interval'` (it is the energy of the interval, not a register).
 * - Per quantity, take the sampled value without `phase` (the overall value); if there is none, sum the phases
 *   L1 + L2 + L3 (whichever are present; `Lx-N` counts as `Lx` when `Lx` itself is absent; N and line-to-line
 *   phases are never summed). Samples at location `Outlet` (the default) are preferred over other locations.
 * - 1.6 values are decimal strings; `unit` may be Wh/kWh (energy), W/kW (power), A (current), Percent (SoC).
 *   2.0.1 values are JSON numbers with `unitOfMeasure { unit, multiplier }`, value × 10^multiplier.
 *   An absent unit means the measurand's base unit (Wh, W, A, Percent): the 1.6 text's "default Wh" only
 *   makes sense for energy measurands.
 * - Signed meter data is kept aside: a 1.6 sampled value with `format: SignedData` carries a signed blob, not a
 *   number; a 2.0.1 `signedMeterValue` accompanies a normal numeric value (which is still used).
 *
 * Values of measurands we do not use (temperature, voltage, reactive energy…) are not parsed. A value we do use
 * that is not a decimal number, or has a unit that does not fit its measurand, raises MeterValueError — never
 * NaN. Input shapes: ./ocpp-meter-value.types.ts; output: ./meter-reading.ts.
 */
import Big from 'big.js';
import { MeterValueError, type MeterReading, type SignedMeterSample } from './meter-reading.ts';
import type { MeasurementLocation, Ocpp16MeterValue, Ocpp201MeterValue, Phase, ReadingContext } from './ocpp-meter-value.types.ts';

const ENERGY_REGISTER = 'Energy.Active.Import.Register';
const ENERGY_INTERVAL = 'Energy.Active.Import.Interval';
const POWER = 'Power.Active.Import';
const CURRENT = 'Current.Import';
const SOC = 'SoC';

type Quantity = 'energy' | 'power' | 'current' | 'soc';

/** Conversion factor to the base unit, per quantity; keys are lower-case (2.0.1 units are free text). */
const UNITS: Record<Quantity, { base: string; factors: Record<string, number> }> = {
  energy: { base: 'Wh', factors: { wh: 1, kwh: 1000 } },
  power: { base: 'W', factors: { w: 1, kw: 1000 } },
  current: { base: 'A', factors: { a: 1 } },
  soc: { base: 'Percent', factors: { percent: 1 } },
};

/**
 * A sampled value reduced to what selection needs; `value` is parsed only if the sample is used. Its path in the
 * message (`meterValue/0/sampledValue/2`) is put together only for an error (samplePath).
 */
interface Sample {
  parentPath: string;
  index: number;
  measurand: string;
  phase?: Phase;
  location?: MeasurementLocation;
  context: ReadingContext;
  value: string | number;
  unit?: string;
  multiplier: number;
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A strict decimal string (`"12.5"`, `"-3"`, `"1e3"`) as a Big; undefined for anything else, never NaN. */
function decimal(value: string): Big | undefined {
  const trimmed = value.trim();
  return DECIMAL.test(trimmed) ? new Big(trimmed.startsWith('+') ? trimmed.slice(1) : trimmed) : undefined;
}

const notADecimal = (value: string, path: string) => new MeterValueError(path, `value ${JSON.stringify(value)} is not a decimal number`);

/** Strict decimal string → Big; anything else throws. */
export function parseDecimal(value: string, path = 'value'): Big {
  const parsed = decimal(value);
  if (!parsed) throw notADecimal(value, path);
  return parsed;
}

const samplePath = (sample: Sample) => `${sample.parentPath}/sampledValue/${sample.index}`;

function toBig(sample: Sample): Big {
  const { value } = sample;
  if (typeof value === 'string') {
    const parsed = decimal(value);
    if (!parsed) throw notADecimal(value, samplePath(sample));
    return parsed;
  }
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new MeterValueError(samplePath(sample), `value ${String(value)} is not a finite number`);
  // String(n) is the shortest round-trip decimal, so 12.345 becomes exactly 12.345.
  return new Big(String(value));
}

function quantityOf(sample: Sample, quantity: Quantity): Big {
  const { base, factors } = UNITS[quantity];
  const unit = sample.unit ?? base;
  const factor = factors[unit.toLowerCase()];
  if (factor === undefined)
    throw new MeterValueError(
      samplePath(sample),
      `${sample.measurand}: unit ${JSON.stringify(unit)} is not allowed (expected ${Object.keys(factors).length > 1 ? `${base} or k${base}` : base})`,
    );
  if (!Number.isInteger(sample.multiplier))
    throw new MeterValueError(samplePath(sample), `${sample.measurand}: multiplier ${sample.multiplier} is not an integer`);
  let result = toBig(sample).times(factor);
  if (sample.multiplier !== 0) result = result.times(new Big(`1e${sample.multiplier}`));
  return result;
}

const PHASES = [
  ['L1', 'L1-N'],
  ['L2', 'L2-N'],
  ['L3', 'L3-N'],
] as const;

/** The overall value of one measurand (see module comment), with the sample that gave the context. */
function select(samples: readonly Sample[], measurand: string, quantity: Quantity): { value: Big; first: Sample } | undefined {
  const candidates = candidatesOf(samples, measurand);
  if (!candidates) return undefined;

  const total = candidates.find((s) => s.phase === undefined);
  if (total) return { value: quantityOf(total, quantity), first: total };

  const perPhase = PHASES.map(([own, toNeutral]) => candidates.find((s) => s.phase === own) ?? candidates.find((s) => s.phase === toNeutral)).filter(
    (s): s is Sample => s !== undefined,
  );
  const [first] = perPhase;
  if (!first) return undefined;
  return { value: perPhase.reduce((sum, s) => sum.plus(quantityOf(s, quantity)), new Big(0)), first };
}

/** A measurand's samples at the outlet if there are any, else all of them; undefined when it has none (one pass, called five times per meter value). */
function candidatesOf(samples: readonly Sample[], measurand: string): Sample[] | undefined {
  let atOutlet: Sample[] | undefined;
  let elsewhere: Sample[] | undefined;
  for (const s of samples) {
    if (s.measurand !== measurand) continue;
    if (s.location === undefined || s.location === 'Outlet') (atOutlet ??= []).push(s);
    else (elsewhere ??= []).push(s);
  }
  return atOutlet ?? elsewhere;
}

/** `path`: the meter value's (its timestamp's path is put together only for an error). */
function parseTimestamp(timestamp: string, path: string): number {
  const withZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(timestamp) ? timestamp : `${timestamp}Z`;
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(timestamp) ? Date.parse(withZone) : Number.NaN;
  if (Number.isNaN(ms)) throw new MeterValueError(`${path}/timestamp`, `timestamp ${JSON.stringify(timestamp)} is not an RFC 3339 date-time`);
  return ms;
}

function reading(timestamp: string, path: string, numeric: Sample[], signed: SignedMeterSample[], firstContext: ReadingContext): MeterReading {
  const timestampMs = parseTimestamp(timestamp, path);
  const register = select(numeric, ENERGY_REGISTER, 'energy');
  const energy = register ?? select(numeric, ENERGY_INTERVAL, 'energy');
  const power = select(numeric, POWER, 'power');
  const current = select(numeric, CURRENT, 'current');
  const soc = select(numeric, SOC, 'soc');

  const result: MeterReading = { timestamp, timestampMs, context: energy?.first.context ?? firstContext };
  if (energy) {
    result.energyWh = energy.value;
    result.energyKind = register ? 'register' : 'interval';
  }
  if (power) result.powerW = power.value;
  if (current) result.currentA = current.value;
  if (soc) result.socPercent = soc.value;
  if (signed.length > 0) result.signed = signed;
  return result;
}

/** What one sampled value of either OCPP version carries besides the fields they share. */
interface SampledValueContent {
  signed?: Pick<SignedMeterSample, 'signedMeterData' | 'signingMethod' | 'encodingMethod' | 'publicKey'>;
  numeric?: Pick<Sample, 'value' | 'unit' | 'multiplier'>;
}

interface SharedSampledValue {
  measurand?: string;
  context?: ReadingContext;
  phase?: Phase;
  location?: MeasurementLocation;
}

/** The walk both versions share: defaults of measurand and context, sample paths, signed and numeric apart. */
function normalizeMeterValue<SV extends SharedSampledValue>(
  meterValue: { timestamp: string; sampledValue: readonly SV[] },
  path: string,
  contentOf: (sampledValue: SV) => SampledValueContent,
): MeterReading {
  const numeric: Sample[] = [];
  const signed: SignedMeterSample[] = [];
  meterValue.sampledValue.forEach((sv, i) => {
    const measurand = sv.measurand ?? ENERGY_REGISTER;
    const context = sv.context ?? 'Sample.Periodic';
    const content = contentOf(sv);
    if (content.signed) signed.push({ measurand, context, ...content.signed, ...(sv.phase ? { phase: sv.phase } : {}) });
    if (content.numeric)
      numeric.push({ parentPath: path, index: i, measurand, phase: sv.phase, location: sv.location, context, ...content.numeric });
  });
  return reading(meterValue.timestamp, path, numeric, signed, meterValue.sampledValue[0]?.context ?? 'Sample.Periodic');
}

/** One OCPP 1.6 MeterValue (MeterValues.req `meterValue[i]`, StopTransaction.req `transactionData[i]`). */
export function normalizeOcpp16MeterValue(meterValue: Ocpp16MeterValue, path = 'meterValue'): MeterReading {
  return normalizeMeterValue(meterValue, path, (sv) =>
    sv.format === 'SignedData' ? { signed: { signedMeterData: sv.value } } : { numeric: { value: sv.value, unit: sv.unit, multiplier: 0 } },
  );
}

/** One OCPP 2.0.1 MeterValueType (MeterValuesRequest or TransactionEventRequest `meterValue[i]`): a signed value carries its reading too. */
export function normalizeOcpp201MeterValue(meterValue: Ocpp201MeterValue, path = 'meterValue'): MeterReading {
  return normalizeMeterValue(meterValue, path, (sv) => {
    // Picked field by field: 2.0.1 lets customData ride on every object, and it is no part of the signed value.
    const { signedMeterData, signingMethod, encodingMethod, publicKey } = sv.signedMeterValue ?? {};
    return {
      ...(signedMeterData !== undefined ? { signed: { signedMeterData, signingMethod, encodingMethod, publicKey } } : {}),
      numeric: { value: sv.value, unit: sv.unitOfMeasure?.unit, multiplier: sv.unitOfMeasure?.multiplier ?? 0 },
    };
  });
}

/** All meter values of a 1.6 message, in message order; errors name the index (`meterValue/2/...`). */
export function normalizeOcpp16MeterValues(meterValues: readonly Ocpp16MeterValue[], field = 'meterValue'): MeterReading[] {
  return meterValues.map((mv, i) => normalizeOcpp16MeterValue(mv, `${field}/${i}`));
}

/** All meter values of a 2.0.1 message, in message order. */
export function normalizeOcpp201MeterValues(meterValues: readonly Ocpp201MeterValue[], field = 'meterValue'): MeterReading[] {
  return meterValues.map((mv, i) => normalizeOcpp201MeterValue(mv, `${field}/${i}`));
}
