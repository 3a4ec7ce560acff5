import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { Location } from '../../model/ocpi/location.ts';
import type { Db } from './db.ts';
import { lastUpdatedWindow, pageOf, type PageFilter } from './paging.ts';
import { idKey } from '../../model/ocpi/ci-string.ts';
import { evses, locations } from './schema/network.ts';

export interface EvseRow {
  uidKey: string;
  chargePointId: string | null;
  ocppEvseId: number | null;
}

export function locationsRepo(db: Db) {
  return {
    get(id: string): Location | undefined {
      return db.select({ body: locations.body }).from(locations).where(eq(locations.key, idKey(id))).get()?.body as Location | undefined;
    },
    evsesOf(id: string): EvseRow[] {
      return db
        .select({ uidKey: evses.uidKey, chargePointId: evses.chargePointId, ocppEvseId: evses.ocppEvseId })
        .from(evses)
        .where(eq(evses.locationKey, idKey(id)))
        .all();
    },
    /** The EVSEs a charge point feeds, by OCPP evse id. */
    bindingsOf(chargePointId: string) {
      return db
        .select({ locationKey: evses.locationKey, uidKey: evses.uidKey, ocppEvseId: evses.ocppEvseId })
        .from(evses)
        .where(eq(evses.chargePointId, chargePointId))
        .all();
    },
    /** Rewrites a stored location body in place (EVSE index rows unchanged). */
    replaceBody(location: Location) {
      db.update(locations)
        .set({ body: location, lastUpdatedMs: Date.parse(location.last_updated) })
        .where(eq(locations.key, idKey(location.id)))
        .run();
    },
    /** EVSE uids or OCPP bindings among `rows` already used by another location. */
    conflictingEvses(id: string, rows: EvseRow[]) {
      if (rows.length === 0) return [];
      const bound = rows.filter((r) => r.chargePointId !== null);
      return db
        .select({ uidKey: evses.uidKey, locationKey: evses.locationKey, chargePointId: evses.chargePointId, ocppEvseId: evses.ocppEvseId })
        .from(evses)
        .where(
          and(
            sql`${evses.locationKey} <> ${idKey(id)}`,
            or(
              inArray(
                evses.uidKey,
                rows.map((r) => r.uidKey),
              ),
              ...bound.map((r) => and(eq(evses.chargePointId, r.chargePointId!), eq(evses.ocppEvseId, r.ocppEvseId!))),
            ),
          ),
        )
        .all();
    },
    /** Replaces the location and its EVSE index rows; the caller wraps this in a transaction. */
    put(location: Location, rows: EvseRow[]): { created: boolean } {
      const key = idKey(location.id);
      const values = { key, published: location.publish, lastUpdatedMs: Date.parse(location.last_updated), body: location };
      const existed = db.select({ seq: locations.seq }).from(locations).where(eq(locations.key, key)).get();
      if (existed) db.update(locations).set(values).where(eq(locations.key, key)).run();
      else db.insert(locations).values(values).run();
      db.delete(evses).where(eq(evses.locationKey, key)).run();
      if (rows.length > 0) db.insert(evses).values(rows.map((r) => ({ ...r, locationKey: key }))).run();
      return { created: !existed };
    },
    delete(id: string): boolean {
      return db.delete(locations).where(eq(locations.key, idKey(id))).returning({ seq: locations.seq }).all().length > 0;
    },
    /** Unpublished locations: few, and each needs its publish_allowed_to checked against the viewer's tokens. */
    unpublished(): Location[] {
      return db.select({ body: locations.body }).from(locations).where(eq(locations.published, false)).all().map((r) => r.body as Location);
    },
    /** Oldest first (creation order), stable across calls; `alsoVisible` adds unpublished locations by id. */
    page(filter: PageFilter, visibility: { all: true } | { alsoVisible: string[] }) {
      const visible = 'all' in visibility ? undefined : or(eq(locations.published, true), inArray(locations.key, visibility.alsoVisible.map(idKey)));
      return pageOf<Location>(db, locations, locations, lastUpdatedWindow(locations.lastUpdatedMs, filter, visible), filter);
    },
    /** Ids of locations with a connector listing the tariff. */
    referencingTariff(tariffId: string): string[] {
      return db
        .all<{ id: string }>(
          sql`SELECT DISTINCT json_extract(l.body, '$.id') AS id FROM ${locations} l,
                json_each(l.body, '$.evses') e, json_each(e.value, '$.connectors') c, json_each(c.value, '$.tariff_ids') tid
              WHERE upper(tid.value) = ${idKey(tariffId)}`,
        )
        .map((r) => r.id);
    },
  };
}
