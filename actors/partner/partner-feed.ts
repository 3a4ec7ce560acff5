import { partyOf, sameParty, type Party } from '../../src/domain/parties.ts';
import type { CDR } from '../../src/model/ocpi/cdr.ts';
import type { ActiveChargingProfile } from '../../src/model/ocpi/charging-profiles.ts';
import type { EVSE, Location } from '../../src/model/ocpi/location.ts';
import type { Session } from '../../src/model/ocpi/session.ts';
import type { Tariff } from '../../src/model/ocpi/tariff.ts';
import type { Audience, LocationFor, PartnerFeed } from '../../src/charging-network/partner-feed.ports.ts';
import type { TokenKey } from '../../src/storage/ports.ts';
import type { Deliveries } from './deliveries.ts';
import { receiversOf } from './partner-push.ts';
import type { Partners, PartnerView } from './partners.ts';

const key = (id: string) => id.toUpperCase();
const ownerPath = (o: { country_code: string; party_id: string }, ...ids: string[]) =>
  `/${[o.country_code, o.party_id, ...ids].map(encodeURIComponent).join('/')}`;

/** One push: to which connection, and to which party behind it (undefined: the connection as a whole). */
type Route = { partner: PartnerView; to?: Party };

/** The running figures of a Session PATCH, and the periods that closed since the last change. */
type SessionPatch = Pick<Session, 'kwh' | 'total_cost' | 'status' | 'last_updated'> & { charging_periods?: Session['charging_periods'] };

/**
 * Turns changes into outbox rows for the partner connections concerned (OCPI 2.2.1 Receiver interfaces).
 * Locations and Tariffs go once per connection — a hub passes them on to the parties behind it — except a
 * location only some parties may see, which goes to each of them. Sessions and CDRs go to the one party whose
 * token it is, through the connection that brought that token. Rows of one object to one party share an object
 * key, so they are delivered in the order they were made.
 */
export class OutboxFeed implements PartnerFeed {
  constructor(
    private readonly deliveries: Deliveries,
    private readonly partners: Partners,
    /** The partner connection that brought a driver token (pushed, pulled, answered for or commanded with it). */
    private readonly holderOf: (token: TokenKey) => string | undefined,
    /** At most one Session PATCH per session and party in this time; 0 pushes every change as it happens. */
    private readonly sessionPatchIntervalMs: number,
  ) {}

  locationChanged(location: Location, audience: Audience) {
    for (const route of this.audienceRoutes(audience))
      this.enqueue(route, `location:${key(location.id)}`, 'PUT', 'locations', ownerPath(location, location.id), location);
  }

  evseChanged(location: Location, evse: EVSE, fields: Partial<EVSE>, audience: Audience) {
    // Same object key as the location: a status PATCH never overtakes the PUT that created the EVSE.
    for (const route of this.audienceRoutes(audience))
      this.enqueue(route, `location:${key(location.id)}`, 'PATCH', 'locations', ownerPath(location, location.id, evse.uid), {
        ...fields,
        last_updated: evse.last_updated,
      });
  }

  tariffChanged(tariff: Tariff) {
    for (const partner of this.receivers('tariffs')) this.enqueue({ partner }, `tariff:${key(tariff.id)}`, 'PUT', 'tariffs', ownerPath(tariff, tariff.id), tariff);
  }

  tariffDeleted(tariff: Tariff) {
    for (const partner of this.receivers('tariffs')) this.enqueue({ partner }, `tariff:${key(tariff.id)}`, 'DELETE', 'tariffs', ownerPath(tariff, tariff.id), null);
  }

  /**
   * PUT when a partner first hears of a session, when its status changes and when it completes (PUT replaces
   * the periods: the final state is exact); PATCH in between with the running figures and only the periods that
   * closed since — a Session PATCH appends charging_periods (OCPI 2.2.1 sessions).
   */
  sessionChanged(previous: Session | undefined, next: Session) {
    // A new status (RESERVATION → ACTIVE, PENDING → ACTIVE, the final one) is a full PUT: start time and token may
    // have changed with it, and PUT replaces what the eMSP held.
    const final = next.status === 'COMPLETED' || next.status === 'INVALID' || previous?.status !== next.status;
    const closedBefore = Math.max(0, (previous?.charging_periods?.length ?? 0) - 1);
    const closedNow = Math.max(0, (next.charging_periods?.length ?? 0) - 1);
    const patch: SessionPatch | undefined =
      !previous || final
        ? undefined
        : {
            kwh: next.kwh,
            ...(closedNow > closedBefore ? { charging_periods: next.charging_periods!.slice(closedBefore, closedNow) } : {}),
            ...(next.total_cost ? { total_cost: next.total_cost } : {}),
            status: next.status,
            last_updated: next.last_updated,
          };
    for (const route of this.tokenRoutes('sessions', next.cdr_token)) {
      const objectKey = `session:${key(next.id)}`;
      const path = ownerPath(next, next.id);
      if (this.sessionPatchIntervalMs === 0) this.enqueue(route, objectKey, patch ? 'PATCH' : 'PUT', 'sessions', path, patch ?? next);
      else this.coalesce(route, objectKey, path, next, patch);
    }
  }

  /**
   * Session changes go out at most once per interval, the latest state winning: a change that finds the
   * session's last push still waiting (held, failing, or queued behind others) is merged into it instead of
   * queued after it. A new status or the final state goes at once and replaces whatever still waited; a PATCH
   * waits until the interval since the session's last push has passed. Held changes are outbox rows with their
   * due time, so a restart loses none.
   */
  private coalesce(route: Route, objectKey: string, path: string, next: Session, patch: SessionPatch | undefined) {
    const to = route.to ?? null;
    const waiting = this.deliveries.waiting(route.partner.id, objectKey, to);
    if (!patch) {
      if (waiting) this.deliveries.replace(waiting, { method: 'PUT', body: next }, true);
      else this.enqueue(route, objectKey, 'PUT', 'sessions', path, next);
    } else if (waiting?.method === 'PUT') this.deliveries.replace(waiting, { method: 'PUT', body: next });
    else if (waiting) this.deliveries.replace(waiting, { method: 'PATCH', body: mergedPatch(waiting.body as SessionPatch, patch) });
    else {
      const last = this.deliveries.latest(route.partner.id, objectKey, to);
      const lastPushMs = last && (last.deliveredAtMs ?? last.nextAttemptAtMs);
      this.enqueue(route, objectKey, 'PATCH', 'sessions', path, patch, lastPushMs === undefined ? undefined : lastPushMs + this.sessionPatchIntervalMs);
    }
  }

  cdrCreated(cdr: CDR) {
    for (const route of this.tokenRoutes('cdrs', cdr.cdr_token)) this.enqueue(route, `cdr:${key(cdr.id)}`, 'POST', 'cdrs', '', cdr);
  }

  /** A partner that just registered gets our tariffs, then the locations it may see (tariffs first: 4.4). */
  initialSync(partnerId: string, tariffs: Tariff[], locations: LocationFor[]) {
    const partner = this.receivers('tariffs').find((p) => p.id === partnerId);
    if (partner) for (const tariff of tariffs) this.enqueue({ partner }, `tariff:${key(tariff.id)}`, 'PUT', 'tariffs', ownerPath(tariff, tariff.id), tariff);
    for (const { location, audience } of locations)
      for (const route of this.audienceRoutes(audience).filter((r) => r.partner.id === partnerId))
        this.enqueue(route, `location:${key(location.id)}`, 'PUT', 'locations', ownerPath(location, location.id), location);
  }

  /** A command's (or charging-profile request's) result goes to the response_url the eMSP gave with it, addressed to the party that sent it. */
  commandResult(partnerId: string, commandKey: string, responseUrl: string, result: unknown, to: Party | null) {
    this.deliveries.enqueue({ channel: partnerId, objectKey: `command:${commandKey}`, method: 'POST', module: null, path: responseUrl, body: result, ...(to ? { to } : {}) });
  }

  /**
   * A session's schedule changed: the eMSP that set its profile hears it, addressed to the session's token party,
   * when it publishes where (OCPI 2.2.1 4.7).
   */
  activeChargingProfile(partnerId: string, sessionId: string, active: ActiveChargingProfile, to: Party) {
    const partner = this.receivers('chargingprofiles').find((p) => p.id === partnerId);
    if (partner) this.enqueue({ partner, to: partyOf(to) }, `chargingprofile:${key(sessionId)}`, 'PUT', 'chargingprofiles', `/${encodeURIComponent(sessionId)}`, active);
  }

  private receivers(module: string) {
    return receiversOf(this.partners, module);
  }

  /** Everyone: each connection once; else each allowed party through the connection that brought its token. */
  private audienceRoutes(audience: Audience): Route[] {
    const receivers = this.receivers('locations');
    if (audience === 'everyone') return receivers.map((partner) => ({ partner }));
    return audience.flatMap(({ partnerId, party }) => receivers.filter((p) => p.id === partnerId).map((partner) => ({ partner, to: partyOf(party) })));
  }

  /**
   * The connection that brought the token, else (a token we never held) every connection registering the token's
   * party as a role; addressed to that party.
   */
  private tokenRoutes(module: string, token: TokenKey): Route[] {
    const holder = this.holderOf(token);
    const receivers = this.receivers(module);
    const routes = holder === undefined ? receivers.filter((p) => p.roles?.some((r) => sameParty(r, token))) : receivers.filter((p) => p.id === holder);
    return routes.map((partner) => ({ partner, to: partyOf(token) }));
  }

  private enqueue(route: Route, objectKey: string, method: 'PUT' | 'PATCH' | 'POST' | 'DELETE', module: string, path: string, body: unknown, dueAtMs?: number) {
    this.deliveries.enqueue({ channel: route.partner.id, objectKey, method, module, path, body, ...(route.to ? { to: route.to } : {}) }, dueAtMs);
  }
}

/** Two PATCHes of one session as one: the later figures, the periods of both (a PATCH appends them). */
function mergedPatch(earlier: SessionPatch, later: SessionPatch): SessionPatch {
  const periods = [...(earlier.charging_periods ?? []), ...(later.charging_periods ?? [])];
  const { charging_periods: _, ...figures } = { ...earlier, ...later };
  return { ...figures, ...(periods.length > 0 ? { charging_periods: periods } : {}) };
}
