/**
 * Which credentials tokens the simulated eMSP accepts and what each opens (OCPI 2.2.1 credentials, token
 * vocabulary): a token A we handed out opens only versions and credentials, so a CPO can register with us; the
 * token of the registered CPO (B when we registered with it, C when it registered with us) opens everything.
 * Tokens are secrets, so they come from crypto, not from the simulation's seeded random.
 */
import { tokenCandidates } from '../../domain/credentials-token.ts';

export type Caller = { kind: 'registration'; token: string } | { kind: 'partner'; token: string };

export type Access = ReturnType<typeof createAccess>;

export function createAccess(prefix: string) {
  const registrationTokens = new Set<string>();
  let partnerToken: string | undefined;

  return {
    /** A fresh token A for a CPO that registers with us (CPO-initiated handshake). */
    issueRegistrationToken(): string {
      const token = newToken(prefix, 'a');
      registrationTokens.add(token);
      return token;
    },
    /** Token A is single-use: once the CPO holds its token C, A must no longer be accepted. */
    retireRegistrationToken(token: string) {
      registrationTokens.delete(token);
    },
    /** A new token for the CPO to present to us; it replaces the previous one (registration, rotation). */
    issuePartnerToken(): string {
      partnerToken = newToken(prefix, 'p');
      return partnerToken;
    },
    /** Unregistration, or a registration that failed half-way: nothing but a token A opens us any more. */
    revokePartnerToken() {
      partnerToken = undefined;
    },
    /**
     * The caller behind an `Authorization: Token …` header. Both the Base64 form (2.2.1) and the raw token
     * (older peers) are matched, as the CPO does.
     */
    identify(authorization: string | null): Caller | undefined {
      for (const candidate of tokenCandidates(authorization)) {
        if (partnerToken !== undefined && candidate === partnerToken) return { kind: 'partner', token: candidate };
        if (registrationTokens.has(candidate)) return { kind: 'registration', token: candidate };
      }
      return undefined;
    },
  };
}

/** Printable ASCII without whitespace and at most 64 characters (Credentials.token). */
function newToken(prefix: string, kind: string): string {
  return `${prefix}-${kind}-${crypto.randomUUID()}`;
}
