/**
 * The Sessions the CPO pushed (OCPI 2.2.1 sessions, eMSP Receiver): PUT creates or replaces a Session — its
 * `charging_periods` included, an absent list clearing them —, PATCH changes the given fields and *appends*
 * the `charging_periods` it carries, the one list-merge rule OCPI defines.
 */
import type { Session } from '../../model/ocpi/session.ts';
import { problems } from './envelope.ts';

export type SessionsStore = ReturnType<typeof createSessionsStore>;

const keyOf = (countryCode: string, partyId: string, sessionId: string) => `${countryCode}/${partyId}/${sessionId}`.toUpperCase();

export function createSessionsStore() {
  /** Insertion order is the order sessions first reached us: newest last. */
  const sessions = new Map<string, Session>();

  function get(countryCode: string, partyId: string, sessionId: string): Session {
    const found = sessions.get(keyOf(countryCode, partyId, sessionId));
    if (!found) throw problems.notFound(`Unknown session ${countryCode}/${partyId}/${sessionId}: PUT it first`);
    return found;
  }

  return {
    list: (): Session[] => [...sessions.values()],
    get,
    /** Returns whether the Session is new to us. */
    put(countryCode: string, partyId: string, sessionId: string, body: Session): boolean {
      const key = keyOf(countryCode, partyId, sessionId);
      const created = !sessions.has(key);
      sessions.set(key, body);
      return created;
    },
    patch(countryCode: string, partyId: string, sessionId: string, patch: Partial<Session> & { last_updated: string }): Session {
      const current = get(countryCode, partyId, sessionId);
      const { charging_periods: added, ...fields } = patch;
      Object.assign(current, fields);
      if (added && added.length > 0) current.charging_periods = [...(current.charging_periods ?? []), ...added];
      return current;
    },
  };
}
