import type { Party } from '../domain/parties.ts';
import type { CDR } from '../model/ocpi/cdr.ts';
import type { EVSE, Location } from '../model/ocpi/location.ts';
import type { Session } from '../model/ocpi/session.ts';
import type { Tariff } from '../model/ocpi/tariff.ts';

/**
 * Who may see a location (OCPI 2.2.1 Location publish / publish_allowed_to): everyone when published, else only
 * the owners of the tokens it allows — each a party, reached through the partner connection that brought its token.
 */
export type Audience = 'everyone' | { partnerId: string; party: Party }[];

/** A location with whom it goes to, for a newly registered partner's first sync. */
export interface LocationFor {
  location: Location;
  audience: Audience;
}

/**
 * What partners must hear about. Every call happens inside the transaction that makes the change, so the
 * push is stored with it (implemented by the partner outbox, actors/partner/partner-feed.ts).
 */
export interface PartnerFeed {
  locationChanged(location: Location, audience: Audience): void;
  evseChanged(location: Location, evse: EVSE, fields: Partial<EVSE>, audience: Audience): void;
  tariffChanged(tariff: Tariff): void;
  tariffDeleted(tariff: Tariff): void;
  sessionChanged(previous: Session | undefined, next: Session): void;
  cdrCreated(cdr: CDR): void;
}
