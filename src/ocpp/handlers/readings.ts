import type { Reading } from '../../../actors/session/session.events.ts';
import { ocpiDateTime } from '../../lib/clock.ts';
import { MeterValueError, type MeterReading } from '../../domain/meter-values/meter-reading.ts';
import { whToKwh } from '../../domain/meter-values/ocpi-conversions.ts';
import { CallError } from '../rpc/call-errors.ts';

/** An OCPP timestamp (any RFC 3339 form) as the OCPI DateTime of a session's start or end: whole seconds, as shown. */
export const stationTime = (timestamp: string) => ocpiDateTime(new Date(timestamp));

/**
 * An OCPP timestamp kept to the millisecond, for what happens inside a session (readings, charging state): two
 * events of the same second stay apart and in order, and no arithmetic waits on how a clock rounds.
 */
export const stationInstant = (timestamp: string) => new Date(timestamp).toISOString();

/**
 * Runs a normalisation: a value that is schema-valid but unusable (e.g. "abc") becomes a clear CALLERROR naming it,
 * not a silent drop — whether or not a session is there to take the readings.
 */
export function measured(normalise: () => MeterReading[]): MeterReading[] {
  try {
    return normalise();
  } catch (error) {
    if (error instanceof MeterValueError) throw new CallError('PropertyConstraintViolation', error.message);
    throw error;
  }
}

/** Normalised OCPP meter values → a session's readings (kWh, kW, A as exact decimal strings). */
export function toReadings(readings: MeterReading[]): Reading[] {
  return readings.map((r) => ({
    at: new Date(r.timestampMs).toISOString(),
    ...(r.energyWh && r.energyKind === 'register' ? { energyKwh: whToKwh(r.energyWh).toString() } : {}),
    ...(r.powerW ? { powerKw: r.powerW.div(1000).toString() } : {}),
    ...(r.currentA ? { currentA: r.currentA.toString() } : {}),
  }));
}

/**
 * The latest energy register among readings, if any (2.0.1 Ended carries the end register): latest by time, the
 * later-sent one of equal times, whatever order the station listed them in.
 */
export function lastRegister(readings: Reading[]): string | undefined {
  let latest: Reading | undefined;
  for (const r of readings) if (r.energyKwh !== undefined && (!latest || Date.parse(r.at) >= Date.parse(latest.at))) latest = r;
  return latest?.energyKwh;
}
