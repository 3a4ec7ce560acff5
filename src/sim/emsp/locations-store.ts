/**
 * The Locations the CPO pushed to our Receiver interface (OCPI 2.2.1 locations, eMSP Receiver), as an eMSP
 * stores them: PUT replaces a Location, EVSE or Connector; PATCH merges the given fields (a list in a PATCH is
 * the field's new value). A change below the Location bumps the `last_updated` of the objects above it, as the
 * Receiver SHALL (last_updated rules).
 */
import { parseOcpiDateTime } from '../../lib/clock.ts';
import type { Connector, EVSE, Location } from '../../model/ocpi/location.ts';
import { OcpiStatus, problems } from './envelope.ts';

export type LocationsStore = ReturnType<typeof createLocationsStore>;

/** CiString ids: compared case-insensitively. */
const same = (a: string, b: string) => a.toUpperCase() === b.toUpperCase();
const keyOf = (countryCode: string, partyId: string, locationId: string) => `${countryCode}/${partyId}/${locationId}`.toUpperCase();

export function createLocationsStore() {
  const locations = new Map<string, Location>();

  function location(countryCode: string, partyId: string, locationId: string): Location {
    const found = locations.get(keyOf(countryCode, partyId, locationId));
    if (!found) throw problems.notFound(`Unknown location ${countryCode}/${partyId}/${locationId}: PUT it first`, OcpiStatus.unknownLocation);
    return found;
  }
  function evse(at: Location, evseUid: string): EVSE {
    const found = at.evses?.find((e) => same(e.uid, evseUid));
    if (!found) throw problems.notFound(`Unknown EVSE ${evseUid} at location ${at.id}`, OcpiStatus.unknownLocation);
    return found;
  }
  function connector(of: EVSE, connectorId: string): Connector {
    const found = of.connectors.find((c) => same(c.id, connectorId));
    if (!found) throw problems.notFound(`Unknown connector ${connectorId} of EVSE ${of.uid}`, OcpiStatus.unknownLocation);
    return found;
  }

  return {
    list: (): Location[] => [...locations.values()],
    location,
    evse: (countryCode: string, partyId: string, locationId: string, evseUid: string) => evse(location(countryCode, partyId, locationId), evseUid),
    connector: (countryCode: string, partyId: string, locationId: string, evseUid: string, connectorId: string) =>
      connector(evse(location(countryCode, partyId, locationId), evseUid), connectorId),

    /** Returns whether the Location is new to us (HTTP 201 rather than 200). */
    putLocation(countryCode: string, partyId: string, locationId: string, body: Location): boolean {
      const key = keyOf(countryCode, partyId, locationId);
      const created = !locations.has(key);
      locations.set(key, body);
      return created;
    },
    putEvse(countryCode: string, partyId: string, locationId: string, body: EVSE): boolean {
      const at = location(countryCode, partyId, locationId);
      const evses = at.evses ?? [];
      const index = evses.findIndex((e) => same(e.uid, body.uid));
      if (index >= 0) evses[index] = body;
      else evses.push(body);
      at.evses = evses;
      bump(at, body.last_updated);
      return index < 0;
    },
    putConnector(countryCode: string, partyId: string, locationId: string, evseUid: string, body: Connector): boolean {
      const at = location(countryCode, partyId, locationId);
      const parent = evse(at, evseUid);
      const index = parent.connectors.findIndex((c) => same(c.id, body.id));
      if (index >= 0) parent.connectors[index] = body;
      else parent.connectors.push(body);
      bump(parent, body.last_updated);
      bump(at, body.last_updated);
      return index < 0;
    },

    patchLocation(countryCode: string, partyId: string, locationId: string, patch: Partial<Location> & { last_updated: string }): Location {
      const at = location(countryCode, partyId, locationId);
      Object.assign(at, patch);
      return at;
    },
    patchEvse(countryCode: string, partyId: string, locationId: string, evseUid: string, patch: Partial<EVSE> & { last_updated: string }): EVSE {
      const at = location(countryCode, partyId, locationId);
      const target = evse(at, evseUid);
      Object.assign(target, patch);
      bump(at, patch.last_updated);
      return target;
    },
    patchConnector(
      countryCode: string,
      partyId: string,
      locationId: string,
      evseUid: string,
      connectorId: string,
      patch: Partial<Connector> & { last_updated: string },
    ): Connector {
      const at = location(countryCode, partyId, locationId);
      const parent = evse(at, evseUid);
      const target = connector(parent, connectorId);
      Object.assign(target, patch);
      bump(parent, patch.last_updated);
      bump(at, patch.last_updated);
      return target;
    },
  };
}

/** Moves `last_updated` forward only: an older child stamp never makes its parent look older. */
function bump(target: { last_updated: string }, stamp: string) {
  const current = parseOcpiDateTime(target.last_updated);
  const next = parseOcpiDateTime(stamp);
  if (!Number.isFinite(current) || next > current) target.last_updated = stamp;
}
