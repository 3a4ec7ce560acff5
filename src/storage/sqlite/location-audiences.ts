/**
 * Which unpublished locations a reader may not see, for list pages (OCPI 2.2.1 Location.publish_allowed_to: only
 * the owners of tokens matching an entry see them). Unpublished locations are few; who holds matching tokens is
 * looked up once per location and kept until the location changes or a token matching one of its entries (before
 * or after the write) is written, so a page pays a pass over the few, not a token search each.
 */
import type { Database } from 'bun:sqlite';
import { readsFor, type Party, type Reader } from '../../domain/parties.ts';
import { tokenMatchesEntry } from '../../domain/publish-rules.ts';
import type { Location, PublishTokenType } from '../../model/ocpi/location.ts';
import type { Token } from '../../model/ocpi/token.ts';

export interface Holder {
  partnerId: string;
  party: Party;
}

interface Unpublished {
  seq: number;
  entries: PublishTokenType[];
  /** Who holds a token matching an entry; worked out when first needed. */
  holders?: Holder[];
}

/** A token write: the token as it was and as it is (either missing), or every token of a partner at once. */
export type TokenWrite = { before: Token | undefined; after: Token | undefined } | 'many';

export function locationAudiences(sqlite: Database, holdersMatching: (entry: PublishTokenType) => Holder[]) {
  const query = sqlite.prepare('SELECT seq, body FROM locations WHERE published = 0 ORDER BY seq');
  let unpublished: Unpublished[] | undefined;
  const all = (): Unpublished[] =>
    (unpublished ??= (query.values() as [number, string][]).map(([seq, body]) => ({ seq, entries: (JSON.parse(body) as Location).publish_allowed_to ?? [] })));
  return {
    /** Seqs (ascending) of the unpublished locations none of the reader's parties may see through its connection. */
    hiddenFrom(reader: Reader): number[] {
      return all()
        .filter((u) => !(u.holders ??= u.entries.flatMap(holdersMatching)).some((h) => h.partnerId === reader.partnerId && readsFor(reader, h.party)))
        .map((u) => u.seq);
    },
    /** A location that is, or was, unpublished was written or deleted. */
    locationWritten() {
      unpublished = undefined;
    },
    tokensWritten(write: TokenWrite) {
      for (const u of unpublished ?? []) {
        const touched = write === 'many' || u.entries.some((e) => [write.before, write.after].some((t) => t !== undefined && tokenMatchesEntry(e, t)));
        if (touched) delete u.holders;
      }
    },
    forget() {
      unpublished = undefined;
    },
  };
}
export type LocationAudiences = ReturnType<typeof locationAudiences>;
