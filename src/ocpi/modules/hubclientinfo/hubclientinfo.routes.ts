import { Elysia, t } from 'elysia';
import { sameParty } from '../../../domain/parties.ts';
import { ClientInfo } from '../../../model/ocpi/hub-client-info.ts';
import { CiString } from '../../../model/ocpi/types.ts';
import { EmptyEnvelope, envelope, Envelope, OcpiErrorResponses } from '../../transport/envelope.ts';
import { OcpiError, OcpiErrors } from '../../transport/ocpi-error.ts';
import { tokenAuth } from '../../transport/token-auth.plugin.ts';
import { cpoBasePath, type OcpiDeps, type OcpiModule } from '../../ocpi-deps.ts';

export const hubClientInfoModule: OcpiModule = { identifier: 'hubclientinfo', role: 'RECEIVER' };

const PartyParams = t.Object({ country_code: CiString(2), party_id: CiString(3) });

/**
 * HubClientInfo Receiver interface (OCPI 2.2.1 hubclientinfo): a hub we are connected to tells us how each party
 * behind it is connected. A configuration module between platforms: token C, no routing headers. Pushes to a
 * party it reports OFFLINE, PLANNED or SUSPENDED wait in the outbox until it reports the party CONNECTED.
 */
export function hubClientInfoRoutes(deps: OcpiDeps) {
  const { config, clock, partners } = deps;
  return new Elysia({ name: 'ocpi.hubclientinfo', prefix: `${cpoBasePath}/hubclientinfo`, detail: { tags: ['OCPI hubclientinfo'] } })
    .use(tokenAuth(partners, config, 'platform'))
    .get(
      '/:country_code/:party_id',
      ({ partner, params }) => {
        const info = partners.clientInfo(partner, params);
        if (!info) throw new OcpiError(404, 2000, `No ClientInfo for ${params.country_code}/${params.party_id}`);
        return envelope(clock, info);
      },
      {
        params: PartyParams,
        response: { 200: Envelope(ClientInfo), 400: OcpiErrorResponses.invalidParameters, 404: OcpiErrorResponses.unknownClientInfo },
        detail: { summary: 'The ClientInfo we hold for a party behind your hub' },
      },
    )
    .put(
      '/:country_code/:party_id',
      ({ partner, params, body, set }) => {
        if (!sameParty(params, body))
          throw OcpiErrors.invalidParameters(`country_code/party_id: body says ${body.country_code}/${body.party_id}, the URL says ${params.country_code}/${params.party_id}`);
        const known = partners.clientInfo(partner, params) !== undefined;
        if (partners.reportClientInfo(partner, [body]) === 'not-a-hub') throw new OcpiError(403, 2000, 'Only a connection with the role HUB reports ClientInfo');
        set.status = known ? 200 : 201;
        return envelope(clock, undefined);
      },
      {
        params: PartyParams,
        body: ClientInfo,
        response: { 200: EmptyEnvelope, 201: EmptyEnvelope, 400: OcpiErrorResponses.invalidParameters, 403: OcpiErrorResponses.notAHub },
        detail: { summary: 'Report how a party behind your hub is connected (CONNECTED, OFFLINE, PLANNED, SUSPENDED)' },
      },
    );
}
