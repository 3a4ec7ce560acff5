import { Elysia, t } from 'elysia';
import { ChargingProfileResponse, SetChargingProfile } from '../../../model/ocpi/charging-profiles.ts';
import { CiString, Url } from '../../../model/ocpi/types.ts';
import { envelope, Envelope } from '../../transport/envelope.ts';
import { tokenAuth } from '../../transport/token-auth.plugin.ts';
import { cpoBasePath, type OcpiDeps, type OcpiModule } from '../../ocpi-deps.ts';

export const chargingProfilesModule: OcpiModule = { identifier: 'chargingprofiles', role: 'RECEIVER' };

const Answer = Envelope(ChargingProfileResponse);
const Params = t.Object({ session_id: CiString(36, { description: 'Our Session.id' }) });
/** Seconds as digits (no numeric coercion of `1e3`), at most a week ahead: a schedule further out is no use. */
const Duration = t.String({ pattern: '^[0-9]{1,6}$', description: 'Length of the schedule wanted, in seconds (at most 604800)' });
const MAX_DURATION_S = 7 * 24 * 3600;

/**
 * ChargingProfiles Receiver interface (OCPI 2.2.1 chargingprofiles): the session's own eMSP sets, reads and clears
 * smart-charging limits. Answered at once (ChargingProfileResponse); the station's outcome follows to response_url.
 */
export function chargingProfilesRoutes(deps: OcpiDeps) {
  const { config, clock, partners, chargingProfiles } = deps;
  return new Elysia({ name: 'ocpi.chargingprofiles', prefix: `${cpoBasePath}/chargingprofiles`, detail: { tags: ['OCPI charging profiles'] } })
    .use(tokenAuth(partners, config, 'functional'))
    .get(
      '/:session_id',
      ({ partner, params, query }) => envelope(clock, chargingProfiles.active(partner, params.session_id, Math.min(Number(query.duration), MAX_DURATION_S), query.response_url)),
      {
        params: Params,
        query: t.Object({ duration: Duration, response_url: Url }),
        response: Answer,
        detail: {
          summary: 'Read the active charging profile: GetCompositeSchedule',
          description: 'The ActiveChargingProfileResult (in the unit of your last profile on the session) is POSTed to `response_url`.',
        },
      },
    )
    .put('/:session_id', ({ partner, params, body }) => envelope(clock, chargingProfiles.set(partner, params.session_id, body)), {
      params: Params,
      body: SetChargingProfile,
      response: Answer,
      detail: {
        summary: 'Set a charging profile on your session: SetChargingProfile (TxProfile)',
        description: 'The limits reach the station in the unit it takes (W↔A converted on the connector’s phases and voltage); the ChargingProfileResult is POSTed to `response_url`.',
      },
    })
    .delete('/:session_id', ({ partner, params, query }) => envelope(clock, chargingProfiles.clear(partner, params.session_id, query.response_url)), {
      params: Params,
      query: t.Object({ response_url: Url }),
      response: Answer,
      detail: { summary: 'Clear your charging profile: ClearChargingProfile', description: 'The ClearProfileResult is POSTed to `response_url`.' },
    });
}
