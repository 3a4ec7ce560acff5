/** OCPI 2.2.1 Locations module: EVSE, StatusSchedule and their enums (digest 5.1). */
import { t } from 'elysia';
import type { Static } from '@sinclair/typebox';
import { Connector } from './connector.ts';
import { CiString, DateTime, DisplayText, GeoLocation, Image, OcpiString, PatchOf, StringEnum } from './types.ts';
import * as S from './spec-examples.ts';

/** Status lives on the EVSE, not the Connector; EVSEs are never deleted but set to REMOVED (pitfall 22). */
export const Status = StringEnum('Status', [
  'AVAILABLE',
  'BLOCKED',
  'CHARGING',
  'INOPERATIVE',
  'OUTOFORDER',
  'PLANNED',
  'REMOVED',
  'RESERVED',
  'UNKNOWN',
]);
export type Status = Static<typeof Status>;

export const Capability = StringEnum('Capability', [
  'CHARGING_PROFILE_CAPABLE',
  'CHARGING_PREFERENCES_CAPABLE',
  'CHIP_CARD_SUPPORT',
  'CONTACTLESS_CARD_SUPPORT',
  'CREDIT_CARD_PAYABLE',
  'DEBIT_CARD_PAYABLE',
  'PED_TERMINAL',
  'REMOTE_START_STOP_CAPABLE',
  'RESERVABLE',
  'RFID_READER',
  'START_SESSION_CONNECTOR_REQUIRED',
  'TOKEN_GROUP_CAPABLE',
  'UNLOCK_CAPABLE',
]);
export type Capability = Static<typeof Capability>;

export const ParkingRestriction = StringEnum('ParkingRestriction', [
  'EV_ONLY',
  'PLUGGED',
  'DISABLED',
  'CUSTOMERS',
  'MOTORCYCLES',
]);
export type ParkingRestriction = Static<typeof ParkingRestriction>;

/** Informative pre-announcement of a status period; `period_end` absent = open-ended. */
export const StatusSchedule = t.Object(
  {
    period_begin: DateTime,
    period_end: t.Optional(DateTime),
    status: Status,
  },
  { title: 'StatusSchedule', examples: [{ period_begin: '2015-06-30T06:00:00Z', period_end: '2015-06-30T10:00:00Z', status: 'INOPERATIVE' }] },
);
export type StatusSchedule = Static<typeof StatusSchedule>;

export const EVSE = t.Object(
  {
    /** Technical id, unique within the CPO platform and never reused — not a hardware serial (pitfall 23). */
    uid: CiString(36),
    /** eMI3 EVSE ID; may be dropped once REMOVED so the id can be reused. */
    evse_id: t.Optional(CiString(48)),
    status: Status,
    status_schedule: t.Optional(t.Array(StatusSchedule)),
    capabilities: t.Optional(t.Array(Capability)),
    /** At least one; connectors of one EVSE cannot be used simultaneously. */
    connectors: t.Array(Connector, { minItems: 1 }),
    floor_level: t.Optional(OcpiString(4)),
    coordinates: t.Optional(GeoLocation),
    /** Number printed on the EVSE — a string, not a JSON number (see 8.4). */
    physical_reference: t.Optional(OcpiString(16)),
    directions: t.Optional(t.Array(DisplayText)),
    parking_restrictions: t.Optional(t.Array(ParkingRestriction)),
    images: t.Optional(t.Array(Image)),
    /** Bumped when the EVSE or any of its connectors changes (1.7). */
    last_updated: DateTime,
  },
  { title: 'EVSE', examples: [S.locationExample.evses[0]] },
);
export type EVSE = Static<typeof EVSE>;

/** PATCH on `{locations}/{cc}/{pid}/{location_id}/{evse_uid}` — most commonly a status change. */
export const EvsePatch = PatchOf(EVSE, 'EvsePatch', [S.locationPatchExampleStatus]);
export type EvsePatch = Static<typeof EvsePatch>;
