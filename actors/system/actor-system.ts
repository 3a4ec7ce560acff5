import type { ChargePoints } from '../charge-point/charge-points.ts';
import type { Liveness } from '../charge-point/liveness.ts';
import type { ChargingProfiles } from '../charging-profiles/charging-profiles.ts';
import type { CommandActors } from '../commands/command-actors.ts';
import type { Commands } from '../commands/commands.ts';
import type { GuestSessions } from '../guest/guest-sessions.ts';
import type { Deliveries } from '../partner/deliveries.ts';
import type { OutboxFeed } from '../partner/partner-feed.ts';
import type { Partners } from '../partner/partners.ts';
import type { RealTimeAuthorization } from '../partner/real-time-authorization.ts';
import type { Sessions } from '../session/sessions.ts';
import type { ActorSystemPorts, ChargingNetworkPort } from './actor-system.ports.ts';
import { Deadlines } from './deadlines.ts';
import { GroupCommit } from './group-commit.ts';
import { chargePointKind } from './kinds/charge-point.kind.ts';
import { commandKind } from './kinds/command.kind.ts';
import { deliveryKind } from './kinds/delivery.kind.ts';
import { guestKind } from './kinds/guest.kind.ts';
import { partnerKind } from './kinds/partner.kind.ts';
import { sessionKind } from './kinds/session.kind.ts';
import type { ActorKinds, DrivenHost, KindWiring } from './kinds/wiring.ts';

export type ActorKind = 'partner' | 'charge-point' | 'session' | 'guest' | 'command';

/**
 * Every actor kind in one place: the hosts that keep one live actor per id (partners, charge points, sessions,
 * guests), the kinds built on them (commands and charging-profile requests, deliveries) — each wired in its own
 * kinds/*.kind.ts — the one group commit and Deadlines registry they share, `start()` — the one place that re-arms
 * durable deadlines and resumes work after a restart — and `close()`, which stops everything in order. Adapters
 * reach actors only through the system's members.
 */
export class ActorSystem<N extends ChargingNetworkPort> implements ActorKinds<N> {
  readonly deadlines: Deadlines;
  /** Every actor step of an event-loop turn in one transaction; answers wait for it (persist, then acknowledge). */
  readonly commits: GroupCommit;
  readonly partners: Partners;
  readonly deliveries: Deliveries;
  readonly feed: OutboxFeed;
  readonly network: N;
  readonly sessions: Sessions;
  readonly chargePoints: ChargePoints;
  readonly commands: Commands;
  readonly chargingProfiles: ChargingProfiles;
  readonly guests: GuestSessions;
  readonly realTime: RealTimeAuthorization;
  private readonly commandActors: CommandActors;
  private readonly liveness: Liveness;
  private readonly hosts: Record<Exclude<ActorKind, 'command'>, DrivenHost>;

  constructor(private readonly ports: ActorSystemPorts<N>) {
    const { storage, clock, logger } = ports;
    this.deadlines = new Deadlines(clock);
    this.commits = new GroupCommit(storage.batch, storage.transact, (steps, error) => {
      if (error) logger.error('A group commit failed: its steps are undone', { error });
      ports.onCommit?.(steps, error ? 'failed' : 'committed');
    });
    const wiring: KindWiring<N> = { ports, commits: this.commits, deadlines: this.deadlines, now: () => clock.now(), system: this };
    // In this order: the network needs the feed, the charge points the network, the guests the charge points.
    const partner = partnerKind(wiring);
    ({ partners: this.partners, realTime: this.realTime } = partner);
    ({ deliveries: this.deliveries, feed: this.feed } = deliveryKind(wiring, this.partners));
    this.network = ports.network(this.feed);
    const session = sessionKind(wiring);
    this.sessions = session.sessions;
    const chargePoint = chargePointKind(wiring, this.network);
    ({ chargePoints: this.chargePoints, liveness: this.liveness } = chargePoint);
    ({ commandActors: this.commandActors, commands: this.commands, chargingProfiles: this.chargingProfiles } = commandKind(wiring));
    const guest = guestKind(wiring, this.chargePoints);
    this.guests = guest.guests;
    this.hosts = { partner: partner.host, session: session.host, 'charge-point': chargePoint.host, guest: guest.host };
  }

  /**
   * After a (re)start: every durable deadline back from its data, pending deliveries resumed, stalled starts
   * retried. Several nodes (`shared`): a station the record calls connected may be on another node, so it is
   * left to the orphan sweep (src/cluster/orphan-stations.ts) instead of being marked disconnected here, and the
   * shared timers are resumed by one node at a time, the timekeeper (`resumeTimers`, src/cluster/timekeeper.ts).
   */
  start(shared = false): void {
    this.chargePoints.resume(!shared);
    this.deliveries.resume();
    if (!shared) this.resumeTimers();
  }

  /**
   * The durable deadlines no live actor here waits for, armed from the shared record: open commands' deadlines,
   * reservations' expiries, guest sessions' expiries and stalled starts. Their effects are compare-and-sets in
   * storage, so a deadline armed on two nodes (the one that accepted it, the timekeeper) acts once. `recent`: a
   * rescan by the timekeeper, which reads only the guest sessions created since it could last have missed one.
   */
  resumeTimers(recent = false): void {
    this.commandActors.resume();
    this.commands.resume();
    this.guests.resume(recent);
  }

  /** Several nodes, the timekeeper lease lost: what `resumeTimers` armed stops here (the next timekeeper has it). */
  stopResumedTimers(): void {
    this.commandActors.stopResumed();
    this.commands.stopResumed();
    this.guests.stopResumed();
  }

  /**
   * Several nodes: the station moved to (or came from) another node; its charge point and running sessions are
   * read back from storage when next needed, never served from what this node last held.
   */
  forgetStation(chargePointId: string): void {
    this.hosts['charge-point'].forget(chargePointId);
    this.ports.storage.sessions.forgetStation(chargePointId);
    for (const id of this.ports.storage.chargePoints.runningSessions(chargePointId)) this.hosts.session.forget(id);
  }

  /** Several nodes: another node changed the shared record; whoever waits here for an actor to move looks again. */
  othersChanged(): void {
    for (const host of Object.values(this.hosts)) host.othersChanged();
  }

  /** How many actors of each kind are in memory (for the `dynamo_actors_live` gauge). */
  liveActors(): Record<ActorKind, number> {
    const { partner, session, guest } = this.hosts;
    return { partner: partner.live, session: session.live, 'charge-point': this.hosts['charge-point'].live, guest: guest.live, command: this.commandActors.size };
  }

  /** A token a command or a guest session pre-authorized at this station (nobody else's eMSP to ask). */
  preAuthorized(chargePointId: string, idTag: string) {
    return this.commands.preAuthorized(chargePointId, idTag) ?? this.guests.preAuthorized(chargePointId, idTag);
  }

  /** Writes the stations' last-seen times and commits what the turn holds, then stops every timer, delivery and live actor. */
  close(): void {
    this.chargePoints.stop();
    this.liveness.close();
    this.commits.flush();
    this.deadlines.cancelAll();
    this.deliveries.stopAll();
    this.commandActors.stopAll();
    for (const host of Object.values(this.hosts)) host.stopAll();
  }
}
