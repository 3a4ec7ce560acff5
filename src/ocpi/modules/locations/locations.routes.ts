import { Elysia, t } from 'elysia';
import { Connector, EVSE, Location } from '../../../model/ocpi/location.ts';
import { CiString } from '../../../model/ocpi/types.ts';
import { envelope, Envelope, OcpiErrorResponses } from '../../transport/envelope.ts';
import { OcpiErrors } from '../../transport/ocpi-error.ts';
import { PageQuery, pagedList } from '../../transport/pagination.ts';
import { tokenAuth } from '../../transport/token-auth.plugin.ts';
import { cpoBasePath, type OcpiDeps, type OcpiModule } from '../../ocpi-deps.ts';

export const locationsModule: OcpiModule = { identifier: 'locations', role: 'SENDER' };
const limits = { defaultLimit: 25, maxLimit: 100 };

/** Locations Sender interface (OCPI 2.2.1 locations): list, location, EVSE, connector. */
export function locationsRoutes(deps: OcpiDeps) {
  const { config, clock, partners, network } = deps;
  return new Elysia({ name: 'ocpi.locations', prefix: `${cpoBasePath}/locations`, detail: { tags: ['OCPI locations'] } })
    .use(tokenAuth(partners, config, 'functional'))
    .get(
      '',
      pagedList(() => config.publicUrl, clock, limits, (partner, page) => network.locationsPage(partner, page)),
      { query: PageQuery, response: Envelope(t.Array(Location)), detail: { summary: 'Locations, oldest first (default 25, max 100 per page)' } },
    )
    .get(
      '/:location_id',
      ({ partner, params }) => {
        const location = network.location(partner, params.location_id);
        if (!location) throw OcpiErrors.unknownLocation(`Unknown location ${params.location_id}`);
        return envelope(clock, location);
      },
      { params: t.Object({ location_id: CiString(36) }), response: { 200: Envelope(Location), 404: OcpiErrorResponses.unknownLocation }, detail: { summary: 'One location' } },
    )
    .get(
      '/:location_id/:evse_uid',
      ({ partner, params }) => {
        const evse = network.evse(partner, params.location_id, params.evse_uid);
        if (!evse) throw OcpiErrors.unknownLocation(`Unknown EVSE ${params.evse_uid} at location ${params.location_id}`);
        return envelope(clock, evse);
      },
      { params: t.Object({ location_id: CiString(36), evse_uid: CiString(36) }), response: { 200: Envelope(EVSE), 404: OcpiErrorResponses.unknownLocation }, detail: { summary: 'One EVSE' } },
    )
    .get(
      '/:location_id/:evse_uid/:connector_id',
      ({ partner, params }) => {
        const connector = network.connector(partner, params.location_id, params.evse_uid, params.connector_id);
        if (!connector)
          throw OcpiErrors.unknownLocation(`Unknown connector ${params.connector_id} of EVSE ${params.evse_uid} at location ${params.location_id}`);
        return envelope(clock, connector);
      },
      {
        params: t.Object({ location_id: CiString(36), evse_uid: CiString(36), connector_id: CiString(36) }),
        response: { 200: Envelope(Connector), 404: OcpiErrorResponses.unknownLocation },
        detail: { summary: 'One connector' },
      },
    );
}
