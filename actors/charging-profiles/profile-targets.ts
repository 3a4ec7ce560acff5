import { supplyOf, type Supply } from '../../src/domain/charging-rate.ts';
import { partyOf, type Party, type Reader } from '../../src/domain/parties.ts';
import type { ChargingProfileResponse } from '../../src/model/ocpi/charging-profiles.ts';
import type { Location } from '../../src/model/ocpi/location.ts';
import type { OcppVersion } from '../../src/model/ocpp-version.ts';
import { ownsToken } from '../commands/command-targets.ts';
import type { AuthenticatedPartner } from '../partner/partners.ts';
import type { SessionView } from '../session/sessions.ts';

/** The sessions and the charging network as charging-profile requests look things up in them. */
export interface SessionLookup {
  session(id: string): SessionView | undefined;
  /** Ids of the sessions running at the station: on one EVSE, or (undefined) on any. */
  runningAt(chargePointId: string, ocppEvseId: number | undefined): string[];
  location(reader: Reader, locationId: string): Location | undefined;
}

/** Where a session's profiles go on the OCPP side, and the supply its limits convert with. */
export interface ProfileTarget {
  chargePointId: string;
  ocppEvseId: number;
  transactionId: string;
  protocol: OcppVersion;
  /** Undefined when the connector's voltage is not known: limits then go unconverted. */
  supply?: Supply;
  capable: boolean;
  /** The session's token party: whom its results and schedule updates are addressed to. */
  owner: Party;
}

const refuse = (result: ChargingProfileResponse['result']) => ({ refusal: { result, timeout: 0 } });

/**
 * A running session's target, as its token's party sees it through the connection `partnerId`; undefined when it
 * is not charging (any more).
 */
export function sessionTarget(lookup: SessionLookup, partnerId: string, sessionId: string): ProfileTarget | undefined {
  const view = lookup.session(sessionId);
  const token = view?.session?.cdr_token ?? view?.context.token;
  if (view?.state !== 'active' || !token) return undefined;
  const owner = partyOf(token);
  const { chargePointId, ocppEvseId, transactionId, protocol, place } = view.context;
  const evse = place && lookup.location({ partnerId, parties: [owner] }, place.locationId)?.evses?.find((e) => e.uid.toUpperCase() === place.evseUid.toUpperCase());
  const connector = evse?.connectors.find((c) => c.id === place!.connectorId) ?? evse?.connectors[0];
  const supply = connector && supplyOf(connector);
  // An EVSE that lists its capabilities and lacks this one does not take profiles (OCPI 2.2.1 Capability).
  const capable = !evse?.capabilities || evse.capabilities.includes('CHARGING_PROFILE_CAPABLE');
  return { chargePointId, ocppEvseId, transactionId, protocol, capable, owner, ...(supply ? { supply } : {}) };
}

/**
 * The target of a partner's request on a session, or the refusal it gets. Only the session's own eMSP (the party
 * of its token, among the parties the request acts for) may smart-charge it: anyone else, like an unknown or
 * finished session, gets UNKNOWN_SESSION, so nothing is revealed about other parties' sessions. A reservation not
 * yet charging is REJECTED.
 */
export function findSession(lookup: SessionLookup, partner: AuthenticatedPartner, sessionId: string): ProfileTarget | { refusal: ChargingProfileResponse } {
  const view = lookup.session(sessionId);
  const owner = view?.session?.cdr_token ?? view?.context.token;
  if (!view || !owner || !ownsToken(partner, owner) || view.state === 'completed') return refuse('UNKNOWN_SESSION');
  const target = sessionTarget(lookup, partner.partnerId, sessionId);
  if (!target) return refuse('REJECTED');
  if (!target.capable) return refuse('NOT_SUPPORTED');
  return target;
}
