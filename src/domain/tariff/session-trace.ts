/**
 * What the tariff engine prices: the meter history of one session (and the reservation before it), with time as
 * data. Instants become integer epoch milliseconds, which a double holds exactly; energy, power and current
 * become exact decimals.
 */
import { parseOcpiDateTime } from '../../lib/clock.ts';
import { dec, type Decimal, type DecimalInput } from '../money.ts';

/** One meter reading; its power, current and charging state hold until the next sample (or the trace's end). */
export interface MeterSample {
  /** OCPI DateTime (UTC). */
  at: string;
  /** Cumulative energy register, kWh. The session's energy counts from the first sample. */
  energy_kwh: DecimalInput;
  /** Instantaneous power, kW. When absent, the average power until the next sample is used. */
  power_kw?: DecimalInput;
  /** Instantaneous current summed over phases, A. */
  current_a?: DecimalInput;
  /**
   * Whether the vehicle requests power. `false` is parking: PARKING_TIME is the time the EV does not request power,
   * so time in which it wants power but the EVSE delivers none (load management) is still charging TIME
   * (5.3, post-d2 erratum).
   */
  charging: boolean;
}

export interface ReservationTrace {
  /** When the reservation was made; its phase lasts until the trace's `start_date_time`. */
  start_date_time: string;
  /** Expired without a charging session (RESERVATION_EXPIRES, 5.4). Such a trace has no samples. */
  expired: boolean;
}

/**
 * A session as far as it is known. For a running session pass the readings so far and `end_date_time` = now.
 * A reservation that has not (yet) led to charging has no samples and `start_date_time` = `end_date_time` = the
 * moment the reservation phase ended (expired) or now (still reserved).
 */
export interface SessionTrace {
  /** When the session became ACTIVE; the first sample must be taken at this moment. */
  start_date_time: string;
  end_date_time: string;
  samples: readonly MeterSample[];
  reservation?: ReservationTrace;
}

export interface Sample {
  ms: number;
  /** Energy charged in the session up to this sample. */
  energyKwh: Decimal;
  powerKw?: Decimal;
  currentA?: Decimal;
  charging: boolean;
}

export interface Timeline {
  reservation?: { startMs: number; endMs: number; expired: boolean };
  session?: { startMs: number; endMs: number; samples: Sample[] };
}

/** Validates the trace; throws a RangeError naming the first problem. */
export function readTrace(trace: SessionTrace): Timeline {
  const startMs = instant(trace.start_date_time, 'start_date_time');
  const endMs = instant(trace.end_date_time, 'end_date_time');
  if (endMs < startMs) throw new RangeError('end_date_time is before start_date_time');
  const reservation = trace.reservation && {
    startMs: instant(trace.reservation.start_date_time, 'reservation.start_date_time'),
    endMs: startMs,
    expired: trace.reservation.expired,
  };
  if (reservation && reservation.startMs > startMs) throw new RangeError('the reservation starts after the session');
  if (trace.samples.length === 0) {
    if (!reservation) throw new RangeError('a session needs a meter sample at start_date_time');
    if (endMs !== startMs) throw new RangeError('a trace without samples must end at start_date_time');
    return { reservation };
  }
  if (reservation?.expired) throw new RangeError('an expired reservation has no charging session, so no samples');
  const samples = readSamples(trace.samples, startMs, endMs);
  return { ...(reservation ? { reservation } : {}), session: { startMs, endMs, samples } };
}

function readSamples(raw: readonly MeterSample[], startMs: number, endMs: number): Sample[] {
  const first = dec(raw[0]!.energy_kwh);
  const samples = raw.map((sample, i) => readSample(sample, first, `samples[${i}].at`));
  if (samples[0]!.ms !== startMs) throw new RangeError('the first sample must be taken at start_date_time');
  samples.forEach((sample, i) => {
    if (i > 0 && sample.ms < samples[i - 1]!.ms) throw new RangeError(`samples[${i}] is earlier than samples[${i - 1}]`);
    if (sample.ms > endMs) throw new RangeError(`samples[${i}] is after end_date_time`);
  });
  return samples;
}

/** One sample with its energy counted from `firstKwh`, the register at the session's first sample. */
export function readSample(sample: MeterSample, firstKwh: Decimal, field = 'sample.at'): Sample {
  return {
    ms: instant(sample.at, field),
    energyKwh: dec(sample.energy_kwh).minus(firstKwh),
    ...(sample.power_kw === undefined ? {} : { powerKw: dec(sample.power_kw) }),
    ...(sample.current_a === undefined ? {} : { currentA: dec(sample.current_a) }),
    charging: sample.charging,
  };
}

function instant(value: string, field: string): number {
  const ms = parseOcpiDateTime(value);
  if (!Number.isInteger(ms)) throw new RangeError(`${field} is not an OCPI DateTime: ${value}`);
  return ms;
}
