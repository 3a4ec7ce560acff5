import type { MeterEntry, MeterStart } from '../../src/domain/cdr/meter-history.ts';
import type { PricedPlace } from '../../src/domain/cdr/session-pricing.ts';
import { SessionMeter } from '../../src/domain/cdr/session-meter.ts';
import type { SessionReadings } from '../../src/storage/ports.ts';
import type { SessionContext } from './session.machine.ts';

const startOf = (context: SessionContext): MeterStart => ({ at: context.startAt, energyKwh: context.meterStartKwh });

/**
 * The meters of the running sessions, in memory: what prices a running Session reading by reading. A meter is only
 * ever a cache of the stored history — it is replayed from the readings whenever it does not match the session's
 * context exactly: after a restart, after a step that rolled back, when a baseline arrived, or when an entry went
 * before the latest instant (which changes samples already priced).
 */
export class SessionMeters {
  private readonly meters = new Map<string, SessionMeter>();

  constructor(private readonly readings: SessionReadings) {}

  /** Stores an event's entries (inside the step's commit) and takes them into the session's meter; `before` is the context before the event. */
  record(before: SessionContext, entries: readonly MeterEntry[]) {
    if (entries.length === 0) return;
    this.readings.append(before.id, entries);
    const meter = this.meters.get(before.id);
    if (!meter?.matches(startOf(before), before.recorded) || !meter.add(entries)) this.meters.delete(before.id);
  }

  /** The meter of a running session as its context says it is. */
  of(context: SessionContext, place: PricedPlace): SessionMeter {
    const cached = this.meters.get(context.id);
    if (cached?.matches(startOf(context), context.recorded)) return cached;
    const meter = SessionMeter.replay(place, startOf(context), this.readings.of(context.id));
    this.meters.set(context.id, meter);
    return meter;
  }

  /** A finished session's whole history, for its final figures; its meter leaves memory. */
  finish(context: SessionContext): { start: MeterStart; entries: MeterEntry[] } {
    this.meters.delete(context.id);
    return { start: startOf(context), entries: this.readings.of(context.id) };
  }
}
