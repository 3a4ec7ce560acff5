import type { Token } from '../model/ocpi/token.ts';
import type { Storage } from '../storage/storage.ts';

export type LocalDecision = 'ALLOWED' | 'BLOCKED' | 'UNKNOWN' | 'NEEDS_REAL_TIME';

/**
 * Whitelist decision for a token presented at a charge point, from the tokens eMSPs pushed (OCPI 2.2.1 tokens,
 * WhitelistType): ALWAYS/ALLOWED/ALLOWED_OFFLINE tokens are decided locally from `valid`; NEVER tokens must be
 * asked of their eMSP in real time.
 */
export class TokenAuthorizer {
  constructor(private readonly storage: Storage) {}

  decide(uid: string, type: Token['type']): { decision: LocalDecision; token?: Token } {
    const token = this.storage.tokens.findByUid(uid, type);
    if (!token) return { decision: 'UNKNOWN' };
    if (token.whitelist === 'NEVER') return { decision: 'NEEDS_REAL_TIME', token };
    return { decision: token.valid ? 'ALLOWED' : 'BLOCKED', token };
  }
}
