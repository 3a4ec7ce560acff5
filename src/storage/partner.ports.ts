/** The partners as stored: their connections' snapshots, the tokens we issued them, the driver tokens they sent us. */
import type { Token } from '../model/ocpi/token.ts';
import type { VersionedSnapshotStore } from './snapshot.ports.ts';

/** Partner connections' snapshots; a registration that never completed leaves none behind. */
export interface PartnerSnapshots extends VersionedSnapshotStore {
  ids(): string[];
  /** Removes the partner with everything stored for it (its credentials tokens). */
  delete(id: string): void;
}

/** Tokens we issued to partners (A and C), as keyed hashes. */
export interface CredentialsTokenStore {
  findActive(hashes: string[], now: Date): { tokenHash: string; partnerId: string; kind: 'A' | 'C' } | undefined;
  issue(partnerId: string, kind: 'A' | 'C', tokenHash: string, now: Date, expiresAt?: Date): void;
  revokeAll(partnerId: string, now: Date): void;
  revoke(tokenHash: string, now: Date): void;
}

/** A driver token's identity: country_code + party_id + uid + type (OCPI 2.2.1 tokens). */
export type TokenKey = Pick<Token, 'country_code' | 'party_id' | 'uid' | 'type'>;

/**
 * The eMSPs' driver tokens we cache for authorization, each held by the partner connection that brought it: the
 * one its sessions, CDRs and questions go to.
 */
export interface DriverTokenCache {
  put(partnerId: string, token: Token): { created: boolean };
  /** Keeps `token` for the connection unless a connection already holds it; returns the holder. */
  adopt(partnerId: string, token: Token): string;
  /** The partner connection holding the token, if we have it. */
  holderOf(token: TokenKey): string | undefined;
  deleteForPartner(partnerId: string): void;
}
