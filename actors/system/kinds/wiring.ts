/** What each kind of actor is built from (the *.kind.ts files beside this one): the ports, the system's shared parts, the other kinds. */
import type { ChargePoints } from '../../charge-point/charge-points.ts';
import type { GuestSessions } from '../../guest/guest-sessions.ts';
import type { Deliveries } from '../../partner/deliveries.ts';
import type { OutboxFeed } from '../../partner/partner-feed.ts';
import type { Sessions } from '../../session/sessions.ts';
import type { HostPolicy } from '../actor-host.ts';
import type { ActorSystemPorts, ChargingNetworkPort, StationOwnershipPort } from '../actor-system.ports.ts';
import type { Deadlines } from '../deadlines.ts';
import type { GroupCommit } from '../group-commit.ts';

/** The members of the actor system that one kind calls in another, once all are built. */
export interface ActorKinds<N extends ChargingNetworkPort> {
  readonly deliveries: Deliveries;
  readonly feed: OutboxFeed;
  readonly network: N;
  readonly sessions: Sessions;
  readonly chargePoints: ChargePoints;
  readonly guests: GuestSessions;
}

export interface KindWiring<N extends ChargingNetworkPort> {
  ports: ActorSystemPorts<N>;
  commits: GroupCommit;
  deadlines: Deadlines;
  now: () => Date;
  /**
   * The kinds call one another (a session's change reaches the guests, a guest's payment job the deliveries), so a
   * kind reads the others only inside its callbacks, which run once the system has built them all.
   */
  system: ActorKinds<N>;
}

/** A host as the system drives it: forgetting a station, another node's change, the live gauge, close. */
export interface DrivenHost {
  readonly live: number;
  stopAll(): void;
  forget(id: string): void;
  othersChanged(): void;
}

/**
 * Several nodes: a station's actors are written only by the node holding its socket (fenced by epoch), and kept in
 * memory only there.
 */
export function stationPolicy(ownership: StationOwnershipPort | undefined, stationOf: (id: string, context: any) => string): HostPolicy {
  return ownership ? { fence: (id, context) => ownership.fence(stationOf(id, context)), keep: (id, context) => ownership.holds(stationOf(id, context)) } : {};
}
