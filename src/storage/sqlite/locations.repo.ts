import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { Location, type PublishTokenType } from '../../model/ocpi/location.ts';
import type { Db } from './db.ts';
import { bodiesBySeq, readPage, seqsAndStamps, type PageFilter, type PagingRegistry, type RenderedPage } from './paging.ts';
import { servedForm } from './served-json.ts';
import { locationAudiences, type Holder, type TokenWrite } from './location-audiences.ts';
import type { Reader } from '../../domain/parties.ts';
import { idKey } from '../../model/ocpi/ci-string.ts';
import { evses, locations } from './schema/network.ts';

export interface EvseRow {
  uidKey: string;
  chargePointId: string | null;
  ocppEvseId: number | null;
}

/**
 * Who reads a list of locations: the operator sees all of them; a partner connection, acting for some of its
 * parties, the published ones and those one of these parties may see.
 */
export type LocationViewer = 'operator' | Reader;

const served = servedForm(Location);
const ALL = 'all';

/** One OCPI EVSE a charge point feeds: its location, its uid (both as keys) and the OCPP EVSE number. */
export interface EvseBinding {
  locationKey: string;
  uidKey: string;
  ocppEvseId: number | null;
}

/**
 * Locations and the EVSE index. `holdersMatching` names who holds tokens matching a publish_allowed_to entry: with
 * it `audiences` works out which unpublished locations a reader may not see, kept until a location or a matching
 * token changes (`tokensWritten`).
 */
export function locationsRepo(db: Db, paging: PagingRegistry, holdersMatching: (entry: PublishTokenType) => Holder[]) {
  const lists = paging.lists(() => seqsAndStamps(db.$client.prepare('SELECT seq, last_updated_ms FROM locations ORDER BY seq')));
  const bodies = bodiesBySeq(db.$client, 'locations', paging);
  const audiences = locationAudiences(db.$client, holdersMatching);
  // Which EVSEs a station feeds: every StatusNotification and session start asks, so they are kept in memory,
  // dropped with every write of the EVSE index and whenever the lists are (a rolled-back transaction; several
  // nodes: another node changed the tables).
  const bindingsByStation = new Map<string, readonly EvseBinding[]>();
  paging.onForget(() => {
    audiences.forget();
    bindingsByStation.clear();
  });
  const bindings = db.$client.prepare<EvseBinding, [string]>(
    'SELECT location_key AS "locationKey", uid_key AS "uidKey", ocpp_evse_id AS "ocppEvseId" FROM evses WHERE charge_point_id = ?',
  );
  const body = db.$client.prepare<{ body: string }, [string]>('SELECT body FROM locations WHERE key = ?');
  /**
   * A written location takes its place (or its new last_updated) in every list built and is read again when a
   * page needs it; when it is or was unpublished, who may see what is worked out again.
   */
  const listed = (seq: number, lastUpdatedMs: number, unpublished: boolean) => {
    for (const [, list] of lists.built()) list.put(seq, lastUpdatedMs);
    paging.cache.drop('locations', seq);
    if (unpublished) audiences.locationWritten();
  };
  return {
    get(id: string): Location | undefined {
      const row = body.get(idKey(id));
      return row ? (JSON.parse(row.body) as Location) : undefined;
    },
    evsesOf(id: string): EvseRow[] {
      return db
        .select({ uidKey: evses.uidKey, chargePointId: evses.chargePointId, ocppEvseId: evses.ocppEvseId })
        .from(evses)
        .where(eq(evses.locationKey, idKey(id)))
        .all();
    },
    /** The EVSEs a charge point feeds, by OCPP evse id. */
    bindingsOf(chargePointId: string): readonly EvseBinding[] {
      let found = bindingsByStation.get(chargePointId);
      if (!found) bindingsByStation.set(chargePointId, (found = bindings.all(chargePointId)));
      return found;
    },
    /** Rewrites a stored location body in place (EVSE index rows unchanged). */
    replaceBody(location: Location) {
      const lastUpdatedMs = Date.parse(location.last_updated);
      const row = db
        .update(locations)
        .set({ body: served(location), lastUpdatedMs })
        .where(eq(locations.key, idKey(location.id)))
        .returning({ seq: locations.seq, published: locations.published })
        .get();
      if (row) listed(row.seq, lastUpdatedMs, !row.published);
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
      const values = { key, published: location.publish, lastUpdatedMs: Date.parse(location.last_updated), body: served(location) };
      const existed = db.select({ seq: locations.seq, published: locations.published }).from(locations).where(eq(locations.key, key)).get();
      if (existed) db.update(locations).set(values).where(eq(locations.key, key)).run();
      const seq = existed?.seq ?? db.insert(locations).values(values).returning({ seq: locations.seq }).get().seq;
      db.delete(evses).where(eq(evses.locationKey, key)).run();
      if (rows.length > 0) db.insert(evses).values(rows.map((r) => ({ ...r, locationKey: key }))).run();
      bindingsByStation.clear();
      listed(seq, values.lastUpdatedMs, !location.publish || existed?.published === false);
      return { created: !existed };
    },
    delete(id: string): boolean {
      const row = db.delete(locations).where(eq(locations.key, idKey(id))).returning({ seq: locations.seq, published: locations.published }).get();
      if (!row) return false;
      bindingsByStation.clear();
      for (const [, list] of lists.built()) list.remove(row.seq);
      paging.cache.drop('locations', row.seq);
      if (!row.published) audiences.locationWritten();
      return true;
    },
    /** A page of locations as served, oldest first (creation order, stable across calls). */
    page(filter: PageFilter, viewer: LocationViewer): RenderedPage {
      return readPage(lists.get(ALL), filter, bodies, viewer === 'operator' ? [] : audiences.hiddenFrom(viewer));
    },
    /** Tokens were written: who may see the unpublished locations they match is worked out again when next asked. */
    tokensWritten(write: TokenWrite) {
      audiences.tokensWritten(write);
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
