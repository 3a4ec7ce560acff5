import type { Reading } from '../../../actors/session/session.events.ts';
import { ocpiDateTime } from '../../lib/clock.ts';
import { MeterValueError, whToKwh, type MeterReading } from '../../domain/meter-values.ts';
import { CallError } from '../rpc/call-errors.ts';

/** OCPP timestamps (any RFC 3339 form) as OCPI DateTimes. */
export const stationTime = (timestamp: string) => ocpiDateTime(new Date(timestamp));

/** Normalised OCPP meter values → the session's readings (kWh, kW, A as exact decimal strings). */
export function toReadings(normalise: () => MeterReading[]): Reading[] {
  let readings: MeterReading[];
  try {
    readings = normalise();
  } catch (error) {
    // Schema-valid but unusable (e.g. a value "abc"): a clear CALLERROR naming the value, not a silent drop.
    if (error instanceof MeterValueError) throw new CallError('PropertyConstraintViolation', error.message);
    throw error;
  }
  return readings.map((r) => ({
    at: ocpiDateTime(new Date(r.timestampMs)),
    ...(r.energyWh && r.energyKind === 'register' ? { energyKwh: whToKwh(r.energyWh).toString() } : {}),
    ...(r.powerW ? { powerKw: r.powerW.div(1000).toString() } : {}),
    ...(r.currentA ? { currentA: r.currentA.toString() } : {}),
  }));
}

/** The last energy register among readings, if any (2.0.1 Started/Ended carry the begin/end registers). */
export const lastRegister = (readings: Reading[]) => readings.filter((r) => r.energyKwh !== undefined).at(-1)?.energyKwh;
