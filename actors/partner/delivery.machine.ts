import { assign, fromPromise, setup } from 'xstate';

/** What one delivery step did: sent something (go on), found nothing due (rest until woken or `nextAtMs`). */
export type StepOutcome = { sent: true } | { sent: false; waitMs?: number };

/**
 * The delivery loop of one partner: idle → sending → (waiting | idle). It holds no data worth persisting —
 * what to send and when is in the outbox rows (next_attempt_at), so after a restart a fresh actor simply
 * resumes from them. A WAKE (something was enqueued) while waiting makes it look again at once. Waits are
 * relative (the step reads the host's Clock), and the host runs the actor on that Clock's timers.
 */
export const deliveryMachine = setup({
  types: { context: {} as { waitMs?: number }, events: {} as { type: 'WAKE' } | { type: 'STOP' } },
  actors: { step: fromPromise<StepOutcome>(async () => ({ sent: false })) },
  delays: { untilDue: ({ context }) => Math.max(0, context.waitMs ?? 0), afterError: 5_000 },
}).createMachine({
  id: 'delivery',
  context: {},
  initial: 'sending',
  on: { STOP: '.stopped' },
  states: {
    idle: { on: { WAKE: 'sending' } },
    sending: {
      invoke: {
        src: 'step',
        onDone: [
          { guard: ({ event }) => event.output.sent, target: 'sending', reenter: true },
          { guard: ({ event }) => !event.output.sent && event.output.waitMs !== undefined, target: 'waiting', actions: assign({ waitMs: ({ event }) => (event.output.sent ? undefined : event.output.waitMs) }) },
          { target: 'idle' },
        ],
        // A bug in a step must not stop deliveries for good: rest, then look again.
        onError: 'resting',
      },
    },
    waiting: { after: { untilDue: 'sending' }, on: { WAKE: 'sending' } },
    resting: { after: { afterError: 'sending' }, on: { WAKE: 'sending' } },
    stopped: { type: 'final' },
  },
});
