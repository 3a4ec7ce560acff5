import { eq, sql } from 'drizzle-orm';
import type { ActiveChargingProfile, ChargingProfile } from '../../model/ocpi/charging-profiles.ts';
import type { SessionChargingProfile } from '../ports.ts';
import type { Db } from './db.ts';
import { sessionChargingProfiles as table } from './schema/charging-profiles.ts';

type Row = typeof table.$inferSelect;

const recordOf = (row: Row): SessionChargingProfile => ({
  sessionId: row.sessionId,
  partnerId: row.partnerId,
  ocppProfileId: row.ocppProfileId,
  profile: (row.profile as ChargingProfile | null) ?? null,
  acceptedAtMs: row.acceptedAtMs,
  unit: row.unit,
  active: (row.active as ActiveChargingProfile | null) ?? null,
});

export function chargingProfilesRepo(db: Db) {
  const get = (sessionId: string) => {
    const row = db.select().from(table).where(eq(table.sessionId, sessionId)).get();
    return row && recordOf(row);
  };
  return {
    open(sessionId: string, partnerId: string): SessionChargingProfile {
      db.insert(table).values({ sessionId, partnerId }).onConflictDoNothing({ target: table.sessionId }).run();
      return get(sessionId)!;
    },
    get,
    accepted(sessionId: string, profile: ChargingProfile, atMs: number) {
      db.update(table)
        .set({ profile, unit: profile.charging_rate_unit, acceptedAtMs: sql`coalesce(${table.acceptedAtMs}, ${atMs})`, active: null })
        .where(eq(table.sessionId, sessionId))
        .run();
    },
    cleared(sessionId: string) {
      db.update(table).set({ profile: null, active: null }).where(eq(table.sessionId, sessionId)).run();
    },
    reported(sessionId: string, active: ActiveChargingProfile) {
      db.update(table).set({ active }).where(eq(table.sessionId, sessionId)).run();
    },
  };
}
