/** The charge points: their host (evicted when idle, fenced by the station's owner between nodes), liveness, removal. */
import { ocpiDateTime, xstateClock } from '../../../src/lib/clock.ts';
import { CHARGE_POINT_MACHINE_VERSION, chargePointMachine } from '../../charge-point/charge-point.machine.ts';
import { chargePointSnapshotUpgrades } from '../../charge-point/charge-point-snapshots.ts';
import { ChargePoints } from '../../charge-point/charge-points.ts';
import { Liveness } from '../../charge-point/liveness.ts';
import { ActorHost } from '../actor-host.ts';
import { upgradingSnapshots } from '../snapshot-upgrades.ts';
import type { ChargingNetworkPort } from '../actor-system.ports.ts';
import { stationPolicy, type KindWiring } from './wiring.ts';

/** `network`: the sink of the EVSE statuses, built before the charge points. */
export function chargePointKind<N extends ChargingNetworkPort>({ ports, commits, now, system }: KindWiring<N>, network: N) {
  const { storage, clock, logger, settings, stations } = ports;
  const offlineGraceMs = settings.offlineGraceSeconds * 1000;
  const chargePointLogic = chargePointMachine.provide({
    delays: { offlineGrace: ({ context }) => Math.max(0, Date.parse(context.disconnectedAt ?? '') + offlineGraceMs - clock.now().getTime() || 0) },
    actions: {
      announceOffline: ({ context }) => chargePoints.announceOffline(context.id),
      publishStatuses: ({ context, event }) => host.deferred(() => chargePoints.publishStatuses(context, 'at' in event ? event.at : ocpiDateTime(clock.now())))(),
    },
  });
  const host: ActorHost<typeof chargePointLogic> = new ActorHost(
    chargePointLogic,
    CHARGE_POINT_MACHINE_VERSION,
    upgradingSnapshots(storage.chargePoints.snapshots, CHARGE_POINT_MACHINE_VERSION, chargePointSnapshotUpgrades),
    commits,
    now,
    xstateClock(clock),
    // Most stations are idle most of the time: their actors wait in storage, not in memory.
    settings.actorIdleEvictSeconds > 0 ? { afterMs: settings.actorIdleEvictSeconds * 1000, clock } : undefined,
    stationPolicy(ports.ownership, (id) => id),
  );
  const liveness = new Liveness({ store: storage.chargePoints.lastSeen, transact: storage.transact, clock, logger });
  const chargePoints: ChargePoints = new ChargePoints({
    host,
    liveness,
    ids: () => storage.chargePoints.snapshots.ids(),
    sink: network,
    rule: ports.evseStatus,
    transact: storage.transact,
    clock,
    logger,
    removal: {
      registration: { exists: (id) => storage.chargePoints.get(id) !== undefined, delete: (id) => storage.chargePoints.delete(id) },
      sessions: { runningAt: (id) => storage.chargePoints.runningSessions(id), stop: (id, at, reason) => system.sessions.stop(id, at, undefined, reason) },
      disconnect: (id, reason) => stations.disconnect(id, reason),
    },
    isConnected: (id) => stations.isConnected(id),
    offlineGraceMs,
  });
  return { host, liveness, chargePoints };
}
