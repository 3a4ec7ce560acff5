import type { Connector, EVSE, Location } from '../model/ocpi/location.ts';
import { sameContent } from './canonical-json.ts';

type Unstamped<T> = Omit<T, 'last_updated'> & { last_updated?: string };
export type UnstampedConnector = Unstamped<Connector>;
export type UnstampedEvse = Omit<Unstamped<EVSE>, 'connectors'> & { connectors: UnstampedConnector[] };
export type UnstampedLocation = Omit<Unstamped<Location>, 'evses'> & { evses?: UnstampedEvse[] };

const withoutStamp = <T extends { last_updated?: string }>({ last_updated: _, ...rest }: T) => rest;
const sameId = (a: string, b: string) => a.toUpperCase() === b.toUpperCase();

/**
 * Sets `last_updated` on a location and every EVSE and connector: an object keeps its previous stamp when
 * nothing in it changed, takes `now` when it did, and a changed child makes its parents change too
 * (OCPI 2.2.1 Locations: a Connector update bumps its EVSE and Location). So date_from syncs pick up
 * exactly what changed, and nothing else.
 */
export function stampLocation(next: UnstampedLocation, previous: Location | undefined, now: string): Location {
  let changed = !previous;
  const evses = next.evses?.map((evse) => {
    const prior = previous?.evses?.find((e) => sameId(e.uid, evse.uid));
    const stamped = stampEvse(evse, prior, now);
    if (stamped.last_updated === now) changed = true;
    return stamped;
  });
  const location = { ...next, ...(evses ? { evses } : {}) } as Location;
  if (!changed && previous) {
    const { evses: _a, ...own } = withoutStamp(location);
    const { evses: _b, ...ownBefore } = withoutStamp(previous);
    changed = !sameContent(own, ownBefore) || (previous.evses?.length ?? 0) !== (evses?.length ?? 0);
  }
  return { ...location, last_updated: changed ? now : previous!.last_updated };
}

function stampEvse(evse: UnstampedEvse, previous: EVSE | undefined, now: string): EVSE {
  let changed = !previous;
  const connectors = evse.connectors.map((connector) => {
    const prior = previous?.connectors.find((c) => sameId(c.id, connector.id));
    const keep = prior && sameContent(withoutStamp(connector), withoutStamp(prior));
    if (!keep) changed = true;
    return { ...connector, last_updated: keep ? prior.last_updated : now } as Connector;
  });
  if (!changed && previous) {
    const { connectors: _a, ...own } = withoutStamp(evse);
    const { connectors: _b, ...ownBefore } = withoutStamp(previous);
    changed = !sameContent(own, ownBefore) || previous.connectors.length !== connectors.length;
  }
  return { ...evse, connectors, last_updated: changed ? now : previous!.last_updated } as EVSE;
}
