import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from './db.ts';
import { credentialsTokens, type credentialsTokenKinds } from './schema/partners.ts';

export type CredentialsTokenKind = (typeof credentialsTokenKinds)[number];
export interface ActiveCredentialsToken {
  tokenHash: string;
  partnerId: string;
  kind: CredentialsTokenKind;
}

export function credentialsTokensRepo(db: Db) {
  return {
    /** The first non-revoked, non-expired token among the candidate hashes (a header may match raw or decoded). */
    findActive(hashes: string[], now: Date): ActiveCredentialsToken | undefined {
      if (hashes.length === 0) return undefined;
      const rows = db
        .select()
        .from(credentialsTokens)
        .where(and(inArray(credentialsTokens.tokenHash, hashes), isNull(credentialsTokens.revokedAt)))
        .all();
      const live = rows.find((row) => !row.expiresAt || new Date(row.expiresAt) > now);
      return live && { tokenHash: live.tokenHash, partnerId: live.partnerId, kind: live.kind };
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
