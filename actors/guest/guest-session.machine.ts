import { assign, setup } from 'xstate';
import type { GuestEvent, GuestInput, PaymentCall } from './guest-session.events.ts';

export const GUEST_MACHINE_VERSION = 1;

export interface GuestContext extends GuestInput {
  holdReference?: string;
  brand?: string;
  last4?: string;
  sessionId?: string;
  startedAt?: string;
  energyKwh: number;
  /** Running cost incl. VAT as an exact decimal string, from the tariff engine. */
  costInclVat: string;
  cdrId?: string;
  endedAt?: string;
  /** What the driver pays: the CDR's incl. VAT total in minor units, capped at the hold. */
  chargedMinor?: number;
  /** Cost beyond the hold that could not be charged, for the operator. */
  shortfallMinor?: number;
  capturedMinor?: number;
  releasedMinor?: number;
  reason?: string;
  payments: PaymentCall[];
}

/**
 * A guest (card-paid) charging session: authorizing (hold) → starting (remote start sent) → charging → stopping
 * (waiting for the stop and the capture) → stopped; or failed / expired / cancelled with a reason (expired when
 * expires_at passes before charging started: the machine's own delayed transition). Every
 * payment call is kept with its idempotency key, so "money moves exactly once" can be checked from outside.
 */
export const guestSessionMachine = setup({
  types: { context: {} as GuestContext, events: {} as GuestEvent, input: {} as GuestInput },
  actions: {
    record: assign(({ context, event }) => ('call' in event ? { payments: [...context.payments, event.call] } : {})),
    reason: assign({ reason: ({ event }) => ('reason' in event ? event.reason : undefined) }),
    progress: assign(({ event }) => (event.type === 'PROGRESS' ? { energyKwh: event.energyKwh, costInclVat: event.costInclVat } : {})),
    ended: assign(({ event }) =>
      event.type === 'ENDED'
        ? { cdrId: event.cdrId, costInclVat: event.finalCost, chargedMinor: event.chargedMinor, shortfallMinor: event.shortfallMinor, endedAt: event.at }
        : {},
    ),
    started: assign(({ event }) => (event.type === 'STARTED' ? { sessionId: event.sessionId, startedAt: event.at } : {})),
    released: assign(({ context }) => ({ releasedMinor: context.holdMinor - (context.capturedMinor ?? 0) })),
    /** expires_at passed before charging started (provided by the kind: it sends EXPIRED). */
    expire: () => {},
    /** Provided by the kind, in the commit: the card hold is released (a payments outbox row), if one was taken. */
    releaseHold: () => {},
    /** Provided by the kind, in the commit: the final amount is captured, or the hold released when it is zero. */
    settle: () => {},
  },
  /** Until `expiresAt` (provided by the host, which owns the clock). */
  delays: { expiry: () => 0 },
}).createMachine({
  id: 'guest-session',
  context: ({ input }) => ({ ...input, energyKwh: 0, costInclVat: '0', payments: [] }),
  initial: 'authorizing',
  on: {
    // A payment call can finish in any state (a late release, a replayed capture): it is always recorded.
    PAYMENT_FAILED: { actions: ['record', assign({ reason: ({ event }) => `Payment ${event.call.step} failed: ${event.call.outcome}` })] },
  },
  states: {
    authorizing: {
      // The deadline is data (expiresAt): a restored actor re-enters its state on RESTORED and waits what is left.
      after: { expiry: { actions: 'expire' } },
      on: {
        RESTORED: { target: 'authorizing', reenter: true },
        HELD: { actions: ['record', assign(({ event }) => ({ holdReference: event.reference, brand: event.brand, last4: event.last4 }))] },
        HOLD_FAILED: { target: 'failed', actions: ['record', 'reason'] },
        START_REQUESTED: 'starting',
        START_REFUSED: { target: 'failed', actions: ['reason', 'releaseHold'] },
        STARTED: { target: 'charging', actions: 'started' },
        EXPIRED: { target: 'expired', actions: [assign({ reason: () => 'No charging started before expires_at' }), 'releaseHold'] },
        CANCELLED: { target: 'cancelled', actions: [assign({ reason: () => 'Stopped before charging started' }), 'releaseHold'] },
      },
    },
    starting: {
      after: { expiry: { actions: 'expire' } },
      on: {
        RESTORED: { target: 'starting', reenter: true },
        START_REFUSED: { target: 'failed', actions: ['reason', 'releaseHold'] },
        STARTED: { target: 'charging', actions: 'started' },
        EXPIRED: { target: 'expired', actions: [assign({ reason: () => 'No charging started before expires_at' }), 'releaseHold'] },
        CANCELLED: { target: 'cancelled', actions: [assign({ reason: () => 'Stopped before charging started' }), 'releaseHold'] },
      },
    },
    charging: {
      on: {
        PROGRESS: { actions: 'progress' },
        STOP_REQUESTED: { target: 'stopping', actions: 'reason' },
        ENDED: { target: 'stopping', actions: ['ended', 'settle'] },
      },
    },
    stopping: {
      on: {
        PROGRESS: { actions: 'progress' },
        ENDED: { actions: ['ended', 'settle'] },
        CAPTURED: { target: 'stopped', actions: ['record', assign({ capturedMinor: ({ event }) => event.call.amountMinor ?? 0 }), 'released'] },
        // Nothing to charge (a session that used no energy under a free tariff): the hold is simply released.
        RELEASED: { target: 'stopped', actions: ['record', assign({ capturedMinor: () => 0 }), 'released'] },
      },
    },
    stopped: { type: 'final' },
    failed: { on: { RELEASED: { actions: ['record', 'released'] } } },
    expired: { on: { RELEASED: { actions: ['record', 'released'] } } },
    cancelled: { on: { RELEASED: { actions: ['record', 'released'] } } },
  },
});

export type GuestState = 'authorizing' | 'starting' | 'charging' | 'stopping' | 'stopped' | 'failed' | 'expired' | 'cancelled';
