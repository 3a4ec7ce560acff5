/**
 * Locations Receiver (OCPI 2.2.1 locations, eMSP side): the CPO PUTs Locations, EVSEs and Connectors and PATCHes
 * them — an EVSE status change is the most common push of all. GET lets the CPO check what we hold.
 */
import type { Connector, EVSE, Location } from '../../model/ocpi/location.ts';
import type { EmspContext } from './context.ts';
import { ok } from './envelope.ts';
import { MODULES_PATH } from './paths.ts';
import type { Route } from './router.ts';
import { requireObject, requirePatch, requireSameIds, requireStrings } from './validate.ts';

const LOCATION_FIELDS = ['country_code', 'party_id', 'id', 'publish', 'address', 'city', 'country', 'coordinates', 'time_zone', 'last_updated'] as const;
const EVSE_FIELDS = ['uid', 'status', 'connectors', 'last_updated'] as const;
const CONNECTOR_FIELDS = ['id', 'standard', 'format', 'power_type', 'max_voltage', 'max_amperage', 'last_updated'] as const;

export function locationsRoutes(ctx: EmspContext): Route[] {
  const { locations } = ctx;
  const location = `${MODULES_PATH}/locations/:cc/:pid/:location`;
  const evse = `${location}/:evse`;
  const connector = `${evse}/:connector`;
  const created = (isNew: boolean) => ok(undefined, { status: isNew ? 201 : 200 });
  return [
    { method: 'GET', path: location, access: 'functional', handle: ({ params: p }) => ok(locations.location(p.cc!, p.pid!, p.location!)) },
    { method: 'GET', path: evse, access: 'functional', handle: ({ params: p }) => ok(locations.evse(p.cc!, p.pid!, p.location!, p.evse!)) },
    {
      method: 'GET',
      path: connector,
      access: 'functional',
      handle: ({ params: p }) => ok(locations.connector(p.cc!, p.pid!, p.location!, p.evse!, p.connector!)),
    },

    {
      method: 'PUT',
      path: location,
      access: 'functional',
      handle({ params: p, body }) {
        const put = requireObject<Location>(body, 'Location', LOCATION_FIELDS);
        requireStrings(put, 'Location', ['country_code', 'party_id', 'id', 'last_updated']);
        requireSameIds('Location', [['country_code', p.cc!, put.country_code], ['party_id', p.pid!, put.party_id], ['id', p.location!, put.id]]);
        const isNew = locations.putLocation(p.cc!, p.pid!, p.location!, put);
        ctx.emit('location', `${put.id} ${isNew ? 'received' : 'replaced'} (${put.evses?.length ?? 0} EVSEs: ${statuses(put.evses)})`);
        return created(isNew);
      },
    },
    {
      method: 'PUT',
      path: evse,
      access: 'functional',
      handle({ params: p, body }) {
        const put = requireObject<EVSE>(body, 'EVSE', EVSE_FIELDS);
        requireStrings(put, 'EVSE', ['uid', 'status', 'last_updated']);
        requireSameIds('EVSE', [['uid', p.evse!, put.uid]]);
        const isNew = locations.putEvse(p.cc!, p.pid!, p.location!, put);
        ctx.emit('evse', `${p.location}/${put.uid} ${isNew ? 'added' : 'replaced'}: ${put.status}`);
        return created(isNew);
      },
    },
    {
      method: 'PUT',
      path: connector,
      access: 'functional',
      handle({ params: p, body }) {
        const put = requireObject<Connector>(body, 'Connector', CONNECTOR_FIELDS);
        requireStrings(put, 'Connector', ['id', 'last_updated']);
        requireSameIds('Connector', [['id', p.connector!, put.id]]);
        return created(locations.putConnector(p.cc!, p.pid!, p.location!, p.evse!, put));
      },
    },

    {
      method: 'PATCH',
      path: location,
      access: 'functional',
      handle({ params: p, body }) {
        const patch = requirePatch<Location>(body, 'Location');
        requireSameIds('Location', [['country_code', p.cc!, patch.country_code], ['party_id', p.pid!, patch.party_id], ['id', p.location!, patch.id]]);
        locations.patchLocation(p.cc!, p.pid!, p.location!, patch);
        return ok();
      },
    },
    {
      method: 'PATCH',
      path: evse,
      access: 'functional',
      handle({ params: p, body }) {
        const patch = requirePatch<EVSE>(body, 'EVSE');
        requireSameIds('EVSE', [['uid', p.evse!, patch.uid]]);
        const updated = locations.patchEvse(p.cc!, p.pid!, p.location!, p.evse!, patch);
        if (patch.status !== undefined) ctx.emit('evse', `${p.location}/${updated.uid} is ${updated.status}`);
        return ok();
      },
    },
    {
      method: 'PATCH',
      path: connector,
      access: 'functional',
      handle({ params: p, body }) {
        const patch = requirePatch<Connector>(body, 'Connector');
        requireSameIds('Connector', [['id', p.connector!, patch.id]]);
        locations.patchConnector(p.cc!, p.pid!, p.location!, p.evse!, p.connector!, patch);
        return ok();
      },
    },
  ];
}

function statuses(evses: EVSE[] | undefined): string {
  return (evses ?? []).map((e) => e.status).join(', ') || 'none';
}
