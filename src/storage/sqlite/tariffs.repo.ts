import { eq, inArray } from 'drizzle-orm';
import type { Tariff } from '../../model/ocpi/tariff.ts';
import type { Db } from './db.ts';
import { idKey } from '../../model/ocpi/ci-string.ts';
import { lastUpdatedWindow, pageOf, type PageFilter } from './paging.ts';
import { tariffs } from './schema/network.ts';

export function tariffsRepo(db: Db) {
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
      const values = { key, lastUpdatedMs: Date.parse(tariff.last_updated), body: tariff };
      const existed = db.select({ seq: tariffs.seq }).from(tariffs).where(eq(tariffs.key, key)).get();
      if (existed) db.update(tariffs).set(values).where(eq(tariffs.key, key)).run();
      else db.insert(tariffs).values(values).run();
      return { created: !existed };
    },
    delete(id: string): boolean {
      return db.delete(tariffs).where(eq(tariffs.key, idKey(id))).returning({ seq: tariffs.seq }).all().length > 0;
    },
    page(filter: PageFilter) {
      return pageOf<Tariff>(db, tariffs, tariffs, lastUpdatedWindow(tariffs.lastUpdatedMs, filter), filter);
    },
  };
}
