import { assign, setup } from 'xstate';
import { ocpiDateTime } from '../../src/lib/clock.ts';
import { withChargingState, withReadings, type MeterEntry, type MeterState } from '../../src/domain/cdr/meter-history.ts';
import type { Session } from '../../src/model/ocpi/session.ts';
import type { SessionEvent, SessionInput } from './session.events.ts';

/**
 * 2: the meter history is stored entry by entry (session_readings), not kept as samples in the snapshot; the
 * migration that created that table carried version-1 snapshots over (drizzle/0006_session-readings.sql).
 */
export const SESSION_MACHINE_VERSION = 2;

/** A few values whatever the session's length: its meter history lies in the readings, not in the snapshot. */
export interface SessionContext extends SessionInput, MeterState {
  endAt?: string;
  /** Once ended, the final register: 1.6 meterStop (2.0.1 the Ended register), else the highest register read. */
  finalKwh?: string;
  stopReason?: string;
  lastUpdated: string;
}

/** The entries an event adds to the session's stored meter history, numbered after those stored before. */
export function entriesOf(context: SessionContext, event: SessionEvent): MeterEntry[] {
  if (event.type === 'METER') return withReadings(context, event.readings).entries;
  if (event.type === 'CHARGING_STATE') return withChargingState(context, event.at, event.charging).entries;
  return [];
}

const publishAs = (status: Session['status']) => ({ type: 'publish', params: { status } }) as const;
/** First in a step's actions, so it numbers the entries after those of the context before the step. */
const record = { type: 'record', params: ({ context, event }: { context: SessionContext; event: SessionEvent }) => ({ entries: entriesOf(context, event) }) } as const;

/**
 * A charging session: pending (transaction exists, not authorised yet) → active → completed. Everything that
 * prices it is data — the context and the meter entries it records — so the same history always renders the same
 * Session and CDR. Every change ends in `publish`: the kind renders the OCPI Session (and, completed, the one CDR)
 * and queues their pushes, inside the same commit as the snapshot and the entries.
 */
export const sessionMachine = setup({
  types: { context: {} as SessionContext, events: {} as SessionEvent, input: {} as SessionInput },
  actions: {
    /** Provided by the session kind (actors/session/sessions.ts): it owns the meter history, the rendered views and the feed. */
    record: (_, _params: { entries: MeterEntry[] }) => {},
    publish: (_, _params: { status: Session['status'] }) => {},
    meter: assign(({ context, event }) => {
      if (event.type !== 'METER') return {};
      return { ...withReadings(context, event.readings).state, lastUpdated: latest(context.lastUpdated, event.readings.map((r) => r.at)) };
    }),
    stop: assign(({ context, event }) => {
      if (event.type !== 'STOPPED') return {};
      // A station clock that jumped back must not end the session before it began.
      const endAt = Date.parse(event.at) < Date.parse(context.startAt) ? context.startAt : event.at;
      return { endAt, finalKwh: event.meterStopKwh ?? context.registerKwh, stopReason: event.reason, lastUpdated: latest(context.lastUpdated, [endAt]) };
    }),
    chargingState: assign(({ context, event }) => {
      if (event.type !== 'CHARGING_STATE') return {};
      return { ...withChargingState(context, event.at, event.charging).state, lastUpdated: latest(context.lastUpdated, [event.at]) };
    }),
  },
  guards: {
    /** A charging state like the current one is no change: nothing is recorded (the Session is still re-rendered). */
    changesCharging: ({ context, event }) => event.type === 'CHARGING_STATE' && event.charging !== context.charging,
  },
}).createMachine({
  id: 'session',
  context: ({ input }) => ({ ...input, charging: true, registerKwh: input.meterStartKwh, recorded: 0, lastUpdated: input.startAt }),
  initial: 'start',
  states: {
    start: {
      always: [
        { guard: ({ context }) => context.reservationOnly === true, target: 'reserved' },
        { guard: ({ context }) => context.token === undefined, target: 'pending' },
        { target: 'active' },
      ],
    },
    /**
     * OCPI 2.2.1 sessions: a reservation creates a Session in RESERVATION; when the reserved driver starts, the
     * transaction becomes that same session (start time and meter from the transaction).
     */
    reserved: {
      entry: publishAs('RESERVATION'),
      on: {
        TRANSACTION_STARTED: {
          target: 'active',
          actions: assign(({ context, event }) => ({
            transactionId: event.transactionId,
            startAt: event.at,
            meterStartKwh: event.meterStartKwh,
            meterStartKnown: event.meterStartKnown,
            registerKwh: event.meterStartKwh,
            ...(event.token ? { token: event.token } : {}),
            authMethod: event.authMethod,
            authorizationReference: event.authorizationReference ?? context.authorizationReference,
            reservationOnly: false,
            lastUpdated: latest(context.lastUpdated, [event.at]),
          })),
        },
        RESERVATION_ENDED: {
          target: 'completed',
          actions: assign(({ context, event }) => ({ endAt: event.at, stopReason: event.reason, lastUpdated: latest(context.lastUpdated, [event.at]) })),
        },
      },
    },
    pending: {
      entry: publishAs('PENDING'),
      on: {
        AUTHORIZED: {
          target: 'active',
          actions: assign(({ event }) => ({
            token: event.token,
            authMethod: event.authMethod,
            authorizationReference: event.authorizationReference,
            lastUpdated: event.at,
          })),
        },
        METER: { actions: [record, 'meter', publishAs('PENDING')] },
        CHARGING_STATE: [{ guard: 'changesCharging', actions: [record, 'chargingState', publishAs('PENDING')] }, { actions: publishAs('PENDING') }],
        STOPPED: { target: 'completed', actions: 'stop' },
      },
    },
    active: {
      entry: publishAs('ACTIVE'),
      on: {
        METER: { actions: [record, 'meter', publishAs('ACTIVE')] },
        CHARGING_STATE: [{ guard: 'changesCharging', actions: [record, 'chargingState', publishAs('ACTIVE')] }, { actions: publishAs('ACTIVE') }],
        STOPPED: { target: 'completed', actions: 'stop' },
      },
    },
    completed: { type: 'final', entry: publishAs('COMPLETED') },
  },
});

/** `last_updated` is shown to partners and compared as text by date_from/date_to: whole seconds, like every OCPI DateTime we write. */
function latest(current: string, candidates: string[]) {
  return ocpiDateTime(new Date(candidates.reduce((a, b) => Math.max(a, Date.parse(b)), Date.parse(current))));
}
