import { Type } from '@sinclair/typebox';
/** OCPI 2.2.1 Tariffs module objects (digest 5.4; pricing semantics in section 6). */
import { t } from 'elysia';
import type { Static } from '@sinclair/typebox';
import { CiString, DateTime, DisplayText, EnergyMix, OcpiString, Price, StringEnum, TimeOfDay, Url } from './types.ts';
import * as S from './spec-examples.ts';

/** Step units: ENERGY 1 Wh, TIME and PARKING_TIME 1 s, FLAT none (6.4). */
export const TariffDimensionType = StringEnum('TariffDimensionType', ['ENERGY', 'FLAT', 'PARKING_TIME', 'TIME']);
export type TariffDimensionType = Static<typeof TariffDimensionType>;

/** Absent Tariff.type means the tariff is valid for all sessions. */
export const TariffType = StringEnum('TariffType', [
  'AD_HOC_PAYMENT',
  'PROFILE_CHEAP',
  'PROFILE_FAST',
  'PROFILE_GREEN',
  'REGULAR',
]);
export type TariffType = Static<typeof TariffType>;

export const DayOfWeek = StringEnum('DayOfWeek', [
  'MONDAY',
  'TUESDAY',
  'WEDNESDAY',
  'THURSDAY',
  'FRIDAY',
  'SATURDAY',
  'SUNDAY',
]);
export type DayOfWeek = Static<typeof DayOfWeek>;

export const ReservationRestrictionType = StringEnum('ReservationRestrictionType', [
  'RESERVATION',
  'RESERVATION_EXPIRES',
]);
export type ReservationRestrictionType = Static<typeof ReservationRestrictionType>;

export const PriceComponent = t.Object(
  {
    type: TariffDimensionType,
    /** Per unit, excluding VAT. */
    price: t.Number(),
    /** VAT percentage; absent means no VAT applicable, which differs from 0.0 (pitfall 27). */
    vat: t.Optional(t.Number({ minimum: 0, maximum: 100 })),
    /** Required even for FLAT; the free-of-charge example uses 0. */
    step_size: Type.Integer({ minimum: 0 }),
  },
  { title: 'PriceComponent', examples: [S.tariff1Simple2Hour.elements[0]!.price_components[0]] },
);
export type PriceComponent = Static<typeof PriceComponent>;

/** Local date `YYYY-MM-DD` (start inclusive, end exclusive). */
const LocalDate = t.String({ maxLength: 10, pattern: '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$', format: 'calendar-date' });

/**
 * All fields optional; set fields are ANDed. Times/dates are local to Location.time_zone. `min_*`
 * bounds are inclusive, `max_*` exclusive; `end_time < start_time` wraps past midnight.
 */
export const TariffRestrictions = t.Object(
  {
    start_time: t.Optional(TimeOfDay),
    end_time: t.Optional(TimeOfDay),
    start_date: t.Optional(LocalDate),
    end_date: t.Optional(LocalDate),
    min_kwh: t.Optional(t.Number({ minimum: 0 })),
    max_kwh: t.Optional(t.Number({ minimum: 0 })),
    /** Amperes summed over phases, instantaneous. */
    min_current: t.Optional(t.Number({ minimum: 0 })),
    max_current: t.Optional(t.Number({ minimum: 0 })),
    /** kW, instantaneous. */
    min_power: t.Optional(t.Number({ minimum: 0 })),
    max_power: t.Optional(t.Number({ minimum: 0 })),
    /** Seconds since session start. */
    min_duration: t.Optional(Type.Integer({ minimum: 0 })),
    max_duration: t.Optional(Type.Integer({ minimum: 0 })),
    day_of_week: t.Optional(t.Array(DayOfWeek)),
    /** Marks a reservation-cost element; only FLAT and TIME components are allowed in it. */
    reservation: t.Optional(ReservationRestrictionType),
  },
  { title: 'TariffRestrictions', examples: [S.tariff4Complex.elements[1]!.restrictions] },
);
export type TariffRestrictions = Static<typeof TariffRestrictions>;

export const TariffElement = t.Object(
  {
    price_components: t.Array(PriceComponent, { minItems: 1 }),
    restrictions: t.Optional(TariffRestrictions),
  },
  { title: 'TariffElement', examples: [S.tariff1Simple2Hour.elements[0]] },
);
export type TariffElement = Static<typeof TariffElement>;

/** Tariffs have no PATCH: the CPO always PUTs the whole object (4.4). */
export const Tariff = t.Object(
  {
    country_code: CiString(2),
    party_id: CiString(3),
    id: CiString(36),
    /** ISO 4217 */
    currency: OcpiString(3),
    type: t.Optional(TariffType),
    /** With `elements` present this only adds information; it must not restate the prices. */
    tariff_alt_text: t.Optional(t.Array(DisplayText)),
    tariff_alt_url: t.Optional(Url),
    min_price: t.Optional(Price),
    max_price: t.Optional(Price),
    elements: t.Array(TariffElement, { minItems: 1 }),
    start_date_time: t.Optional(DateTime),
    end_date_time: t.Optional(DateTime),
    energy_mix: t.Optional(EnergyMix),
    last_updated: DateTime,
  },
  { title: 'Tariff', examples: [S.tariff1Simple2Hour, S.tariff4Complex] },
);
export type Tariff = Static<typeof Tariff>;
