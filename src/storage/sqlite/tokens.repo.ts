import { and, desc, eq, sql } from 'drizzle-orm';
import type { PublishTokenType } from '../../model/ocpi/location.ts';
import type { Token } from '../../model/ocpi/token.ts';
import type { TokenKey } from '../ports.ts';
import { parseOcpiDateTime } from '../../lib/clock.ts';
import type { Db } from './db.ts';
import { idKey } from '../../model/ocpi/ci-string.ts';
import { tokens } from './schema/tokens.ts';
import type { TokenWrite } from './location-audiences.ts';

export interface TokenIdentity {
  countryCode: string;
  partyId: string;
  uid: string;
  type: string;
}

const identity = (id: TokenIdentity) =>
  and(
    eq(tokens.countryCode, id.countryCode.toUpperCase()),
    eq(tokens.partyId, id.partyId.toUpperCase()),
    eq(tokens.uidKey, idKey(id.uid)),
    eq(tokens.type, id.type),
  );

const keyOf = (token: TokenKey): TokenIdentity => ({ countryCode: token.country_code, partyId: token.party_id, uid: token.uid, type: token.type });

/**
 * Driver tokens pushed by eMSPs, keyed by country_code + party_id + uid + type (all but type case-insensitive).
 * `written` hears of every write (who may see an unpublished location depends on the tokens that match it).
 */
export function tokensRepo(db: Db, written: (write: TokenWrite) => void) {
  const repo = {
    /** The token at that identity, as seen by the partner connection that pushed it. */
    get(id: TokenIdentity, partnerId: string): Token | undefined {
      return db.select({ body: tokens.body }).from(tokens).where(and(identity(id), eq(tokens.partnerId, partnerId))).get()?.body as Token | undefined;
    },
    /** The partner connection that brought the token (pushed it, had it pulled, answered for it, commanded with it). */
    holderOf(key: TokenKey): string | undefined {
      return db.select({ partnerId: tokens.partnerId }).from(tokens).where(identity(keyOf(key))).get()?.partnerId;
    },
    adopt(partnerId: string, token: Token): string {
      const holder = repo.holderOf(token);
      if (holder !== undefined) return holder;
      repo.put(partnerId, token);
      return partnerId;
    },
    put(partnerId: string, token: Token): { created: boolean } {
      const values = {
        partnerId,
        countryCode: token.country_code.toUpperCase(),
        partyId: token.party_id.toUpperCase(),
        uidKey: idKey(token.uid),
        type: token.type,
        lastUpdatedMs: parseOcpiDateTime(token.last_updated),
        body: token,
      };
      const key = keyOf(token);
      const existed = db.select({ body: tokens.body }).from(tokens).where(identity(key)).get();
      if (existed) db.update(tokens).set(values).where(identity(key)).run();
      else db.insert(tokens).values(values).run();
      written({ before: existed?.body as Token | undefined, after: token });
      return { created: !existed };
    },
    /** The partner's tokens by uid and type, whichever of its roles owns them. */
    findForPartner(partnerId: string, uid: string, type: string): Token | undefined {
      return db
        .select({ body: tokens.body })
        .from(tokens)
        .where(and(eq(tokens.partnerId, partnerId), eq(tokens.uidKey, idKey(uid)), eq(tokens.type, type)))
        .get()?.body as Token | undefined;
    },
    /** A token presented at a charge point: any eMSP's, by uid and type (the newest if several eMSPs share a uid). */
    findByUid(uid: string, type: string): Token | undefined {
      return db
        .select({ body: tokens.body })
        .from(tokens)
        .where(and(eq(tokens.uidKey, idKey(uid)), eq(tokens.type, type)))
        .orderBy(desc(tokens.lastUpdatedMs))
        .limit(1)
        .get()?.body as Token | undefined;
    },
    /** An unregistered partner's tokens go with it (OCPI 2.2.1 credentials DELETE: delete/disable its tokens). */
    deleteForPartner(partnerId: string) {
      db.delete(tokens).where(eq(tokens.partnerId, partnerId)).run();
      written('many');
    },
    /**
     * The parties owning a token that matches every field set in a Location's publish_allowed_to entry, each with
     * the partner connection holding that token.
     */
    holdersMatching(entry: PublishTokenType): { partnerId: string; party: { country_code: string; party_id: string } }[] {
      const conditions = [];
      if (entry.uid !== undefined) conditions.push(eq(tokens.uidKey, idKey(entry.uid)));
      if (entry.type !== undefined) conditions.push(eq(tokens.type, entry.type));
      if (entry.visual_number !== undefined) conditions.push(sql`json_extract(${tokens.body}, '$.visual_number') = ${entry.visual_number}`);
      if (entry.issuer !== undefined) conditions.push(sql`json_extract(${tokens.body}, '$.issuer') = ${entry.issuer}`);
      if (entry.group_id !== undefined)
        conditions.push(sql`upper(json_extract(${tokens.body}, '$.group_id')) = ${idKey(entry.group_id)}`);
      return db
        .selectDistinct({ partnerId: tokens.partnerId, countryCode: tokens.countryCode, partyId: tokens.partyId })
        .from(tokens)
        .where(and(...conditions))
        .all()
        .map((r) => ({ partnerId: r.partnerId, party: { country_code: r.countryCode, party_id: r.partyId } }));
    },
  };
  return repo;
}
