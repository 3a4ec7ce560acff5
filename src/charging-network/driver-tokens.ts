import type { AuthenticatedPartner } from '../../actors/partner/partners.ts';
import { parseOcpiDateTime } from '../lib/clock.ts';
import { mayActFor } from '../domain/parties.ts';
import type { AuthorizationInfo, LocationReferences, Token, TokenPatch, TokenType } from '../model/ocpi/token.ts';
import type { Storage } from '../storage/storage.ts';
import { idKey } from '../model/ocpi/ci-string.ts';
import type { Network } from './network.ts';
import { NetworkError } from './network-error.ts';

export interface TokenAddress {
  country_code: string;
  party_id: string;
  uid: string;
  type: TokenType;
}

/**
 * The driver tokens eMSPs push to us (we are Tokens Receiver, OCPI 2.2.1 tokens). Each keeps its own
 * country_code/party_id, which must be a party the connection speaks for (its roles; any party through a hub) and,
 * when the request names its sender, that party. The connection that pushed a token holds it: no other reads or
 * overwrites it. PUT creates or replaces, PATCH changes given fields.
 */
export class DriverTokens {
  constructor(
    private readonly storage: Storage,
    private readonly network: Network,
  ) {}

  get(partner: AuthenticatedPartner, at: TokenAddress): Token {
    this.checkOwner(partner, at);
    const token = this.storage.tokens.get(identity(at), partner.partnerId);
    if (!token) throw unknownToken(at);
    return token;
  }

  put(partner: AuthenticatedPartner, at: TokenAddress, token: Token): { created: boolean } {
    this.checkOwner(partner, at);
    checkBodyMatches(at, token);
    return this.storage.transact(() => {
      this.checkNotAnothers(partner, at);
      return this.storage.tokens.put(partner.partnerId, token);
    });
  }

  patch(partner: AuthenticatedPartner, at: TokenAddress, patch: TokenPatch): Token {
    this.checkOwner(partner, at);
    checkBodyMatches(at, patch);
    return this.storage.transact(() => {
      this.checkNotAnothers(partner, at);
      const current = this.storage.tokens.get(identity(at), partner.partnerId);
      if (!current) throw unknownToken(at);
      const next = { ...current, ...patch } as Token;
      this.storage.tokens.put(partner.partnerId, next);
      return next;
    });
  }

  /**
   * Authorization of one of the partner's tokens, optionally at a location: ALLOWED for a valid token,
   * BLOCKED for one the eMSP invalidated, NOT_ALLOWED where the location is not open to it; `location`
   * echoes only the EVSEs it may use.
   */
  authorize(partner: AuthenticatedPartner, uid: string, type: string, where: LocationReferences | undefined): AuthorizationInfo {
    const found = this.storage.tokens.findForPartner(partner.partnerId, uid, type);
    const token = found && mayActFor(partner.context.roles ?? [], partner.party, found) ? found : undefined;
    if (!token) throw new NetworkError('not-found', `Unknown token ${uid} (${type})`, 'token');
    if (!where) return { allowed: token.valid ? 'ALLOWED' : 'BLOCKED', token };
    const location = this.network.location(partner, where.location_id);
    if (!location) throw new NetworkError('not-found', `Unknown location ${where.location_id}`, 'location');
    const requested = where.evse_uids ?? [];
    const unknown = requested.find((uid) => !location.evses?.some((e) => idKey(e.uid) === idKey(uid)));
    if (unknown) throw new NetworkError('not-found', `Unknown EVSE ${unknown} at location ${location.id}`, 'location');
    if (!token.valid) return { allowed: 'BLOCKED', token };
    const usable = (location.evses ?? []).filter(
      (e) => e.status !== 'REMOVED' && (requested.length === 0 || requested.some((uid) => idKey(uid) === idKey(e.uid))),
    );
    if (usable.length === 0) return { allowed: 'NOT_ALLOWED', token };
    return { allowed: 'ALLOWED', token, location: { location_id: location.id, evse_uids: usable.map((e) => e.uid) } };
  }

  /** Two connections claiming one role never see or overwrite each other's tokens. */
  private checkNotAnothers(partner: AuthenticatedPartner, at: TokenAddress) {
    const holder = this.storage.tokens.holderOf(at);
    if (holder !== undefined && holder !== partner.partnerId)
      throw new NetworkError('forbidden', `Token ${at.uid} of ${at.country_code}/${at.party_id} was pushed by another partner connection`);
  }

  private checkOwner(partner: AuthenticatedPartner, at: TokenAddress) {
    if (!mayActFor(partner.context.roles ?? [], partner.party, at))
      throw new NetworkError('forbidden', `Tokens of ${at.country_code}/${at.party_id} are not the requesting party's: not a party this connection speaks for, or not the one named in OCPI-from-*`);
  }
}

const identity = (at: TokenAddress) => ({ countryCode: at.country_code, partyId: at.party_id, uid: at.uid, type: at.type });
const unknownToken = (at: TokenAddress) => new NetworkError('not-found', `Unknown token ${at.country_code}/${at.party_id}/${at.uid} (${at.type})`, 'token');

/** URL and body must name the same token (OCPI 2.2.1 client-owned objects: mismatch → 2001). */
function checkBodyMatches(at: TokenAddress, body: Partial<Token>) {
  const pairs: [keyof TokenAddress, string | undefined][] = [
    ['country_code', body.country_code],
    ['party_id', body.party_id],
    ['uid', body.uid],
    ['type', body.type],
  ];
  for (const [field, value] of pairs) {
    const same = field === 'type' ? value === at[field] : value !== undefined && idKey(value) === idKey(at[field]);
    if (value !== undefined && !same) throw new NetworkError('invalid', `${field}: body says ${value}, the URL says ${at[field]}`);
  }
  if (body.last_updated !== undefined && Number.isNaN(parseOcpiDateTime(body.last_updated)))
    throw new NetworkError('invalid', 'last_updated: not a valid DateTime');
}
