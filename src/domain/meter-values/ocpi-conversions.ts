/** Readings in OCPI terms: the nature of a signed value, energy in kWh. */
import Big from 'big.js';
import type { ReadingContext } from './ocpp-meter-value.types.ts';

/** OCPI SignedValue.nature for a signed sample's reading context. */
export function signedValueNature(context: ReadingContext): 'Start' | 'End' | 'Intermediate' {
  if (context === 'Transaction.Begin') return 'Start';
  if (context === 'Transaction.End') return 'End';
  return 'Intermediate';
}

/** Wh → kWh, exactly (OCPI `kwh`, `total_energy` and ENERGY volumes are kWh). */
export function whToKwh(wh: Big): Big {
  return wh.times(new Big('0.001'));
}
