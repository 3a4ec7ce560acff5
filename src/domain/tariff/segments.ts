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
export interface Stretch {
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
    phases.push(sessionStretches(samples, startMs, endMs));
  }
  return phases.flatMap((stretches) => phaseSegments(stretches, clock, thresholds));
}

/**
 * The stretches between consecutive samples of a session phase up to `endMs` — or of its tail, when `samples` start
 * with the sample that begins a stretch (see running-price.ts).
 */
export function sessionStretches(samples: readonly Sample[], phaseStartMs: number, endMs: number): Stretch[] {
  return instantsFolded(samples.map((sample, i) => span(sample, samples[i + 1], endMs))).map((s) => stretchOf(s, phaseStartMs));
}

/**
 * Cuts consecutive stretches of one phase into segments. Cut instants are absolute (a local time of day, an offset
 * change, phase start + a duration threshold), so the stretches of a phase may be cut a few at a time.
 */
export function phaseSegments(stretches: readonly Stretch[], clock: LocalClock, thresholds: RestrictionThresholds): Segment[] {
  const first = stretches[0]!;
  const cuts = [
    ...clock.boundaries(first.startMs, stretches.at(-1)!.endMs, thresholds.minutesOfDay),
    ...thresholds.elapsedMs.map((elapsed) => first.phaseStartMs + elapsed),
  ];
  const segments = stretches.flatMap((stretch) => cutStretch(stretch, cuts, thresholds.kwh));
  // A phase of zero length still gets one (empty) segment: its FLAT fee is due from its first moment.
  const { startMs, fromKwh } = first;
  return segments.length > 0 ? segments : [segment(first, startMs, startMs, fromKwh, fromKwh)];
}

/** The stretch from one sample to the next, before its state (average power) is known. */
interface Span {
  sample: Sample;
  startMs: number;
  endMs: number;
  fromKwh: Decimal;
  toKwh: Decimal;
}

function span(sample: Sample, next: Sample | undefined, phaseEndMs: number): Span {
  // After the last sample nothing is known, so no energy is assumed (the tail of a running session).
  return { sample, startMs: sample.ms, endMs: next?.ms ?? phaseEndMs, fromKwh: sample.energyKwh, toKwh: next?.energyKwh ?? sample.energyKwh };
}

/**
 * Two readings of the same instant span no time, yet the register moved between them: that energy was delivered
 * before the instant, so it joins the stretch that ends there (at the session's first instant, the one that
 * starts there). A register's energy must never depend on how the clock divides it; only a session that is one
 * instant long keeps a zero-length stretch.
 */
function instantsFolded(spans: Span[]): Span[] {
  const folded: Span[] = [];
  let carriedFromKwh: Decimal | undefined;
  for (const current of spans) {
    if (current.endMs > current.startMs) {
      folded.push(carriedFromKwh === undefined ? current : { ...current, fromKwh: carriedFromKwh });
      carriedFromKwh = undefined;
    } else if (!current.toKwh.eq(current.fromKwh)) {
      const previous = folded.at(-1);
      if (previous) folded[folded.length - 1] = { ...previous, toKwh: current.toKwh };
      else carriedFromKwh ??= current.fromKwh;
    }
  }
  // Still carried: every span was an instant, so the session is one instant long.
  if (carriedFromKwh !== undefined) folded.push({ ...spans.at(-1)!, fromKwh: carriedFromKwh });
  return folded.length > 0 ? folded : spans.slice(0, 1);
}

function stretchOf({ sample, startMs, endMs, fromKwh, toKwh }: Span, phaseStartMs: number): Stretch {
  const averageKw = endMs === startMs ? ZERO : divide(toKwh.minus(fromKwh).times(MS_PER_HOUR), dec(endMs - startMs));
  const state: State = {
    phase: 'SESSION',
    charging: sample.charging,
    powerKw: sample.powerKw ?? averageKw,
    ...(sample.powerKw ? { measuredPowerKw: sample.powerKw } : {}),
    ...(sample.currentA ? { currentA: sample.currentA } : {}),
  };
  return { state, phaseStartMs, startMs, endMs, fromKwh, toKwh };
}

function cutStretch(stretch: Stretch, cuts: readonly number[], kwhThresholds: readonly Decimal[]): Segment[] {
  const { startMs, endMs, fromKwh: from, toKwh: to } = stretch;
  const energy = to.minus(from);
  if (endMs === startMs && energy.eq(ZERO)) return [];
  const duration = dec(endMs - startMs);
  const points: [number, Decimal][] = [[startMs, from]];
  // A kWh crossing is placed at its rounded millisecond but keeps the exact threshold as its energy; a register
  // that crosses it within a millisecond of the stretch's start or end (or a stretch of one instant) still gets
  // the cut, as a segment of no length, so the energy on each side is priced on its own side.
  for (const kwh of kwhThresholds) {
    if (!(from.lt(kwh) && kwh.lt(to)) && !(to.lt(kwh) && kwh.lt(from))) continue;
    points.push([endMs === startMs ? startMs : startMs + divide(kwh.minus(from).times(duration), energy).round(0).toNumber(), kwh]);
  }
  for (const ms of cuts) {
    if (ms > startMs && ms < endMs && !points.some(([at]) => at === ms)) points.push([ms, from.plus(divide(energy.times(dec(ms - startMs)), duration))]);
  }
  const rising = to.gte(from);
  points.sort(([a, kwhA], [b, kwhB]) => a - b || (rising ? kwhA.cmp(kwhB) : kwhB.cmp(kwhA)));
  return points.map(([ms, kwh], i) => {
    const [nextMs, nextKwh] = points[i + 1] ?? [endMs, to];
    return segment(stretch, ms, nextMs, kwh, nextKwh);
  });
}

function segment(stretch: Stretch, startMs: number, endMs: number, fromKwh: Decimal, toKwh: Decimal): Segment {
  const elapsedMs = startMs - stretch.phaseStartMs;
  return { ...stretch.state, startMs, endMs, elapsedMs, energyStartKwh: fromKwh, energyEndKwh: toKwh };
}
