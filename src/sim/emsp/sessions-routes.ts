/** Sessions Receiver (OCPI 2.2.1 sessions, eMSP side): the CPO PUTs a Session when it starts and PATCHes its progress. */
import type { Session } from '../../model/ocpi/session.ts';
import type { EmspContext } from './context.ts';
import { ok, problems } from './envelope.ts';
import { MODULES_PATH } from './paths.ts';
import type { Route } from './router.ts';
import { requireObject, requirePatch, requireSameIds, requireStrings } from './validate.ts';

const SESSION_FIELDS = [
  'country_code',
  'party_id',
  'id',
  'start_date_time',
  'kwh',
  'cdr_token',
  'auth_method',
  'location_id',
  'evse_uid',
  'connector_id',
  'currency',
  'status',
  'last_updated',
] as const;

export function sessionsRoutes(ctx: EmspContext): Route[] {
  const { sessions } = ctx;
  const path = `${MODULES_PATH}/sessions/:cc/:pid/:session`;
  return [
    { method: 'GET', path, access: 'functional', handle: ({ params: p }) => ok(sessions.get(p.cc!, p.pid!, p.session!)) },
    {
      method: 'PUT',
      path,
      access: 'functional',
      handle({ params: p, body }) {
        const put = requireObject<Session>(body, 'Session', SESSION_FIELDS);
        requireStrings(put, 'Session', ['country_code', 'party_id', 'id', 'status', 'last_updated']);
        requireSameIds('Session', [['country_code', p.cc!, put.country_code], ['party_id', p.pid!, put.party_id], ['id', p.session!, put.id]]);
        const isNew = sessions.put(p.cc!, p.pid!, p.session!, put);
        ctx.emit('session', `${put.id} at ${put.location_id}/${put.evse_uid}: ${put.status}, ${put.kwh} kWh`);
        return ok(undefined, { status: isNew ? 201 : 200 });
      },
    },
    {
      method: 'PATCH',
      path,
      access: 'functional',
      handle({ params: p, body }) {
        const patch = requirePatch<Session>(body, 'Session');
        requireSameIds('Session', [['country_code', p.cc!, patch.country_code], ['party_id', p.pid!, patch.party_id], ['id', p.session!, patch.id]]);
        // Appended to what we hold, so it has to be a list (OCPI 2.2.1 sessions, PATCH).
        if (patch.charging_periods !== undefined && !Array.isArray(patch.charging_periods))
          throw problems.invalid('Session: charging_periods must be a list');
        const updated = sessions.patch(p.cc!, p.pid!, p.session!, patch);
        if (patch.status !== undefined) ctx.emit('session', `${updated.id}: ${updated.status}, ${updated.kwh} kWh`);
        return ok();
      },
    },
  ];
}
