import type { AuthorizationInfo, LocationReferences, Token, TokenType } from '../model/ocpi/token.ts';
import type { TariffType } from '../model/ocpi/tariff.ts';
import type { Clock } from '../lib/clock.ts';
import type { Storage } from '../storage/storage.ts';
import type { TokenKey } from '../storage/ports.ts';
import type { Authorization } from '../domain/authorization.ts';

/**
 * Asking the token's eMSP in real time (implemented in actors/partner/real-time-authorization.ts); `known`: the
 * token as we hold it, whose connection is asked.
 */
export interface RealTimePort {
  ask(uid: string, type: string, where: LocationReferences | undefined, known?: TokenKey): Promise<{ answer: AuthorizationInfo; partnerId: string } | 'unknown' | 'unreachable'>;
}

/** The token of a recently accepted START_SESSION/RESERVE_NOW at this station under this id tag, if any. */
export type CommandTokenOf = (chargePointId: string, idTag: string) => { token: Token; authorizationReference?: string; tariffType?: TariffType } | undefined;

/** A charge point's EVSE as OCPI LocationReferences (for the eMSP's answer); undefined when not published. */
export type LocationOf = (chargePointId: string, ocppEvseId?: number) => LocationReferences | undefined;

/**
 * An OCPI token uid is CiString(36): 1–36 printable ASCII characters. An idTag outside that (a lone surrogate, any
 * non-ASCII) can be nobody's token, so it is UNKNOWN without a lookup or a question to an eMSP, whose URL could
 * not even be built for it (encodeURIComponent throws on a lone surrogate).
 */
const POSSIBLE_TOKEN_UID = /^[\x20-\x7E]{1,36}$/;

/** Authorize → StartTransaction in quick succession: the station asks twice, the eMSP once. */
const RECENT_MS = 5 * 60_000;

/**
 * Decides whether a token presented at a charge point may charge (OCPI 2.2.1 WhitelistType): ALWAYS and ALLOWED
 * tokens from the cache the eMSPs push; ALLOWED_OFFLINE and NEVER tokens, and tokens we do not know, by asking the
 * eMSP in real time — ALLOWED_OFFLINE falls back to the cache when the eMSP cannot be reached, NEVER does not.
 */
export class TokenAuthorizer {
  private readonly recent = new Map<string, { authorization: Authorization; untilMs: number }>();

  constructor(
    private readonly storage: Storage,
    private readonly realTime: RealTimePort,
    private readonly locationOf: LocationOf,
    private readonly commandTokenOf: CommandTokenOf,
    private readonly clock: Clock,
  ) {}

  async authorize(chargePointId: string, uid: string, type: TokenType, ocppEvseId?: number): Promise<Authorization> {
    const remembered = this.recent.get(key(chargePointId, uid));
    if (remembered && remembered.untilMs > this.clock.now().getTime()) return remembered.authorization;
    const authorization = await this.decide(chargePointId, uid, type, ocppEvseId);
    this.remember(chargePointId, uid, authorization, RECENT_MS);
    return authorization;
  }

  private async decide(chargePointId: string, uid: string, type: TokenType, ocppEvseId?: number): Promise<Authorization> {
    if (!POSSIBLE_TOKEN_UID.test(uid)) return { decision: 'UNKNOWN', authMethod: 'AUTH_REQUEST' };
    // A command's token was authorized by its eMSP: no new check at that station (OCPI 2.2.1 commands).
    const commanded = this.commandTokenOf(chargePointId, uid);
    if (commanded) return { decision: 'ALLOWED', authMethod: 'COMMAND', ...commanded };
    const cached = this.storage.tokens.findByUid(uid, type);
    const local = (token: Token): Authorization => ({ decision: token.valid ? 'ALLOWED' : 'BLOCKED', token, authMethod: 'WHITELIST' });
    if (cached && (cached.whitelist === 'ALWAYS' || cached.whitelist === 'ALLOWED')) return local(cached);
    const asked = await this.realTime.ask(uid, type, this.locationOf(chargePointId, ocppEvseId), cached);
    if (typeof asked === 'object') {
      const { answer, partnerId } = asked;
      // The eMSP's answer carries the complete token: keep it for the Session's cdr_token and later lookups —
      // unless another connection brought that token, whose copy stays.
      const holder = this.storage.tokens.holderOf(answer.token);
      if (holder === undefined || holder === partnerId) this.storage.tokens.put(partnerId, answer.token);
      return {
        decision: answer.allowed,
        token: answer.token,
        authMethod: 'AUTH_REQUEST',
        ...(answer.authorization_reference ? { authorizationReference: answer.authorization_reference } : {}),
      };
    }
    if (asked === 'unreachable' && cached?.whitelist === 'ALLOWED_OFFLINE') return local(cached);
    return { decision: 'UNKNOWN', authMethod: 'AUTH_REQUEST' };
  }

  private remember(chargePointId: string, uid: string, authorization: Authorization, forMs: number) {
    const now = this.clock.now().getTime();
    if (this.recent.size > 10_000) for (const [k, v] of this.recent) if (v.untilMs <= now) this.recent.delete(k);
    this.recent.set(key(chargePointId, uid), { authorization, untilMs: now + forMs });
  }
}

const key = (chargePointId: string, uid: string) => `${chargePointId}\u0000${uid.toUpperCase()}`;
