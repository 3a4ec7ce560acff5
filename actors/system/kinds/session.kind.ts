/** The charging sessions: their host (fenced by the station's owner between nodes) and what a session's change tells. */
import { SESSION_MACHINE_VERSION, sessionMachine } from '../../session/session.machine.ts';
import { Sessions } from '../../session/sessions.ts';
import { ActorHost } from '../actor-host.ts';
import type { ChargingNetworkPort } from '../actor-system.ports.ts';
import { stationPolicy, type KindWiring } from './wiring.ts';

export function sessionKind<N extends ChargingNetworkPort>({ ports, commits, now, system }: KindWiring<N>) {
  const { storage, clock, logger, settings } = ports;
  const sessionLogic = sessionMachine.provide({
    actions: {
      record: ({ context }, { entries }) => host.deferred(() => sessions.record(context, entries))(),
      publish: ({ context }, { status }) => host.deferred(() => sessions.publish(context, status))(),
    },
  });
  const policy = stationPolicy(ports.ownership, (_, context) => context.chargePointId);
  const host: ActorHost<typeof sessionLogic> = new ActorHost(sessionLogic, SESSION_MACHINE_VERSION, storage.sessions.snapshots, commits, now, undefined, undefined, policy);
  const sessions: Sessions = new Sessions({
    host,
    store: storage.sessions,
    placeOf: (chargePointId, ocppEvseId, at, tariffType) => system.network.sessionPlace(chargePointId, ocppEvseId, at, tariffType),
    owner: settings.owner,
    // Guests hear about their sessions in the same transaction as the partners' pushes are queued.
    feed: {
      sessionChanged: (previous, next) => {
        system.feed.sessionChanged(previous, next);
        system.guests.sessionChanged(next);
      },
      cdrCreated: (cdr) => {
        system.feed.cdrCreated(cdr);
        system.guests.cdrCreated(cdr);
      },
    },
    clock,
    logger,
  });
  return { host, sessions };
}
