/** The guest sessions (ad-hoc payment): their host (versioned between nodes), the station and payments they act on. */
import { ocpiDateTime, xstateClock } from '../../../src/lib/clock.ts';
import type { ChargePoints } from '../../charge-point/charge-points.ts';
import { GUEST_MACHINE_VERSION, guestSessionMachine } from '../../guest/guest-session.machine.ts';
import { GuestSessions } from '../../guest/guest-sessions.ts';
import { guestStation } from '../../guest/guest-station.ts';
import { ActorHost } from '../actor-host.ts';
import type { ChargingNetworkPort } from '../actor-system.ports.ts';
import type { KindWiring } from './wiring.ts';

/** `chargePoints`: what the guests' station port reads, built before the guests. */
export function guestKind<N extends ChargingNetworkPort>({ ports, commits, now, system }: KindWiring<N>, chargePoints: ChargePoints) {
  const { storage, clock, logger, secrets, settings, stations } = ports;
  const guestLogic = guestSessionMachine.provide({
    delays: { expiry: ({ context }) => Math.max(0, Date.parse(context.expiresAt) - clock.now().getTime()) },
    // After the timer's transition, not inside it: expiring sends the actor an event and commits with the release.
    actions: {
      expire: ({ context }) => queueMicrotask(() => guests.expire(context.id)),
      releaseHold: ({ context }) => host.deferred(() => guests.releaseHold(context))(),
      settle: ({ context }) => host.deferred(() => guests.settle(context))(),
    },
  });
  // Several nodes: a guest session hears from the station's owner (its session), the payments channel's node
  // (capture, release) and whichever node the driver's app reaches (authorize, stop): versioned as partners are.
  const snapshots = storage.guestSessions.snapshots;
  const host: ActorHost<typeof guestLogic> = new ActorHost(guestLogic, GUEST_MACHINE_VERSION, snapshots, commits, now, xstateClock(clock), undefined, ports.ownership ? { versioned: snapshots } : {});
  const guests: GuestSessions = new GuestSessions({
    host,
    idByIdTag: (idTag) => storage.guestSessions.idByIdTag(idTag),
    ids: () => storage.guestSessions.ids(),
    idsSince: (createdAtMs) => storage.guestSessions.idsSince(createdAtMs),
    claimStep: (id, step) => storage.guestSessions.claimStep(id, step),
    transact: storage.transact,
    station: guestStation(storage.chargePoints, chargePoints, stations),
    payments: ports.payments,
    currencyAt: (cp, evse) => system.network.sessionPlace(cp, evse, ocpiDateTime(clock.now()), 'AD_HOC_PAYMENT')?.currency,
    runningOn: (cp, evse) => system.sessions.runningOn(cp, evse),
    session: (id) => {
      const context = system.sessions.view(id)?.context;
      return context && { transactionId: context.transactionId, protocol: context.protocol };
    },
    enqueue: (job) => system.deliveries.enqueue(job),
    afterCommit: (fn) => commits.afterCommit(fn),
    secrets,
    clock,
    logger,
    owner: settings.owner,
    settings: { ...settings.guest, callTimeoutSeconds: settings.commandTimeoutSeconds },
  });
  return { host, guests };
}
