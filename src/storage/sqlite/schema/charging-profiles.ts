import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Smart charging of a session (OCPI 2.2.1 ChargingProfiles): the OCPP chargingProfileId its eMSP's profiles carry
 * on the station (one per session, so a new profile replaces the last), the profile in force, whether the eMSP
 * ever set one successfully (from then on it hears of schedule changes), and the schedule it was last told.
 */
export const sessionChargingProfiles = sqliteTable(
  'session_charging_profiles',
  {
    ocppProfileId: integer('ocpp_profile_id').primaryKey({ autoIncrement: true }),
    sessionId: text('session_id').notNull(),
    partnerId: text('partner_id').notNull(),
    /** The eMSP's ChargingProfile as it sent it; null before the first success and after a clear. */
    profile: text('profile', { mode: 'json' }),
    acceptedAtMs: integer('accepted_at_ms'),
    /** The unit of the eMSP's last accepted profile: what it is told schedules in, also after a clear. */
    unit: text('unit', { enum: ['W', 'A'] }),
    /** The last ActiveChargingProfile sent to the eMSP (or given in a GET result), in its unit. */
    active: text('active', { mode: 'json' }),
  },
  (table) => [uniqueIndex('session_charging_profiles_session_idx').on(table.sessionId)],
);
