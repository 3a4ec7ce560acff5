/**
 * A node among several (REDIS_URL set): joins Redis, then gives the composition root the parts that make the
 * nodes act as one service — station ownership with fencing epochs, CALLs routed to the node holding the
 * station's socket, one delivering node per outbox channel, one node keeping the shared timers, the shared
 * authentication-failure throttle and cache invalidation. Without REDIS_URL none of this exists and the node runs
 * alone, as before.
 */
import type { StationLink } from '../../actors/system/actor-system.ports.ts';
import type { Logger } from '../lib/logger.ts';
import type { OcppGateway } from '../ocpp/ocpp-gateway.ts';
import type { StationEpochs, Transact } from '../storage/ports.ts';
import { deliveryLease } from './delivery-lease.ts';
import { Leases } from './leases.ts';
import { NodeBus } from './node-bus.ts';
import { connectRedis, type RedisLink } from './redis.ts';
import { sweepOrphanStations } from './orphan-stations.ts';
import { shareCacheInvalidation } from './shared-caches.ts';
import { sharedFailureThrottle } from './shared-throttle.ts';
import { onStationOwner, routedStationLink } from './station-router.ts';
import { StationOwnership } from './station-ownership.ts';
import { keepTime, type SharedTimers } from './timekeeper.ts';

export interface ClusterSettings {
  redisUrl: string;
  nodeId: string;
  /** Every Redis key and channel starts with it. */
  keyPrefix: string;
  /** Station and delivery leases; renewed every third of it. */
  leaseMs: number;
}

export interface ClusterLink {
  settings: ClusterSettings;
  redis: RedisLink;
  bus: NodeBus;
}

/** Connects to Redis and the other nodes (before the app is built; a Redis that cannot be reached stops the start). */
export async function joinCluster(settings: ClusterSettings, logger: Logger): Promise<ClusterLink> {
  const redis = await connectRedis(settings.redisUrl, settings.keyPrefix, logger);
  const bus = new NodeBus(redis, settings.nodeId, logger);
  await bus.start();
  return { settings, redis, bus };
}

/** The cluster parts of one node, wired by src/app.ts around its storage, gateway and actor system. */
export function clusterNode(link: ClusterLink, deps: { storage: { stationEpochs: StationEpochs; transact: Transact; changes(): number; forgetDerived(): void }; logger: Logger }) {
  const { redis, bus, settings } = link;
  const { logger, storage } = deps;
  const stationLeases = new Leases(redis, 'station', settings.nodeId, settings.leaseMs, (id, epoch) => ownership.lose(id, epoch + 1), logger);
  const deliveryLeases = new Leases(redis, 'delivery', settings.nodeId, settings.leaseMs, () => {}, logger);
  const sweeperLease = new Leases(redis, 'sweeper', settings.nodeId, settings.leaseMs, () => {}, logger);
  let sweeper: { stop(): void } | undefined;
  const timekeeperLease = new Leases(redis, 'timekeeper', settings.nodeId, settings.leaseMs, () => timekeeper?.lost(), logger);
  let timekeeper: ReturnType<typeof keepTime> | undefined;
  const ownership = new StationOwnership({ leases: stationLeases, bus, epochs: storage.stationEpochs, transact: storage.transact, logger });
  const caches = shareCacheInvalidation(storage, bus);
  return {
    nodeId: settings.nodeId,
    ownership,
    throttle: sharedFailureThrottle(redis),
    /** Called when another node changed the shared record (wired in src/app.ts). */
    set othersChanged(fn: () => void) {
      caches.othersChanged = fn;
    },
    deliveryLease: (wake: (channel: string) => void) => deliveryLease(deliveryLeases, bus, wake),
    stationLink: (gateway: OcppGateway, connectedInRecord: (chargePointId: string) => boolean): StationLink => routedStationLink(gateway, ownership, bus, connectedInRecord),
    /** Writes of a station's actors run on the node holding it; a holder silent for a lease time has lost its lease by then. */
    onStationOwner: onStationOwner(ownership, bus, settings.leaseMs),
    /** Starts looking for stations left connected by a node that is gone (see orphan-stations.ts). */
    sweepOrphans(connectedInRecord: () => string[], markDisconnected: (chargePointId: string) => void) {
      sweeper = sweepOrphanStations({ leases: sweeperLease, ownership, connectedInRecord, markDisconnected, everyMs: 2 * settings.leaseMs, logger });
    },
    /** Starts taking turns at the shared timers (see timekeeper.ts); rescans every two lease times while it holds them. */
    keepTime(timers: SharedTimers) {
      timekeeper = keepTime({ leases: timekeeperLease, timers, rescanMs: 2 * settings.leaseMs, logger });
    },
    /** Leaves the cluster: leases released (other nodes take over at once), Redis closed. */
    async close() {
      caches.stop();
      sweeper?.stop();
      timekeeper?.stop();
      bus.close();
      await Promise.allSettled([stationLeases.close(), deliveryLeases.close(), sweeperLease.close(), timekeeperLease.close()]);
      await redis.close();
    },
  };
}

export type ClusterNode = ReturnType<typeof clusterNode>;
