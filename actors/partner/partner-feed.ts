import type { CDR } from '../../src/model/ocpi/cdr.ts';
import type { EVSE, Location } from '../../src/model/ocpi/location.ts';
import type { Session } from '../../src/model/ocpi/session.ts';
import type { Tariff } from '../../src/model/ocpi/tariff.ts';
import type { PartnerFeed, Visibility } from '../../src/charging-network/partner-feed.ports.ts';
import type { Deliveries } from './deliveries.ts';
import { receiversOf } from './partner-push.ts';
import type { Partners } from './partners.ts';
import type { PartnerView } from './partners.ts';

const key = (id: string) => id.toUpperCase();
const ownerPath = (o: { country_code: string; party_id: string }, ...ids: string[]) =>
  `/${[o.country_code, o.party_id, ...ids].map(encodeURIComponent).join('/')}`;
const owns = (partner: PartnerView, token: { country_code: string; party_id: string }) =>
  partner.roles?.some((r) => key(r.country_code) === key(token.country_code) && key(r.party_id) === key(token.party_id)) ?? false;

/**
 * Turns changes into outbox rows for the partners concerned (OCPI 2.2.1 Receiver interfaces): Locations and
 * Tariffs to every eMSP that may see them, Sessions and CDRs only to the eMSP whose token it is. Rows of one
 * object share an object key, so they are delivered in the order they were made.
 */
export class OutboxFeed implements PartnerFeed {
  constructor(
    private readonly deliveries: Deliveries,
    private readonly partners: Partners,
  ) {}

  locationChanged(location: Location, visibleTo: Visibility) {
    for (const partner of this.receivers('locations').filter((p) => visibleTo(p.id)))
      this.enqueue(partner, `location:${key(location.id)}`, 'PUT', 'locations', ownerPath(location, location.id), location);
  }

  evseChanged(location: Location, evse: EVSE, fields: Partial<EVSE>, visibleTo: Visibility) {
    // Same object key as the location: a status PATCH never overtakes the PUT that created the EVSE.
    for (const partner of this.receivers('locations').filter((p) => visibleTo(p.id)))
      this.enqueue(partner, `location:${key(location.id)}`, 'PATCH', 'locations', ownerPath(location, location.id, evse.uid), {
        ...fields,
        last_updated: evse.last_updated,
      });
  }

  tariffChanged(tariff: Tariff) {
    for (const partner of this.receivers('tariffs')) this.enqueue(partner, `tariff:${key(tariff.id)}`, 'PUT', 'tariffs', ownerPath(tariff, tariff.id), tariff);
  }

  tariffDeleted(tariff: Tariff) {
    for (const partner of this.receivers('tariffs')) this.enqueue(partner, `tariff:${key(tariff.id)}`, 'DELETE', 'tariffs', ownerPath(tariff, tariff.id), null);
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
    for (const partner of this.receivers('sessions').filter((p) => owns(p, next.cdr_token))) {
      const path = ownerPath(next, next.id);
      if (!previous || final) this.enqueue(partner, `session:${key(next.id)}`, 'PUT', 'sessions', path, next);
      else
        this.enqueue(partner, `session:${key(next.id)}`, 'PATCH', 'sessions', path, {
          kwh: next.kwh,
          ...(closedNow > closedBefore ? { charging_periods: next.charging_periods!.slice(closedBefore, closedNow) } : {}),
          ...(next.total_cost ? { total_cost: next.total_cost } : {}),
          status: next.status,
          last_updated: next.last_updated,
        });
    }
  }

  cdrCreated(cdr: CDR) {
    for (const partner of this.receivers('cdrs').filter((p) => owns(p, cdr.cdr_token)))
      this.enqueue(partner, `cdr:${key(cdr.id)}`, 'POST', 'cdrs', '', cdr);
  }

  /** A partner that just registered gets our tariffs, then the locations it may see (tariffs first: 4.4). */
  initialSync(partnerId: string, tariffs: Tariff[], locations: Location[]) {
    const partner = this.receivers('tariffs').find((p) => p.id === partnerId);
    if (partner) for (const tariff of tariffs) this.enqueue(partner, `tariff:${key(tariff.id)}`, 'PUT', 'tariffs', ownerPath(tariff, tariff.id), tariff);
    const receiver = this.receivers('locations').find((p) => p.id === partnerId);
    if (receiver) for (const location of locations) this.enqueue(receiver, `location:${key(location.id)}`, 'PUT', 'locations', ownerPath(location, location.id), location);
  }

  /** A command's result goes to the response_url the eMSP gave with the command. */
  commandResult(partnerId: string, commandKey: string, responseUrl: string, result: unknown) {
    this.deliveries.enqueue({ channel: partnerId, objectKey: `command:${commandKey}`, method: 'POST', module: null, path: responseUrl, body: result });
  }

  private receivers(module: string) {
    return receiversOf(this.partners, module);
  }

  private enqueue(partner: PartnerView, objectKey: string, method: 'PUT' | 'PATCH' | 'POST' | 'DELETE', module: string, path: string, body: unknown) {
    this.deliveries.enqueue({ channel: partner.id, objectKey, method, module, path, body });
  }
}
