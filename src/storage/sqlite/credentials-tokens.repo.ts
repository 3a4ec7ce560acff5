import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from './db.ts';
import { credentialsTokens, type credentialsTokenKinds } from './schema/partners.ts';

export type CredentialsTokenKind = (typeof credentialsTokenKinds)[number];
export interface ActiveCredentialsToken {
  tokenHash: string;
  partnerId: string;
  kind: CredentialsTokenKind;
}

export function credentialsTokensRepo(db: Db) {
  // Asked on every OCPI request: a prepared statement (the query builder costs tens of µs a call).
  const byHash = db.$client.prepare<{ tokenHash: string; partnerId: string; kind: CredentialsTokenKind; expiresAt: string | null }, [string]>(
    'SELECT token_hash AS "tokenHash", partner_id AS "partnerId", kind, expires_at AS "expiresAt" FROM credentials_tokens WHERE token_hash = ? AND revoked_at IS NULL',
  );
  return {
    /** The first non-revoked, non-expired token among the candidate hashes (a header may match raw or decoded). */
    findActive(hashes: string[], now: Date): ActiveCredentialsToken | undefined {
      for (const hash of hashes) {
        const row = byHash.get(hash);
        if (row && (!row.expiresAt || new Date(row.expiresAt) > now)) return { tokenHash: row.tokenHash, partnerId: row.partnerId, kind: row.kind };
      }
      return undefined;
    },
    issue(partnerId: string, kind: CredentialsTokenKind, tokenHash: string, now: Date, expiresAt?: Date) {
      db.insert(credentialsTokens)
        .values({ tokenHash, partnerId, kind, createdAt: now.toISOString(), expiresAt: expiresAt?.toISOString() ?? null })
        .run();
    },
    revokeAll(partnerId: string, now: Date) {
      db.update(credentialsTokens)
        .set({ revokedAt: now.toISOString() })
        .where(and(eq(credentialsTokens.partnerId, partnerId), isNull(credentialsTokens.revokedAt)))
        .run();
    },
    revoke(tokenHash: string, now: Date) {
      db.update(credentialsTokens).set({ revokedAt: now.toISOString() }).where(eq(credentialsTokens.tokenHash, tokenHash)).run();
    },
  };
}
