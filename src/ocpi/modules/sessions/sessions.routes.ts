import { Elysia, t } from 'elysia';
import { ChargingPreferences, ChargingPreferencesResponse, Session } from '../../../model/ocpi/session.ts';
import { CiString } from '../../../model/ocpi/types.ts';
import { readsFor } from '../../../domain/parties.ts';
import { envelope, Envelope, OcpiErrorResponses } from '../../transport/envelope.ts';
import { OcpiError } from '../../transport/ocpi-error.ts';
import { PageQuery, pagedList } from '../../transport/pagination.ts';
import { ownersOf, tokenAuth } from '../../transport/token-auth.plugin.ts';
import { cpoBasePath, type OcpiDeps, type OcpiModule } from '../../ocpi-deps.ts';

export const sessionsModule: OcpiModule = { identifier: 'sessions', role: 'SENDER' };
const limits = { defaultLimit: 25, maxLimit: 100 };

/**
 * Sessions Sender interface (OCPI 2.2.1 sessions): a request sees the sessions of the tokens of the parties it
 * acts for (the one named in OCPI-from-*, else the connection's roles). The spec makes date_from required; many
 * clients omit it, so it defaults to the beginning of time.
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
        const view = sessions.view(params.session_id);
        const owned = view?.session && readsFor(partner, view.session.cdr_token);
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
