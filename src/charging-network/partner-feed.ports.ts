import type { CDR } from '../model/ocpi/cdr.ts';
import type { EVSE, Location } from '../model/ocpi/location.ts';
import type { Session } from '../model/ocpi/session.ts';
import type { Tariff } from '../model/ocpi/tariff.ts';

/** Who may see a location: published ones everyone, unpublished ones only partners holding a matching token. */
export type Visibility = (partnerId: string) => boolean;

/**
 * What partners must hear about. Every call happens inside the transaction that makes the change, so the
 * push is stored with it (implemented by the partner outbox, actors/partner/partner-feed.ts).
 */
export interface PartnerFeed {
  locationChanged(location: Location, visibleTo: Visibility): void;
  evseChanged(location: Location, evse: EVSE, fields: Partial<EVSE>, visibleTo: Visibility): void;
  tariffChanged(tariff: Tariff): void;
  tariffDeleted(tariff: Tariff): void;
  sessionChanged(previous: Session | undefined, next: Session): void;
  cdrCreated(cdr: CDR): void;
}
