import { assign, fromPromise, setup } from 'xstate';
import { commandFailureOf } from '../../src/domain/command-mapping.ts';
import type { CommandResult } from '../../src/model/ocpi/commands.ts';

export type CommandOutcome = CommandResult['result'];

/** Why a station call produced no answer (the station link rejects with one of these; anything else is a bug). */
type StationFailure = Error & { reason?: 'timeout' | 'call-error' | 'closed' | 'invalid-response' };

export interface CommandInput {
  commandId: string;
  type: string;
  /** When the CommandResult is due at the latest: TIMEOUT then (the command row's deadline_ms). */
  deadlineMs: number;
  /** The host's Clock when it starts the actor: the `after` delay is the deadline minus this. */
  nowMs: number;
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
  result?: CommandOutcome;
}

/**
 * One accepted OCPI command: calling the station → (its answer | the deadline) → done, its CommandResult settled
 * exactly once. Everything the actor needs survives in the command row (deadline_ms, result), which is its
 * durable record: an open row is restored at boot as a `resumed` actor whose deadline is re-armed from the data
 * (`after` timers are not restored from snapshots). Effects are named and provided by the host:
 * - `callStation` (invoked): the OCPP call(s) for this command, resolving to its result;
 * - `settle`: writes the result once and queues the CommandResult in the same transaction;
 * - `reportBug`: a station call that failed without a station reason.
 * The host runs it on the Clock port (`createActor(…, { clock: xstateClock(clock) })`).
 */
export const commandMachine = setup({
  types: {
    input: {} as CommandInput,
    context: {} as CommandContext,
  },
  actors: {
    callStation: fromPromise<CommandOutcome, { commandId: string; deadlineMs: number }>(async () => 'FAILED'),
  },
  actions: {
    settle: (_, _params: { result: CommandOutcome }) => {},
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
  context: ({ input }) => ({ commandId: input.commandId, type: input.type, deadlineMs: input.deadlineMs, startedAtMs: input.nowMs, resumed: input.resumed ?? false }),
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
        onDone: { target: 'answered', actions: assign({ result: ({ event }) => event.output }) },
        onError: [
          {
            // No usable answer from the station (offline, silent, CALLERROR): TIMEOUT or FAILED, never a hang.
            guard: { type: 'stationFailure', params: ({ event }) => ({ error: event.error }) },
            target: 'answered',
            actions: assign({ result: ({ event }) => commandFailureOf((event.error as StationFailure).reason!) }),
          },
          { target: 'answered', actions: [assign({ result: 'FAILED' }), { type: 'reportBug', params: ({ event }) => ({ error: event.error }) }] },
        ],
      },
      after: { untilDeadline: 'timedOut' },
    },
    awaitingDeadline: {
      after: { untilDeadline: 'timedOut' },
    },
    answered: {
      entry: { type: 'settle', params: ({ context }) => ({ result: context.result ?? 'FAILED' }) },
      always: 'done',
    },
    timedOut: {
      entry: [assign({ result: 'TIMEOUT' }), { type: 'settle', params: { result: 'TIMEOUT' } }],
      always: 'done',
    },
    done: { type: 'final' },
  },
});
