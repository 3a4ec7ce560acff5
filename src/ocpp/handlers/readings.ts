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
