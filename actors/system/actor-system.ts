import type { Reader } from '../../src/domain/parties.ts';
import { ocpiDateTime, xstateClock } from '../../src/lib/clock.ts';
import { CHARGE_POINT_MACHINE_VERSION, chargePointMachine } from '../charge-point/charge-point.machine.ts';
import { ChargePoints } from '../charge-point/charge-points.ts';
import { Liveness } from '../charge-point/liveness.ts';
import { ChargingProfiles } from '../charging-profiles/charging-profiles.ts';
import { CommandActors } from '../commands/command-actors.ts';
import { Commands } from '../commands/commands.ts';
import type { EndedReservation, ReservedSession } from '../commands/reservations.ts';
import { GUEST_MACHINE_VERSION, guestSessionMachine } from '../guest/guest-session.machine.ts';
import { GuestSessions, PAYMENTS_CHANNEL } from '../guest/guest-sessions.ts';
import { guestStation } from '../guest/guest-station.ts';
import { paymentJobsSender } from '../guest/payment-jobs.ts';
import { Deliveries } from '../partner/deliveries.ts';
import { OutboxFeed } from '../partner/partner-feed.ts';
import { partnerPushSender } from '../partner/partner-push.ts';
import { upgradingPartnerSnapshots } from '../partner/partner-snapshots.ts';
import { PARTNER_MACHINE_VERSION, partnerMachine } from '../partner/partner.machine.ts';
import { pullClientInfo } from '../partner/client-info-pull.ts';
import { Partners } from '../partner/partners.ts';
import { RealTimeAuthorization } from '../partner/real-time-authorization.ts';
import { pullTokens } from '../partner/token-pull.ts';
import { SESSION_MACHINE_VERSION, sessionMachine } from '../session/session.machine.ts';
import { Sessions } from '../session/sessions.ts';
import { ActorHost } from './actor-host.ts';
import type { ActorSystemPorts, ChargingNetworkPort, OnStationOwner } from './actor-system.ports.ts';
import { Deadlines } from './deadlines.ts';
import { GroupCommit, whenCommitted } from './group-commit.ts';

export type ActorKind = 'partner' | 'charge-point' | 'session' | 'guest' | 'command';

/**
 * Every actor kind in one place: the hosts that keep one live actor per id (partners, charge points, sessions,
 * guests), the kinds built on them (commands and charging-profile requests, deliveries), the one Deadlines registry their timers run in,
 * `start()` — the one place that re-arms durable deadlines and resumes work after a restart — and `close()`,
 * which stops everything in order. Adapters reach actors only through the system's members.
 */
export class ActorSystem<N extends ChargingNetworkPort> {
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
  private readonly hosts: Record<Exclude<ActorKind, 'command'>, { readonly live: number; stopAll(): void; forget(id: string): void; othersChanged(): void }>;

  constructor(private readonly ports: ActorSystemPorts<N>) {
    const { storage, clock, logger, secrets, settings, stations, partnerGateway: gateway } = ports;
    const now = () => clock.now();
    this.deadlines = new Deadlines(clock);
    this.commits = new GroupCommit(storage.batch, storage.transact, (steps, error) => {
      if (error) logger.error('A group commit failed: its steps are undone', { error });
      ports.onCommit?.(steps, error ? 'failed' : 'committed');
    });
    const afterCommit = (fn: () => void) => this.commits.afterCommit(fn);

    const partnerLogic = partnerMachine.provide({
      actions: {
        connectionOpened: ({ context }) => partnerHost.deferred(() => this.connectionOpened(context.id))(),
        connectionClosed: ({ context }) => partnerHost.deferred(() => this.connectionClosed(context.id))(),
        // After the commit: the delivery actor looks again, with the parties the hub now reports reachable.
        partiesReported: ({ context }) => afterCommit(() => this.deliveries.wake(context.id)),
      },
    });
    const { ownership } = ports;
    // Several nodes: a partner's registration or credentials may change on any node, so its copy here is used only
    // while it is the stored version, and saved by compare-and-set (actor-host.ts, HostPolicy.versioned).
    const partnerSnapshots = upgradingPartnerSnapshots(storage.partnerSnapshots);
    const partnerHost: ActorHost<typeof partnerLogic> = new ActorHost(partnerLogic, PARTNER_MACHINE_VERSION, partnerSnapshots, this.commits, now, undefined, undefined, ownership ? { versioned: partnerSnapshots } : {});
    this.partners = new Partners({
      host: partnerHost,
      ids: () => storage.partnerSnapshots.ids(),
      tokens: storage.credentialsTokens,
      gateway,
      secrets,
      clock,
      invitationTtlSeconds: settings.invitationTtlSeconds,
      ourCredentials: ports.ourCredentials,
      discard: (id) =>
        storage.transact(() => {
          partnerHost.forget(id);
          storage.partnerSnapshots.delete(id);
        }),
    });
    const holderOf = storage.tokens.holderOf;
    this.realTime = new RealTimeAuthorization({ partners: this.partners, gateway, logger, timeoutMs: settings.authorizeTimeoutMs, holderOf });
    this.deliveries = new Deliveries({
      outbox: storage.outbox,
      // The payments channel reports back to the guest sessions, which exist by the time anything is delivered.
      senderFor: (channel) => (channel === PAYMENTS_CHANNEL ? paymentJobsSender(ports.payments, () => this.guests) : partnerPushSender(channel, { partners: this.partners, gateway })),
      transact: storage.transact,
      clock,
      logger,
      policy: settings.delivery,
      afterCommit,
      ...(ports.onDeadLetter ? { onDeadLetter: ports.onDeadLetter } : {}),
      ...(ports.deliveryLease ? { lease: ports.deliveryLease } : {}),
    });
    this.feed = new OutboxFeed(this.deliveries, this.partners, holderOf, settings.sessionPatchIntervalSeconds * 1000);
    this.network = ports.network(this.feed);

    const sessionLogic = sessionMachine.provide({
      actions: {
        record: ({ context }, { entries }) => sessionHost.deferred(() => this.sessions.record(context, entries))(),
        publish: ({ context }, { status }) => sessionHost.deferred(() => this.sessions.publish(context, status))(),
      },
    });
    // Several nodes: a station's actors are written only by the node holding its socket (fenced by epoch), and
    // kept in memory only there.
    const stationPolicy = (stationOf: (id: string, context: any) => string) =>
      ownership ? { fence: (id: string, context: unknown) => ownership.fence(stationOf(id, context)), keep: (id: string, context: unknown) => ownership.holds(stationOf(id, context)) } : {};
    const sessionHost: ActorHost<typeof sessionLogic> = new ActorHost(sessionLogic, SESSION_MACHINE_VERSION, storage.sessions.snapshots, this.commits, now, undefined, undefined, stationPolicy((_, context) => context.chargePointId));
    this.sessions = new Sessions({
      host: sessionHost,
      store: storage.sessions,
      placeOf: (chargePointId, ocppEvseId, at, tariffType) => this.network.sessionPlace(chargePointId, ocppEvseId, at, tariffType),
      owner: settings.owner,
      // Guests hear about their sessions in the same transaction as the partners' pushes are queued.
      feed: {
        sessionChanged: (previous, next) => {
          this.feed.sessionChanged(previous, next);
          this.guests.sessionChanged(next);
        },
        cdrCreated: (cdr) => {
          this.feed.cdrCreated(cdr);
          this.guests.cdrCreated(cdr);
        },
      },
      clock,
      logger,
    });

    const offlineGraceMs = settings.offlineGraceSeconds * 1000;
    const chargePointLogic = chargePointMachine.provide({
      delays: { offlineGrace: ({ context }) => Math.max(0, Date.parse(context.disconnectedAt ?? '') + offlineGraceMs - clock.now().getTime() || 0) },
      actions: {
        announceOffline: ({ context }) => this.chargePoints.announceOffline(context.id),
        publishStatuses: ({ context, event }) => chargePointHost.deferred(() => this.chargePoints.publishStatuses(context, 'at' in event ? event.at : ocpiDateTime(clock.now())))(),
      },
    });
    const chargePointHost: ActorHost<typeof chargePointLogic> = new ActorHost(
      chargePointLogic,
      CHARGE_POINT_MACHINE_VERSION,
      storage.chargePoints.snapshots,
      this.commits,
      now,
      xstateClock(clock),
      // Most stations are idle most of the time: their actors wait in storage, not in memory.
      settings.actorIdleEvictSeconds > 0 ? { afterMs: settings.actorIdleEvictSeconds * 1000, clock } : undefined,
      stationPolicy((id) => id),
    );
    this.liveness = new Liveness({ store: storage.chargePoints.lastSeen, transact: storage.transact, clock, logger });
    this.chargePoints = new ChargePoints({
      host: chargePointHost,
      liveness: this.liveness,
      ids: () => storage.chargePoints.snapshots.ids(),
      sink: this.network,
      rule: ports.evseStatus,
      transact: storage.transact,
      clock,
      logger,
      removal: {
        registration: { exists: (id) => storage.chargePoints.get(id) !== undefined, delete: (id) => storage.chargePoints.delete(id) },
        sessions: { runningAt: (id) => storage.chargePoints.runningSessions(id), stop: (id, at, reason) => this.sessions.stop(id, at, undefined, reason) },
        disconnect: (id, reason) => stations.disconnect(id, reason),
      },
      isConnected: (id) => stations.isConnected(id),
      offlineGraceMs,
    });

    const onOwner: OnStationOwner = ports.onStationOwner ?? ((_, write) => write);
    const station = {
      protocolOf: (cp: string) => this.chargePoints.view(cp)?.protocol,
      call: (cp: string, action: string, payload: unknown, timeoutMs: number) => stations.call(cp, action, payload, timeoutMs),
    };
    // OCPI commands and charging-profile requests: station calls with a deadline and one result each.
    this.commandActors = new CommandActors({
      store: storage.commands,
      station,
      deliverResult: (partnerId, commandId, responseUrl, body, to) => this.feed.commandResult(partnerId, commandId, responseUrl, body, to),
      transact: storage.transact,
      clock,
      logger,
      timeoutSeconds: settings.commandTimeoutSeconds,
    });
    const location = (reader: Reader, locationId: string) => this.network.location(reader, locationId);
    this.commands = new Commands(
      {
        store: storage.commands,
        location,
        binding: (locationId, evseUid) => this.network.bindingOf(locationId, evseUid),
        session: (id) => this.sessions.view(id),
        runningOn: (cp, evse) => this.sessions.runningOn(cp, evse),
        station,
        // Several nodes: a reservation's session is the station's, whichever node took the command or its expiry.
        reservationSessions: {
          reserved: onOwner('reservation-reserved', (r: ReservedSession) => whenCommitted(this.commits, () => this.sessions.reserve(r))),
          ended: onOwner('reservation-ended', (r: EndedReservation) => whenCommitted(this.commits, () => this.sessions.endReservation(r.chargePointId, r.reservationId, r.reason))),
        },
        adoptToken: (partnerId, token) => storage.tokens.adopt(partnerId, token),
        clock,
        logger,
        timeoutSeconds: settings.commandTimeoutSeconds,
        deadlines: this.deadlines,
        transact: storage.transact,
      },
      this.commandActors,
    );
    this.chargingProfiles = new ChargingProfiles(
      {
        store: storage.chargingProfiles,
        openCommands: () => storage.commands.open(),
        session: (id) => this.sessions.view(id),
        // EVSE 0 (2.0.1) or none: the whole station.
        runningAt: (cp, evse) => {
          if (evse === undefined || evse === 0) return storage.chargePoints.runningSessions(cp);
          const id = this.sessions.runningOn(cp, evse);
          return id ? [id] : [];
        },
        location,
        station,
        tell: (partnerId, sessionId, active, to) => this.feed.activeChargingProfile(partnerId, sessionId, active, to),
        transact: storage.transact,
        clock,
        logger,
        timeoutSeconds: settings.commandTimeoutSeconds,
      },
      this.commandActors,
    );

    const guestLogic = guestSessionMachine.provide({
      delays: { expiry: ({ context }) => Math.max(0, Date.parse(context.expiresAt) - clock.now().getTime()) },
      // After the timer's transition, not inside it: expiring sends the actor an event and commits with the release.
      actions: {
        expire: ({ context }) => queueMicrotask(() => this.guests.expire(context.id)),
        releaseHold: ({ context }) => guestHost.deferred(() => this.guests.releaseHold(context))(),
        settle: ({ context }) => guestHost.deferred(() => this.guests.settle(context))(),
      },
    });
    // Several nodes: a guest session hears from the station's owner (its session), the payments channel's node
    // (capture, release) and whichever node the driver's app reaches (authorize, stop): versioned as partners are.
    const guestSnapshots = storage.guestSessions.snapshots;
    const guestHost: ActorHost<typeof guestLogic> = new ActorHost(guestLogic, GUEST_MACHINE_VERSION, guestSnapshots, this.commits, now, xstateClock(clock), undefined, ownership ? { versioned: guestSnapshots } : {});
    this.guests = new GuestSessions({
      host: guestHost,
      idByIdTag: (idTag) => storage.guestSessions.idByIdTag(idTag),
      ids: () => storage.guestSessions.ids(),
      idsSince: (createdAtMs) => storage.guestSessions.idsSince(createdAtMs),
      claimStep: (id, step) => storage.guestSessions.claimStep(id, step),
      transact: storage.transact,
      station: guestStation(storage.chargePoints, this.chargePoints, stations),
      payments: ports.payments,
      currencyAt: (cp, evse) => this.network.sessionPlace(cp, evse, ocpiDateTime(clock.now()), 'AD_HOC_PAYMENT')?.currency,
      runningOn: (cp, evse) => this.sessions.runningOn(cp, evse),
      session: (id) => {
        const context = this.sessions.view(id)?.context;
        return context && { transactionId: context.transactionId, protocol: context.protocol };
      },
      enqueue: (job) => this.deliveries.enqueue(job),
      afterCommit,
      secrets,
      clock,
      logger,
      owner: settings.owner,
      settings: { ...settings.guest, callTimeoutSeconds: settings.commandTimeoutSeconds },
    });
    this.hosts = { partner: partnerHost, session: sessionHost, 'charge-point': chargePointHost, guest: guestHost };
  }

  /** A registration (either direction) commits with its initial sync queued; the partner's tokens are pulled after. */
  private connectionOpened(partnerId: string) {
    const { tariffs, locations } = this.network.snapshot();
    this.feed.initialSync(partnerId, tariffs, locations);
    const { partnerGateway: gateway, logger, storage } = this.ports;
    // After the commit: their tokens feed our whitelist; a failure is logged and their later pushes fill the cache anyway.
    this.commits.afterCommit(() =>
      void pullTokens(partnerId, { partners: this.partners, gateway, logger, tokens: storage.tokens }).catch((error: Error) =>
        logger.warn('Pulling the partner’s tokens failed', { partnerId, error }),
      ),
    );
    // A hub's parties: until it reports them, every party behind it counts as reachable.
    this.commits.afterCommit(() =>
      void pullClientInfo(partnerId, { partners: this.partners, gateway, logger }).catch((error: Error) =>
        logger.warn('Pulling the hub’s ClientInfo failed', { partnerId, error }),
      ),
    );
  }

  /** Inside the unregistration's commit: nothing more goes out to the partner, and its tokens no longer authorize. */
  private connectionClosed(partnerId: string) {
    this.deliveries.cancel(partnerId);
    this.ports.storage.tokens.deleteForPartner(partnerId);
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
