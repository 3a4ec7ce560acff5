import { Elysia, t, type DocumentDecoration } from 'elysia';
import type { TSchema } from '@sinclair/typebox';
import { ActiveChargingProfile, ActiveChargingProfileResult, ChargingProfileResponse, ChargingProfileResult, ClearProfileResult, SetChargingProfile } from '../../../model/ocpi/charging-profiles.ts';
import { CiString, Url } from '../../../model/ocpi/types.ts';
import { envelope, Envelope } from '../../transport/envelope.ts';
import { tokenAuth } from '../../transport/token-auth.plugin.ts';
import { cpoBasePath, type OcpiDeps, type OcpiModule } from '../../ocpi-deps.ts';

export const chargingProfilesModule: OcpiModule = { identifier: 'chargingprofiles', role: 'RECEIVER' };

const Answer = Envelope(ChargingProfileResponse);
const Params = t.Object({ session_id: CiString(36, { description: 'Our Session.id' }) });
/** Seconds as digits (no numeric coercion of `1e3`); more than a week ahead is capped: a schedule further out is no use. */
const Duration = t.String({ pattern: '^[0-9]{1,15}$', description: 'Length of the schedule wanted, in seconds (more than 604800, a week, is capped to it)' });
const MAX_DURATION_S = 7 * 24 * 3600;

/** A JSON body in an OpenAPI callback: TypeBox schemas are the JSON Schema OpenAPI 3.1 takes, which openapi-types' typing does not know. */
const jsonBody = (schema: TSchema) => ({ required: true, content: { 'application/json': { schema } } }) as unknown as NonNullable<DocumentDecoration['requestBody']>;

/** Our later POST of the station's outcome to the request's response_url, as an OpenAPI callback. */
const resultCallback = (where: string, result: TSchema) => ({
  result: {
    [where]: {
      post: {
        summary: `The station's outcome: ${result.title}, POSTed once (retried until your platform acknowledges it)`,
        requestBody: jsonBody(result),
        responses: { '200': { description: 'Your OCPI envelope, without data' } },
      },
    },
  },
});

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
          callbacks: resultCallback('{$request.query.response_url}', ActiveChargingProfileResult),
        },
      },
    )
    .put('/:session_id', ({ partner, params, body }) => envelope(clock, chargingProfiles.set(partner, params.session_id, body)), {
      params: Params,
      body: SetChargingProfile,
      response: Answer,
      detail: {
        summary: 'Set a charging profile on your session: SetChargingProfile (TxProfile)',
        description:
          'The limits reach the station in the unit it takes (W↔A converted on the connector’s phases and voltage); the ChargingProfileResult is POSTed to `response_url`. From then on every change of the session’s schedule is PUT to your ChargingProfiles Sender endpoint (`{chargingprofiles}/{session_id}`, an ActiveChargingProfile).',
        callbacks: {
          ...resultCallback('{$request.body#/response_url}', ChargingProfileResult),
          schedule: {
            '{your chargingprofiles endpoint}/{session_id}': {
              put: {
                summary: 'The session’s schedule changed: ActiveChargingProfile, in the unit of your profile',
                requestBody: jsonBody(ActiveChargingProfile),
                responses: { '200': { description: 'Your OCPI envelope, without data' } },
              },
            },
          },
        },
      },
    })
    .delete('/:session_id', ({ partner, params, query }) => envelope(clock, chargingProfiles.clear(partner, params.session_id, query.response_url)), {
      params: Params,
      query: t.Object({ response_url: Url }),
      response: Answer,
      detail: {
        summary: 'Clear your charging profile: ClearChargingProfile',
        description: 'The ClearProfileResult is POSTed to `response_url`.',
        callbacks: resultCallback('{$request.query.response_url}', ClearProfileResult),
      },
    });
}
