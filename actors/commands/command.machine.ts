import { assign, fromPromise, setup } from 'xstate';

/**
 * How a command ends: a result in its module's vocabulary (a CommandResultType, a ChargingProfileResultType),
 * with what else the body POSTed to its response_url carries (an ActiveChargingProfileResult's profile).
 */
export interface Settlement {
  result: string;
  extra?: Record<string, unknown>;
}

/** The results of a command whose station gave no usable answer: silent until the deadline, or failing otherwise. */
export interface FailureResults {
  timeout: string;
  failed: string;
}

/** Why a station call produced no answer (the station link rejects with one of these; anything else is a bug). */
type StationFailure = Error & { reason?: 'timeout' | 'call-error' | 'closed' | 'invalid-response' };

export interface CommandInput {
  commandId: string;
  type: string;
  /** When the result is due at the latest: the kind's timeout result then (the command row's deadline_ms). */
  deadlineMs: number;
  /** The host's Clock when it starts the actor: the `after` delay is the deadline minus this. */
  nowMs: number;
  /** What its kind of command reports when the station gives no answer. */
  failures: FailureResults;
  /**
   * Restored after a restart: the station call died with the old process (and is not repeated — a second
   * RemoteStart is not harmless), so the command only waits for its deadline.
   */
  resumed?: boolean;
}

export interface CommandContext {
  commandId: string;
  type: string;
  deadlineMs: number;
  startedAtMs: number;
  resumed: boolean;
  failures: FailureResults;
  settlement?: Settlement;
}

/**
 * One accepted OCPI request to a station — a command, or a charging-profile request, which works the same way:
 * calling the station → (its answer | the deadline) → done, its result settled exactly once. Everything the actor
 * needs survives in the command row (type, deadline_ms, result), which is its durable record: an open row is restored at boot as a `resumed` actor whose deadline is re-armed from the data
 * (`after` timers are not restored from snapshots). Effects are named and provided by the host:
 * - `callStation` (invoked): the OCPP call(s) for this command, resolving to its settlement;
 * - `settle`: writes the result once and queues the body for the response_url in the same transaction;
 * - `reportBug`: a station call that failed without a station reason.
 * The host runs it on the Clock port (`createActor(…, { clock: xstateClock(clock) })`).
 */
export const commandMachine = setup({
  types: {
    input: {} as CommandInput,
    context: {} as CommandContext,
  },
  actors: {
    callStation: fromPromise<Settlement, { commandId: string; deadlineMs: number }>(async () => ({ result: 'FAILED' })),
  },
  actions: {
    settle: (_, _params: { settlement: Settlement }) => {},
    reportBug: (_, _params: { error: unknown }) => {},
  },
  guards: {
    resumed: ({ context }) => context.resumed,
    stationFailure: (_, params: { error: unknown }) => Boolean((params.error as StationFailure | undefined)?.reason),
  },
  delays: {
    untilDeadline: ({ context }) => Math.max(0, context.deadlineMs - context.startedAtMs),
  },
}).createMachine({
  id: 'command',
  context: ({ input }) => ({
    commandId: input.commandId,
    type: input.type,
    deadlineMs: input.deadlineMs,
    startedAtMs: input.nowMs,
    resumed: input.resumed ?? false,
    failures: input.failures,
  }),
  initial: 'accepted',
  states: {
    accepted: {
      always: [
        { guard: 'resumed', target: 'awaitingDeadline' },
        { target: 'callingStation' },
      ],
    },
    callingStation: {
      invoke: {
        src: 'callStation',
        input: ({ context }) => ({ commandId: context.commandId, deadlineMs: context.deadlineMs }),
        onDone: { target: 'answered', actions: assign({ settlement: ({ event }) => event.output }) },
        onError: [
          {
            // No usable answer from the station (offline, silent, CALLERROR): its kind's failure, never a hang.
            guard: { type: 'stationFailure', params: ({ event }) => ({ error: event.error }) },
            target: 'answered',
            actions: assign({
              settlement: ({ context, event }) => ({ result: (event.error as StationFailure).reason === 'timeout' ? context.failures.timeout : context.failures.failed }),
            }),
          },
          {
            target: 'answered',
            actions: [assign({ settlement: ({ context }) => ({ result: context.failures.failed }) }), { type: 'reportBug', params: ({ event }) => ({ error: event.error }) }],
          },
        ],
      },
      after: { untilDeadline: 'timedOut' },
    },
    awaitingDeadline: {
      after: { untilDeadline: 'timedOut' },
    },
    answered: {
      entry: { type: 'settle', params: ({ context }) => ({ settlement: context.settlement ?? { result: context.failures.failed } }) },
      always: 'done',
    },
    timedOut: {
      entry: [assign({ settlement: ({ context }) => ({ result: context.failures.timeout }) }), { type: 'settle', params: ({ context }) => ({ settlement: { result: context.failures.timeout } }) }],
      always: 'done',
    },
    done: { type: 'final' },
  },
});
