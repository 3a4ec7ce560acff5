import { asc, count, eq, getTableColumns } from 'drizzle-orm';
import type { Db } from './db.ts';
import { integrationRequestEvents, integrationRequests } from './schema/integration-requests.ts';

export type IntegrationRequestRow = Omit<typeof integrationRequests.$inferSelect, 'seq'>;
export type IntegrationRequestStatus = IntegrationRequestRow['status'];
export type IntegrationRequestEvent = Omit<typeof integrationRequestEvents.$inferSelect, 'seq' | 'requestId'>;
/** Who acted: the API key's id and the name shown in the history. */
export interface Actor {
  keyId: string;
  name: string;
}

const { seq: _seq, ...requestColumns } = getTableColumns(integrationRequests);
const { seq: _eventSeq, requestId: _requestId, ...eventColumns } = getTableColumns(integrationRequestEvents);

export function integrationRequestsRepo(db: Db) {
  // bun:sqlite transactions nest as savepoints, so these also compose inside storage.transact.
  const atomically = <T>(fn: () => T): T => db.$client.transaction(fn)();
  const record = (requestId: string, status: IntegrationRequestStatus, note: string | undefined, by: Actor, at: string) =>
    db.insert(integrationRequestEvents).values({ requestId, status, note: note ?? null, by: by.name, byKeyId: by.keyId, at }).run();
  return {
    create(row: Omit<IntegrationRequestRow, 'status' | 'updatedAt'>, by: Actor): IntegrationRequestRow {
      return atomically(() => {
        const created = db
          .insert(integrationRequests)
          .values({ ...row, status: 'submitted', updatedAt: row.createdAt })
          .returning(requestColumns)
          .get();
        record(row.id, 'submitted', undefined, by, row.createdAt);
        return created;
      });
    },
    get(id: string): IntegrationRequestRow | undefined {
      return db.select(requestColumns).from(integrationRequests).where(eq(integrationRequests.id, id)).get();
    },
    /** Oldest first: a triage queue is worked through in arrival order. */
    page(filter: { status?: IntegrationRequestStatus; offset: number; limit: number }) {
      const where = filter.status === undefined ? undefined : eq(integrationRequests.status, filter.status);
      const total = db.select({ n: count() }).from(integrationRequests).where(where).get()?.n ?? 0;
      const items = db
        .select(requestColumns)
        .from(integrationRequests)
        .where(where)
        .orderBy(asc(integrationRequests.seq))
        .limit(filter.limit)
        .offset(filter.offset)
        .all();
      return { items, total };
    },
    history(id: string): IntegrationRequestEvent[] {
      return db.select(eventColumns).from(integrationRequestEvents).where(eq(integrationRequestEvents.requestId, id)).orderBy(asc(integrationRequestEvents.seq)).all();
    },
    /** Undefined for an unknown request; otherwise the updated row, with the change in its history. */
    setStatus(id: string, change: { status: IntegrationRequestStatus; note?: string }, by: Actor, at: string): IntegrationRequestRow | undefined {
      return atomically(() => {
        const updated = db
          .update(integrationRequests)
          .set({ status: change.status, updatedAt: at })
          .where(eq(integrationRequests.id, id))
          .returning(requestColumns)
          .get();
        if (updated) record(id, change.status, change.note, by, at);
        return updated;
      });
    },
  };
}
