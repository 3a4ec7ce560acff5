import { Elysia, t } from 'elysia';
import { ChargingPreferences, ChargingPreferencesResponse, Session } from '../../../model/ocpi/session.ts';
import { CiString } from '../../../model/ocpi/types.ts';
import { envelope, Envelope, OcpiErrorResponses } from '../../transport/envelope.ts';
import { OcpiError } from '../../transport/ocpi-error.ts';
import { PageQuery, pagedList } from '../../transport/pagination.ts';
import { ownersOf, tokenAuth } from '../../transport/token-auth.plugin.ts';
import { cpoBasePath, type OcpiDeps, type OcpiModule } from '../../ocpi-deps.ts';

export const sessionsModule: OcpiModule = { identifier: 'sessions', role: 'SENDER' };
const limits = { defaultLimit: 25, maxLimit: 100 };

/**
 * Sessions Sender interface (OCPI 2.2.1 sessions): each partner sees the sessions of its own tokens. The spec
 * makes date_from required; many clients omit it, so it defaults to the beginning of time.
 */
export function sessionsRoutes(deps: OcpiDeps) {
  const { config, clock, partners, sessions } = deps;
  return new Elysia({ name: 'ocpi.sessions', prefix: `${cpoBasePath}/sessions`, detail: { tags: ['OCPI sessions'] } })
    .use(tokenAuth(partners, config, 'functional'))
    .get(
      '',
      pagedList(() => config.publicUrl, clock, limits, (partner, page) => sessions.page(page, ownersOf(partner))),
      { query: PageQuery, response: Envelope(t.Array(Session)), detail: { summary: 'Sessions of your tokens, oldest first (default 25, max 100 per page)' } },
    )
    .put(
      '/:session_id/charging_preferences',
      ({ partner, params }) => {
        const owners = ownersOf(partner);
        const view = sessions.view(params.session_id);
        const owned = view?.session && owners.some((o) => o.countryCode === view.session!.cdr_token.country_code.toUpperCase() && o.partyId === view.session!.cdr_token.party_id.toUpperCase());
        if (!owned) throw new OcpiError(404, 2003, `Unknown session ${params.session_id}`);
        // No EVSE of ours is CHARGING_PREFERENCES_CAPABLE: the spec's answer is HTTP 404 with 2001.
        throw new OcpiError(404, 2001, 'This EVSE does not accept charging preferences');
      },
      {
        params: t.Object({ session_id: CiString(36) }),
        body: ChargingPreferences,
        // The 200 is the spec's answer, documented for completeness: no EVSE of ours gives it today.
        response: { 200: Envelope(ChargingPreferencesResponse), 404: OcpiErrorResponses.chargingPreferencesRefused },
        detail: { summary: 'Charging preferences (not supported by our EVSEs: 404 + 2001)' },
      },
    );
}
