/**
 * Cuts the timeline into segments inside which no restriction can change its result: at every sample (power,
 * current and charging state change there), at local times of day and UTC-offset jumps, at duration thresholds,
 * and where the session energy crosses a kWh threshold. Between samples energy is taken to flow evenly, which is
 * how the moment of a crossing is interpolated from meter values (6.2, CPO obligation).
 */
import { dec, divide, ZERO, type Decimal } from '../money.ts';
import type { LocalClock } from './local-time.ts';
import type { Phase, RestrictionThresholds } from './restrictions.ts';
import type { Sample, Timeline } from './session-trace.ts';
import { MS_PER_HOUR } from './units.ts';

/** What holds for a whole stretch between two samples. */
interface State {
  phase: Phase;
  charging: boolean;
  /** Measured power, else the average power until the next sample: what power restrictions compare with. */
  powerKw: Decimal;
  /** As reported, for the MIN/MAX dimensions. */
  measuredPowerKw?: Decimal;
  currentA?: Decimal;
}

export interface Segment extends State {
  startMs: number;
  endMs: number;
  /** Time since the phase started, at `startMs`. */
  elapsedMs: number;
  energyStartKwh: Decimal;
  energyEndKwh: Decimal;
}

/** A stretch of constant state whose energy runs linearly from `fromKwh` to `toKwh`. */
interface Stretch {
  state: State;
  phaseStartMs: number;
  startMs: number;
  endMs: number;
  fromKwh: Decimal;
  toKwh: Decimal;
}

export function timelineSegments(timeline: Timeline, clock: LocalClock, thresholds: RestrictionThresholds): Segment[] {
  const phases: Stretch[][] = [];
  if (timeline.reservation) {
    const { startMs, endMs, expired } = timeline.reservation;
    // Nothing is drawn while a connector waits for its reservation.
    const phase = expired ? 'EXPIRED_RESERVATION' : 'RESERVATION';
    const state: State = { phase, charging: false, powerKw: ZERO, currentA: ZERO };
    phases.push([{ state, phaseStartMs: startMs, startMs, endMs, fromKwh: ZERO, toKwh: ZERO }]);
  }
  if (timeline.session) {
    const { startMs, endMs, samples } = timeline.session;
    phases.push(samples.map((sample, i) => sampleStretch(sample, samples[i + 1], startMs, endMs)));
  }
  return phases.flatMap((stretches) => {
    const first = stretches[0]!;
    const cuts = [
      ...clock.boundaries(first.phaseStartMs, stretches.at(-1)!.endMs, thresholds.minutesOfDay),
      ...thresholds.elapsedMs.map((elapsed) => first.phaseStartMs + elapsed),
    ];
    const segments = stretches.flatMap((stretch) => cutStretch(stretch, cuts, thresholds.kwh));
    // A phase of zero length still gets one (empty) segment: its FLAT fee is due from its first moment.
    const { startMs, fromKwh } = first;
    return segments.length > 0 ? segments : [segment(first, startMs, startMs, fromKwh, fromKwh)];
  });
}

function sampleStretch(sample: Sample, next: Sample | undefined, phaseStartMs: number, phaseEndMs: number): Stretch {
  const startMs = sample.ms;
  const endMs = next?.ms ?? phaseEndMs;
  // After the last sample nothing is known, so no energy is assumed (the tail of a running session).
  const toKwh = next?.energyKwh ?? sample.energyKwh;
  const energyKwh = toKwh.minus(sample.energyKwh);
  const averageKw = endMs === startMs ? ZERO : divide(energyKwh.times(MS_PER_HOUR), dec(endMs - startMs));
  const state: State = {
    phase: 'SESSION',
    charging: sample.charging,
    powerKw: sample.powerKw ?? averageKw,
    ...(sample.powerKw ? { measuredPowerKw: sample.powerKw } : {}),
    ...(sample.currentA ? { currentA: sample.currentA } : {}),
  };
  return { state, phaseStartMs, startMs, endMs, fromKwh: sample.energyKwh, toKwh };
}

function cutStretch(stretch: Stretch, cuts: readonly number[], kwhThresholds: readonly Decimal[]): Segment[] {
  const { startMs, endMs, fromKwh: from, toKwh: to } = stretch;
  if (endMs === startMs) return [];
  const duration = dec(endMs - startMs);
  const energy = to.minus(from);
  const points = new Map<number, Decimal>([[startMs, from]]);
  // A kWh crossing is placed at the rounded millisecond but keeps the exact threshold as its energy.
  for (const kwh of kwhThresholds) {
    if (!(from.lt(kwh) && kwh.lt(to)) && !(to.lt(kwh) && kwh.lt(from))) continue;
    const ms = startMs + divide(kwh.minus(from).times(duration), energy).round(0).toNumber();
    if (ms > startMs && ms < endMs && !points.has(ms)) points.set(ms, kwh);
  }
  for (const ms of cuts) {
    if (ms > startMs && ms < endMs && !points.has(ms)) {
      points.set(ms, from.plus(divide(energy.times(dec(ms - startMs)), duration)));
    }
  }
  const ordered = [...points].sort(([a], [b]) => a - b);
  return ordered.map(([ms, kwh], i) => {
    const [nextMs, nextKwh] = ordered[i + 1] ?? [endMs, to];
    return segment(stretch, ms, nextMs, kwh, nextKwh);
  });
}

function segment(stretch: Stretch, startMs: number, endMs: number, fromKwh: Decimal, toKwh: Decimal): Segment {
  const elapsedMs = startMs - stretch.phaseStartMs;
  return { ...stretch.state, startMs, endMs, elapsedMs, energyStartKwh: fromKwh, energyEndKwh: toKwh };
}
