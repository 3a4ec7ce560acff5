import { eq, inArray } from 'drizzle-orm';
import { Tariff } from '../../model/ocpi/tariff.ts';
import type { Db } from './db.ts';
import { idKey } from '../../model/ocpi/ci-string.ts';
import { bodiesBySeq, readPage, seqsAndStamps, type PageFilter, type PagingRegistry, type RenderedPage } from './paging.ts';
import { servedForm } from './served-json.ts';
import { tariffs } from './schema/network.ts';

const served = servedForm(Tariff);
const ALL = 'all';

export function tariffsRepo(db: Db, paging: PagingRegistry) {
  const lists = paging.lists(() => seqsAndStamps(db.$client.prepare('SELECT seq, last_updated_ms FROM tariffs ORDER BY seq')));
  const bodies = bodiesBySeq(db.$client, 'tariffs', paging);
  return {
    get(id: string): Tariff | undefined {
      return db.select({ body: tariffs.body }).from(tariffs).where(eq(tariffs.key, idKey(id))).get()?.body as Tariff | undefined;
    },
    /** Which of `ids` are not stored. */
    missing(ids: string[]): string[] {
      if (ids.length === 0) return [];
      const found = new Set(
        db.select({ key: tariffs.key }).from(tariffs).where(inArray(tariffs.key, ids.map(idKey))).all().map((r) => r.key),
      );
      return ids.filter((id) => !found.has(idKey(id)));
    },
    put(tariff: Tariff): { created: boolean } {
      const key = idKey(tariff.id);
      const values = { key, lastUpdatedMs: Date.parse(tariff.last_updated), body: served(tariff) };
      const existed = db.select({ seq: tariffs.seq }).from(tariffs).where(eq(tariffs.key, key)).get();
      if (existed) db.update(tariffs).set(values).where(eq(tariffs.key, key)).run();
      const seq = existed?.seq ?? db.insert(tariffs).values(values).returning({ seq: tariffs.seq }).get().seq;
      for (const [, list] of lists.built()) list.put(seq, values.lastUpdatedMs);
      paging.cache.drop('tariffs', seq);
      return { created: !existed };
    },
    delete(id: string): boolean {
      const row = db.delete(tariffs).where(eq(tariffs.key, idKey(id))).returning({ seq: tariffs.seq }).get();
      if (!row) return false;
      for (const [, list] of lists.built()) list.remove(row.seq);
      paging.cache.drop('tariffs', row.seq);
      return true;
    },
    /** A page of tariffs as served, oldest first (creation order). */
    page(filter: PageFilter): RenderedPage {
      return readPage(lists.get(ALL), filter, bodies);
    },
  };
}
