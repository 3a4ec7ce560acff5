/** What normalisation (./normalize.ts) gives: exact decimal readings, signed data kept aside, and its error. */
import type Big from 'big.js';
import type { Phase, ReadingContext } from './ocpp-meter-value.types.ts';

/** Signed meter data kept aside for the CDR's `signed_data` (OCMF etc.). */
export interface SignedMeterSample {
  measurand: string;
  phase?: Phase;
  context: ReadingContext;
  /** 1.6: the `SignedData` sampled value's `value`; 2.0.1: `signedMeterValue.signedMeterData`. */
  signedMeterData: string;
  /** 2.0.1 only. */
  signingMethod?: string;
  /** 2.0.1 only, e.g. `OCMF`. */
  encodingMethod?: string;
  /** 2.0.1 only. */
  publicKey?: string;
}

export interface MeterReading {
  /** As received. */
  timestamp: string;
  /** Epoch ms of `timestamp` (a timestamp without zone designator is taken as UTC). */
  timestampMs: number;
  /** Active import energy in Wh: a register reading, or with `energyKind: 'interval'` the interval's energy. */
  energyWh?: Big;
  energyKind?: 'register' | 'interval';
  /** Active import power in W (total over phases). */
  powerW?: Big;
  /** Import current in A (total over phases — OCPI MAX/MIN_CURRENT are sums over phases). */
  currentA?: Big;
  socPercent?: Big;
  /** Context of the energy sample if any, else of the first sampled value; default `Sample.Periodic`. */
  context: ReadingContext;
  /** Present only when the meter value carried signed data. */
  signed?: SignedMeterSample[];
}

/** A value we need cannot be used. `path` points into the input, e.g. `meterValue/1/sampledValue/0`. */
export class MeterValueError extends Error {
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${path}: ${detail}`);
    this.name = 'MeterValueError';
  }
}
