import { assign, fromPromise, setup } from 'xstate';

/** What one delivery step did: sent something (go on), found nothing due (rest until woken or `nextAtMs`). */
export type StepOutcome = { sent: true } | { sent: false; nextAtMs?: number };

/**
 * The delivery loop of one partner: idle → sending → (waiting | idle). It holds no data worth persisting —
 * what to send and when is in the outbox rows (next_attempt_at), so after a restart a fresh actor simply
 * resumes from them. A WAKE (something was enqueued) while waiting makes it look again at once.
 */
export const deliveryMachine = setup({
  types: { context: {} as { nextAtMs?: number }, events: {} as { type: 'WAKE' } | { type: 'STOP' } },
  actors: { step: fromPromise<StepOutcome>(async () => ({ sent: false })) },
  delays: { untilDue: ({ context }) => Math.max(0, (context.nextAtMs ?? Date.now()) - Date.now()) },
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
          { guard: ({ event }) => !event.output.sent && event.output.nextAtMs !== undefined, target: 'waiting', actions: assign({ nextAtMs: ({ event }) => (event.output.sent ? undefined : event.output.nextAtMs) }) },
          { target: 'idle' },
        ],
        // A bug in a step must not stop deliveries for good: rest, then look again.
        onError: { target: 'waiting', actions: assign({ nextAtMs: () => Date.now() + 5_000 }) },
      },
    },
    waiting: { after: { untilDue: 'sending' }, on: { WAKE: 'sending' } },
    stopped: { type: 'final' },
  },
});
