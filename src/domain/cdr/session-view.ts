import type { CdrLocation } from '../../model/ocpi/cdr.ts';
import type { CDR } from '../../model/ocpi/cdr.ts';
import type { AuthMethod, CdrToken, Session } from '../../model/ocpi/session.ts';
import type { OcpiPricing } from '../tariff/ocpi-pricing.ts';
import type { PricedPlace } from './session-pricing.ts';

/** Where a session takes place and how it is priced, fixed at its start (CDRs show the start situation). */
export interface SessionPlace extends PricedPlace {
  locationId: string;
  evseUid: string;
  connectorId: string;
  cdrLocation: CdrLocation;
}

/** The facts of a session the OCPI objects are rendered from (the session actor's context). */
export interface SessionFacts {
  id: string;
  countryCode: string;
  partyId: string;
  startAt: string;
  endAt?: string;
  token?: CdrToken;
  authMethod: AuthMethod;
  authorizationReference?: string;
  stopReason?: string;
  lastUpdated: string;
  place?: SessionPlace;
  /** A reservation that has not (or never) become a charging session. */
  reservationOnly?: boolean;
}

/** Session-only dimensions a CDR period may not carry (OCPI 2.2.1 CdrDimensionType). */
const SESSION_ONLY = new Set(['CURRENT', 'ENERGY_EXPORT', 'ENERGY_IMPORT', 'POWER', 'STATE_OF_CHARGE']);

/**
 * The OCPI Session as partners see it, with the figures `priced` gives (so far while it runs, final once it
 * ended). Undefined while it cannot be shown: no token yet (nobody to show it to) or no published EVSE (no
 * location to name); then nothing is priced.
 */
export function renderSession(facts: SessionFacts, status: Session['status'], priced: (place: SessionPlace) => OcpiPricing): Session | undefined {
  const { place, token } = facts;
  if (!place || !token) return undefined;
  // Nothing is charged yet while reserved: no periods, and no cost figure (absent is not "free", OCPI 5.2).
  const pricing = facts.reservationOnly ? undefined : priced(place);
  return {
    country_code: facts.countryCode,
    party_id: facts.partyId,
    id: facts.id,
    start_date_time: facts.startAt,
    ...(facts.endAt ? { end_date_time: facts.endAt } : {}),
    kwh: pricing?.total_energy ?? 0,
    cdr_token: token,
    auth_method: facts.authMethod,
    ...(facts.authorizationReference ? { authorization_reference: facts.authorizationReference } : {}),
    location_id: place.locationId,
    evse_uid: place.evseUid,
    connector_id: place.connectorId,
    currency: place.currency,
    charging_periods: pricing?.charging_periods ?? [],
    ...(pricing ? { total_cost: pricing.total_cost } : {}),
    status,
    last_updated: facts.lastUpdated,
  };
}

/** The final, immutable CDR of a completed session (OCPI 2.2.1 CDRs; location and tariff as at session start). */
export function buildCdr(facts: SessionFacts, cdrId: string, createdAt: string, priced: (place: SessionPlace) => OcpiPricing): CDR | undefined {
  const { place, token, endAt } = facts;
  // A reservation that never led to charging bills nothing here (reservation costs are not priced yet).
  if (!place || !token || !endAt || facts.reservationOnly) return undefined;
  const { charging_periods, ...totals } = priced(place);
  const periods = charging_periods
    .map((p) => ({ ...p, dimensions: p.dimensions.filter((d) => !SESSION_ONLY.has(d.type)) }))
    .filter((p) => p.dimensions.length > 0);
  return {
    country_code: facts.countryCode,
    party_id: facts.partyId,
    id: cdrId,
    start_date_time: facts.startAt,
    end_date_time: endAt,
    session_id: facts.id,
    cdr_token: token,
    auth_method: facts.authMethod,
    ...(facts.authorizationReference ? { authorization_reference: facts.authorizationReference } : {}),
    cdr_location: place.cdrLocation,
    currency: place.currency,
    tariffs: place.tariff ? [place.tariff] : [],
    // A session that never charged still gets one (empty) period: the spec asks for at least one.
    charging_periods: (periods.length > 0 ? periods : [{ start_date_time: facts.startAt, dimensions: [{ type: 'TIME', volume: 0 }] }]) as CDR['charging_periods'],
    ...totals,
    ...(facts.stopReason ? { remark: `Stopped: ${facts.stopReason}`.slice(0, 255) } : {}),
    last_updated: createdAt,
  };
}
