/**
 * Meter values as OCPP sends them (OCPP 1.6 MeterValues.req / StopTransaction.req; OCPP 2.0.1 MeterValueType /
 * SampledValueType). Input types mirror the official OCPP JSON schemas (ocpp-rpc lib/schemas), field names
 * exactly; the 1.6 shape serves MeterValues.req `meterValue` and StopTransaction.req `transactionData`, the 2.0.1
 * shape serves MeterValuesRequest and TransactionEventRequest `meterValue`.
 */

export type ReadingContext =
  | 'Interruption.Begin'
  | 'Interruption.End'
  | 'Other'
  | 'Sample.Clock'
  | 'Sample.Periodic'
  | 'Transaction.Begin'
  | 'Transaction.End'
  | 'Trigger';

export type Phase = 'L1' | 'L2' | 'L3' | 'N' | 'L1-N' | 'L2-N' | 'L3-N' | 'L1-L2' | 'L2-L3' | 'L3-L1';

export type MeasurementLocation = 'Body' | 'Cable' | 'EV' | 'Inlet' | 'Outlet';

export type Ocpp16Measurand =
  | 'Energy.Active.Export.Register'
  | 'Energy.Active.Import.Register'
  | 'Energy.Reactive.Export.Register'
  | 'Energy.Reactive.Import.Register'
  | 'Energy.Active.Export.Interval'
  | 'Energy.Active.Import.Interval'
  | 'Energy.Reactive.Export.Interval'
  | 'Energy.Reactive.Import.Interval'
  | 'Power.Active.Export'
  | 'Power.Active.Import'
  | 'Power.Offered'
  | 'Power.Reactive.Export'
  | 'Power.Reactive.Import'
  | 'Power.Factor'
  | 'Current.Import'
  | 'Current.Export'
  | 'Current.Offered'
  | 'Voltage'
  | 'Frequency'
  | 'Temperature'
  | 'SoC'
  | 'RPM';

export type Ocpp16UnitOfMeasure =
  | 'Wh'
  | 'kWh'
  | 'varh'
  | 'kvarh'
  | 'W'
  | 'kW'
  | 'VA'
  | 'kVA'
  | 'var'
  | 'kvar'
  | 'A'
  | 'V'
  | 'K'
  | 'Celcius'
  | 'Celsius'
  | 'Fahrenheit'
  | 'Percent';

export interface Ocpp16SampledValue {
  /** Decimal number as a string, or the signed blob when `format` is `SignedData`. */
  value: string;
  /** Default `Sample.Periodic`. */
  context?: ReadingContext;
  /** Default `Raw`. */
  format?: 'Raw' | 'SignedData';
  /** Default `Energy.Active.Import.Register`. */
  measurand?: Ocpp16Measurand;
  phase?: Phase;
  /** Default `Outlet`. */
  location?: MeasurementLocation;
  /** Default `Wh` (for energy measurands). */
  unit?: Ocpp16UnitOfMeasure;
}

export interface Ocpp16MeterValue {
  timestamp: string;
  sampledValue: Ocpp16SampledValue[];
}

export type Ocpp201Measurand =
  | 'Current.Export'
  | 'Current.Import'
  | 'Current.Offered'
  | 'Energy.Active.Export.Register'
  | 'Energy.Active.Import.Register'
  | 'Energy.Reactive.Export.Register'
  | 'Energy.Reactive.Import.Register'
  | 'Energy.Active.Export.Interval'
  | 'Energy.Active.Import.Interval'
  | 'Energy.Active.Net'
  | 'Energy.Reactive.Export.Interval'
  | 'Energy.Reactive.Import.Interval'
  | 'Energy.Reactive.Net'
  | 'Energy.Apparent.Net'
  | 'Energy.Apparent.Import'
  | 'Energy.Apparent.Export'
  | 'Frequency'
  | 'Power.Active.Export'
  | 'Power.Active.Import'
  | 'Power.Factor'
  | 'Power.Offered'
  | 'Power.Reactive.Export'
  | 'Power.Reactive.Import'
  | 'SoC'
  | 'Voltage';

export interface Ocpp201UnitOfMeasure {
  /** Default `Wh` (for energy measurands); free text up to 20 characters from the standardized list. */
  unit?: string;
  /** Power of ten; default 0. */
  multiplier?: number;
}

export interface Ocpp201SignedMeterValue {
  /** Base64; may contain more than the meter value (timestamps, customer reference…). */
  signedMeterData: string;
  signingMethod: string;
  encodingMethod: string;
  /** Base64; may be empty depending on `PublicKeyWithSignedMeterValue`. */
  publicKey: string;
}

export interface Ocpp201SampledValue {
  value: number;
  /** Default `Sample.Periodic`. */
  context?: ReadingContext;
  /** Default `Energy.Active.Import.Register`. */
  measurand?: Ocpp201Measurand;
  phase?: Phase;
  /** Default `Outlet`. */
  location?: MeasurementLocation;
  signedMeterValue?: Ocpp201SignedMeterValue;
  unitOfMeasure?: Ocpp201UnitOfMeasure;
}

export interface Ocpp201MeterValue {
  timestamp: string;
  sampledValue: Ocpp201SampledValue[];
}
