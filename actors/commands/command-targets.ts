import { mayActFor, readsFor, type Reader } from '../../src/domain/parties.ts';
import type { CommandResponse } from '../../src/model/ocpi/commands.ts';
import type { EVSE, Location } from '../../src/model/ocpi/location.ts';
import type { Token } from '../../src/model/ocpi/token.ts';
import type { AuthenticatedPartner } from '../partner/partners.ts';

/** The synchronous outcome of a command: the CommandResponse plus how the OCPI layer reports it. */
export interface Reception {
  response: CommandResponse;
  /** Unknown location/EVSE/connector: HTTP 404 + OCPI 2003 with a REJECTED response (OCPI 2.2.1 commands). */
  unknownObject?: string;
}

/** Where a command goes on the OCPP side (a STOP/CANCEL has no EVSE object, only the station and its EVSE id). */
export type Target = { chargePointId: string; ocppEvseId: number; evse: EVSE };

type Capability = EVSE['capabilities'] extends (infer C)[] | undefined ? C : never;

/** The charging network as the commands look things up in it. */
export interface TargetLookup {
  location(reader: Reader, locationId: string): Location | undefined;
  binding(locationId: string, evseUid: string): { chargePointId: string; ocppEvseId: number } | undefined;
}

export function respond(result: CommandResponse['result'], message: string): Reception {
  return { response: { result, timeout: 0, message: [{ language: 'en', text: message }] } };
}

/** Whether a session of this token is one the caller may see and stop: its token's party is one the request acts for. */
export function ownsToken(partner: AuthenticatedPartner, token: { country_code: string; party_id: string }): boolean {
  return readsFor(partner, token);
}

/**
 * A REJECTED reception for a token the caller may not command with — a party its connection does not speak for,
 * or another than the one the request names; undefined when it may.
 */
export function checkToken(partner: AuthenticatedPartner, token: Token): Reception | undefined {
  return mayActFor(partner.context.roles ?? [], partner.party, token)
    ? undefined
    : respond('REJECTED', `Token ${token.uid} belongs to ${token.country_code}/${token.party_id}, not to the caller`);
}

/** The EVSE a command addresses (or, without evse_uid, the first usable one of the location) and its OCPP side. */
export function findTarget(lookup: TargetLookup, partner: AuthenticatedPartner, locationId: string, evseUid: string | undefined, capability: Capability): Target | Reception {
  const location = lookup.location(partner, locationId);
  if (!location) return { ...respond('REJECTED', `Unknown location ${locationId}`), unknownObject: `Unknown location ${locationId}` };
  const evses = (location.evses ?? []).filter((e) => e.status !== 'REMOVED');
  const evse = evseUid
    ? evses.find((e) => e.uid.toUpperCase() === evseUid.toUpperCase())
    : (evses.find((e) => e.status === 'AVAILABLE' && lookup.binding(location.id, e.uid)) ?? evses.find((e) => lookup.binding(location.id, e.uid)));
  if (!evse) return evseUid ? { ...respond('REJECTED', `Unknown EVSE ${evseUid}`), unknownObject: `Unknown EVSE ${evseUid} at location ${locationId}` } : respond('NOT_SUPPORTED', 'No EVSE of this location can be controlled remotely');
  // An EVSE that lists its capabilities and lacks this one cannot do it (OCPI 2.2.1 Capability).
  if (evse.capabilities && !evse.capabilities.includes(capability)) return respond('NOT_SUPPORTED', `EVSE ${evse.uid} is not ${capability}`);
  const binding = lookup.binding(location.id, evse.uid);
  if (!binding) return respond('NOT_SUPPORTED', `EVSE ${evse.uid} is not connected to a charge point we control`);
  return { ...binding, evse };
}
