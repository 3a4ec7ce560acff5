/**
 * The lists of a table whose rows belong to the party of their token (sessions, CDRs): one list per set of owners
 * asked for — a partner's roles, so that a partner with several roles pages through one list — or of every row.
 */
import type { Database } from 'bun:sqlite';
import type { Owner } from '../ports.ts';
import { bodiesBySeq, readPage, seqsAndStamps, type PageFilter, type PagingRegistry, type RenderedPage } from './paging.ts';

const ALL = '*';

/** The owners as one key: `CC/PID` (upper case) sorted, space-separated; OCPI country codes and party ids hold neither. */
function keyOf(owners: Owner[] | 'all') {
  if (owners === 'all') return ALL;
  return [...new Set(owners.map((o) => `${o.countryCode.toUpperCase()}/${o.partyId.toUpperCase()}`))].sort().join(' ');
}

/** `listed`: the SQL condition a row of the table must meet to be in a list at all. */
export function ownedLists(sqlite: Database, paging: PagingRegistry, table: 'sessions' | 'cdrs', listed = 'TRUE') {
  const ofOwner = sqlite.prepare(`SELECT seq, last_updated_ms FROM ${table} WHERE token_country_code = ? AND token_party_id = ? AND ${listed} ORDER BY seq`);
  const ofAll = sqlite.prepare(`SELECT seq, last_updated_ms FROM ${table} WHERE ${listed} ORDER BY seq`);
  const ownersOf = new Map<string, Set<string>>();
  const ownersOfKey = (key: string) => {
    let owners = ownersOf.get(key);
    if (!owners) ownersOf.set(key, (owners = new Set(key.split(' ').filter(Boolean))));
    return owners;
  };
  const lists = paging.lists((key) => {
    if (key === ALL) return seqsAndStamps(ofAll);
    const rows = [...ownersOfKey(key)].flatMap((owner) => seqsAndStamps(ofOwner, ...owner.split('/')));
    return rows.sort((a, b) => a[0] - b[0]);
  });
  const bodies = bodiesBySeq(sqlite, table, paging);
  return {
    page(filter: PageFilter, owners: Owner[] | 'all'): RenderedPage {
      return readPage(lists.get(keyOf(owners)), filter, bodies);
    },
    /** A row was written: it is listed for `owner` with this last_updated, or (no owner) not listed at all. */
    written(seq: number, lastUpdatedMs: number, owner: Owner | undefined) {
      paging.cache.drop(table, seq);
      const ownerKey = owner && keyOf([owner]);
      for (const [key, list] of lists.built()) {
        if (ownerKey && (key === ALL || ownersOfKey(key).has(ownerKey))) list.put(seq, lastUpdatedMs);
        else list.remove(seq);
      }
    },
  };
}
