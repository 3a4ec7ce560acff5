/**
 * Smart charging by the simulated eMSP (OCPI 2.2.1 ChargingProfiles, eMSP as Sender): it PUTs a profile on one of
 * its drivers' sessions; the CPO answers at once, POSTs the station's outcome to the response_url we gave, and
 * from then on PUTs every change of the session's schedule to our ChargingProfiles interface.
 */
import { ocpiDateTime } from '../../lib/clock.ts';
import type { ActiveChargingProfile, ChargingProfile, ChargingProfileResponse, ChargingProfileResult, SetChargingProfile } from '../../model/ocpi/charging-profiles.ts';
import { endpointUrl, joinUrl } from '../../model/ocpi/endpoints.ts';
import type { EmspContext } from './context.ts';
import { CpoCallError, requireData } from './cpo-client.ts';
import { routingHeaders } from './cpo-link.ts';
import { ok } from './envelope.ts';
import { MODULES_PATH } from './paths.ts';
import type { Route } from './router.ts';
import { isObject, requireObject, requireStrings } from './validate.ts';

export interface ProfileResultRecord {
  requestId: string;
  sessionId: string | undefined;
  result: ChargingProfileResult['result'];
  received_at: string;
}

export type ProfileBook = ReturnType<typeof createProfileBook>;

/** What we asked and what the CPO told us: results by request, and the latest schedule of each session. */
export function createProfileBook() {
  const sessionOf = new Map<string, string>();
  const results: ProfileResultRecord[] = [];
  const active = new Map<string, ActiveChargingProfile>();
  return {
    sent: (requestId: string, sessionId: string) => void sessionOf.set(requestId, sessionId),
    result(requestId: string, result: ChargingProfileResult['result']): ProfileResultRecord {
      const record = { requestId, sessionId: sessionOf.get(requestId), result, received_at: ocpiDateTime(new Date()) };
      results.push(record);
      return record;
    },
    active: (sessionId: string, profile: ActiveChargingProfile) => void active.set(sessionId, profile),
    results: () => [...results],
    schedules: () => Object.fromEntries(active),
  };
}

/** PUT {cpo chargingprofiles}/{session_id}: the CPO's synchronous answer (the outcome follows to our response_url). */
export async function setChargingProfile(ctx: EmspContext, sessionId: string, profile: ChargingProfile): Promise<ChargingProfileResponse> {
  const link = ctx.cpo.link;
  if (!link) throw new Error('ChargingProfiles: not registered with a CPO');
  const base = endpointUrl(link.endpoints, 'chargingprofiles', 'RECEIVER');
  if (!base) throw new Error('ChargingProfiles: the CPO publishes no chargingprofiles Receiver');
  const requestId = ctx.nextId('profile');
  ctx.profiles.sent(requestId, sessionId);
  const body: SetChargingProfile = { charging_profile: profile, response_url: ctx.urls.profileResult(requestId) };
  const request = { method: 'PUT' as const, url: joinUrl(base, encodeURIComponent(sessionId)), token: link.token, body, headers: routingHeaders(ctx.us, link) };
  const data = await requireData(request).catch((error: Error) => {
    ctx.emit('error', `charging profile on ${sessionId}: ${error.message}`);
    throw error;
  });
  if (!isObject(data) || typeof data.result !== 'string') throw new CpoCallError(`${request.method} ${request.url}: no ChargingProfileResponse`);
  // An accepted request is heard of again with its result; a refusal only now.
  if (data.result !== 'ACCEPTED') ctx.emit('charging-profile', `profile on session ${sessionId}: ${data.result}`);
  return data as ChargingProfileResponse;
}

/** Our ChargingProfiles Sender interface: results at the response_urls we gave, and the CPO's schedule updates. */
export function chargingProfilesRoutes(ctx: EmspContext): Route[] {
  return [
    {
      method: 'POST',
      path: `${MODULES_PATH}/chargingprofiles/results/:requestId`,
      access: 'functional',
      handle({ params, body }) {
        const result = requireObject<ChargingProfileResult>(body, 'ChargingProfileResult', ['result']);
        requireStrings(result, 'ChargingProfileResult', ['result']);
        const record = ctx.profiles.result(params.requestId!, result.result);
        ctx.emit('charging-profile', `result for session ${record.sessionId ?? 'unknown'}: ${result.result}`);
        return ok();
      },
    },
    {
      method: 'PUT',
      path: `${MODULES_PATH}/chargingprofiles/:sessionId`,
      access: 'functional',
      handle({ params, body }) {
        const active = requireObject<ActiveChargingProfile>(body, 'ActiveChargingProfile', ['start_date_time', 'charging_profile']);
        ctx.profiles.active(params.sessionId!, active);
        ctx.emit('charging-profile', `session ${params.sessionId} now charges to ${active.charging_profile.charging_profile_period?.[0]?.limit ?? '?'} ${active.charging_profile.charging_rate_unit}`);
        return ok();
      },
    },
  ];
}
