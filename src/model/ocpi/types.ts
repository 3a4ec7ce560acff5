/**
 * OCPI 2.2.1 shared data types (types.asciidoc; digest 1.10) and the small objects every module
 * reuses (BusinessDetails, Image, EnergyMix). Each schema doubles as the TypeScript type.
 *
 * Patterns are anchored because JSON-schema `pattern` is unanchored, and avoid `\p{..}` classes
 * because TypeBox compiles them without the `u` flag. Integers are TypeBox's own `Type.Integer`, here and in every
 * body schema: Elysia's `t.Integer` also takes numeric strings ("230" → 230), and a body must be what it says.
 */
import { t } from 'elysia';
import { FormatRegistry, Type } from '@sinclair/typebox';
import type { Static, TLiteral, TObject, TOptional, TProperties, TSchema, TString, TUnion } from '@sinclair/typebox';
import * as S from './spec-examples.ts';

/**
 * Formats beyond what a pattern can say, registered once for every schema (route validation and tests alike).
 * Each is a named format, so a failure names the field and the format ("Expected string to match 'iana-time-zone'").
 */
const TIME_ZONES = new Set(Intl.supportedValuesOf('timeZone'));
const LANGUAGES = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
/** A date that exists: patterns allow 2026-06-31 and 2025-02-29. */
function isCalendarDate(value: string): boolean {
  const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
FormatRegistry.Set('calendar-date', isCalendarDate);
/** IANA names this runtime can compute local times in (aliases such as Etc/UTC resolve to one of them). */
FormatRegistry.Set('iana-time-zone', (value) => {
  if (TIME_ZONES.has(value)) return true;
  try {
    return TIME_ZONES.has(new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone) && /^[A-Za-z]/.test(value);
  } catch {
    return false;
  }
});
/** Two letters naming a language ICU knows: two-letter codes are ISO 639-1 by construction. */
FormatRegistry.Set('iso-639-1', (value) => /^[a-z]{2}$/i.test(value) && LANGUAGES.of(value) !== undefined);
/** Absolute http(s) URL with a host: what a partner can be called on, or a browser can open. */
FormatRegistry.Set('http-url', (value) => {
  const url = URL.parse(value);
  return url !== null && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
});

type LiteralTuple<T extends readonly string[]> = { -readonly [K in keyof T]: TLiteral<T[K]> };

/**
 * String enum as a union of literals. The enum's name goes into `title` so OpenAPI and
 * validation errors say which enum was violated. All OCPI enum values are case-sensitive (1.10).
 */
export function StringEnum<const T extends readonly [string, ...string[]]>(
  title: string,
  values: T,
): TUnion<LiteralTuple<T>> {
  return t.Union(
    values.map((value) => t.Literal(value)),
    { title, examples: [values[0]] },
  ) as unknown as TUnion<LiteralTuple<T>>;
}

/** CiString(n): printable ASCII only (U+0020..U+007E); compared case-insensitively elsewhere. */
export function CiString(maxLength: number, options: { title?: string; description?: string } = {}): TString {
  return t.String({ ...options, maxLength, pattern: '^[\\x20-\\x7E]*$' });
}

/** string(n): printable UTF-8, i.e. no C0/C1 control characters (CR, LF, TAB… are not allowed). */
export function OcpiString(maxLength: number, options: { title?: string; description?: string } = {}): TString {
  return t.String({ ...options, maxLength, pattern: '^[^\\x00-\\x1F\\x7F-\\x9F]*$' });
}

/**
 * DateTime: string(25), always UTC. `Z` is optional (no designator also means UTC) and fractional
 * seconds are allowed; offsets such as `+00:00` are explicitly not allowed (1.10, pitfall 12).
 */
export const DateTime = t.String({
  title: 'DateTime',
  examples: ['2015-06-29T20:39:09Z'],
  maxLength: 25,
  format: 'calendar-date',
  pattern:
    '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?Z?$',
});
export type DateTime = Static<typeof DateTime>;

/** URL: string(255), an absolute http(s) URL (`format: 'uri'` would also let `file:` and `data:` through). */
export const Url = t.String({ title: 'URL', maxLength: 255, format: 'http-url', examples: ['https://www.server.com/ocpi/2.2.1'] });
export type Url = Static<typeof Url>;

/** Local time of day `HH:MM` (RegularHours periods, TariffRestrictions start/end_time). */
export const TimeOfDay = t.String({ title: 'TimeOfDay', examples: ['08:00'], maxLength: 5, pattern: '^([0-1][0-9]|2[0-3]):[0-5][0-9]$' });
export type TimeOfDay = Static<typeof TimeOfDay>;

/**
 * WGS 84 coordinates. Both values are strings with 5–7 decimals, not JSON numbers (pitfall 19).
 * Lives here rather than in location.ts because EVSE and the CDR's CdrLocation use it too.
 */
export const GeoLocation = t.Object(
  {
    latitude: t.String({ maxLength: 10, pattern: '^-?[0-9]{1,2}\\.[0-9]{5,7}$' }),
    longitude: t.String({ maxLength: 11, pattern: '^-?[0-9]{1,3}\\.[0-9]{5,7}$' }),
  },
  { title: 'GeoLocation', examples: [S.locationExample.coordinates] },
);
export type GeoLocation = Static<typeof GeoLocation>;

/** ISO 639-1 language code, e.g. `en`. */
export const Language = t.String({ title: 'Language', maxLength: 2, format: 'iso-639-1', examples: ['en'] });

/** IANA time zone name, e.g. `Europe/Amsterdam`. */
export const TimeZone = t.String({ title: 'TimeZone', maxLength: 255, format: 'iana-time-zone', examples: ['Europe/Brussels'] });

/** `language` is ISO 639-1; `text` is plain text without markup. */
export const DisplayText = t.Object(
  {
    language: Language,
    text: OcpiString(512),
  },
  { title: 'DisplayText', examples: [S.typeDisplayTextExample] },
);
export type DisplayText = Static<typeof DisplayText>;

/** `incl_vat` is optional: absent means VAT unknown/not applicable, not zero (pitfall 27). */
export const Price = t.Object(
  {
    excl_vat: t.Number(),
    incl_vat: t.Optional(t.Number()),
  },
  { title: 'Price', examples: [S.cdrExample.total_cost] },
);
export type Price = Static<typeof Price>;

export const Role = StringEnum('Role', ['CPO', 'EMSP', 'HUB', 'NAP', 'NSP', 'OTHER', 'SCSP']);
export type Role = Static<typeof Role>;

export const ImageCategory = StringEnum('ImageCategory', [
  'CHARGER',
  'ENTRANCE',
  'LOCATION',
  'NETWORK',
  'OPERATOR',
  'OTHER',
  'OWNER',
]);
export type ImageCategory = Static<typeof ImageCategory>;

/** int(5): at most five digits. */
const Int5 = Type.Integer({ minimum: 0, maximum: 99999 });

export const Image = t.Object(
  {
    url: Url,
    thumbnail: t.Optional(Url),
    category: ImageCategory,
    /** File extension style: gif, jpeg, png, svg… */
    type: CiString(4),
    width: t.Optional(Int5),
    height: t.Optional(Int5),
  },
  { title: 'Image', examples: [{ url: 'https://example.com/img/logo.jpg', thumbnail: 'https://example.com/img/logo_thumb.jpg', category: 'OPERATOR', type: 'jpeg', width: 512, height: 512 }] },
);
export type Image = Static<typeof Image>;

export const BusinessDetails = t.Object(
  {
    name: OcpiString(100),
    website: t.Optional(Url),
    logo: t.Optional(Image),
  },
  { title: 'BusinessDetails', examples: [S.locationExample.operator] },
);
export type BusinessDetails = Static<typeof BusinessDetails>;

export const EnergySourceCategory = StringEnum('EnergySourceCategory', [
  'NUCLEAR',
  'GENERAL_FOSSIL',
  'COAL',
  'GAS',
  'GENERAL_GREEN',
  'SOLAR',
  'WIND',
  'WATER',
]);
export type EnergySourceCategory = Static<typeof EnergySourceCategory>;

export const EnvironmentalImpactCategory = StringEnum('EnvironmentalImpactCategory', [
  'NUCLEAR_WASTE',
  'CARBON_DIOXIDE',
]);
export type EnvironmentalImpactCategory = Static<typeof EnvironmentalImpactCategory>;

export const EnergySource = t.Object(
  {
    source: EnergySourceCategory,
    /** Share of this source in percent; the sources of one mix should add up to 100. */
    percentage: t.Number({ minimum: 0, maximum: 100 }),
  },
  { title: 'EnergySource', examples: [S.locationEnergyMixExampleComplete.energy_mix.energy_sources[0]] },
);
export type EnergySource = Static<typeof EnergySource>;

export const EnvironmentalImpact = t.Object(
  {
    category: EnvironmentalImpactCategory,
    /** g/kWh */
    amount: t.Number(),
  },
  { title: 'EnvironmentalImpact', examples: [S.locationEnergyMixExampleComplete.energy_mix.environ_impact[0]] },
);
export type EnvironmentalImpact = Static<typeof EnvironmentalImpact>;

export const EnergyMix = t.Object(
  {
    /** true only for 100% renewable energy */
    is_green_energy: t.Boolean(),
    energy_sources: t.Optional(t.Array(EnergySource)),
    environ_impact: t.Optional(t.Array(EnvironmentalImpact)),
    supplier_name: t.Optional(OcpiString(64)),
    energy_product_name: t.Optional(OcpiString(64)),
  },
  { title: 'EnergyMix', examples: [S.locationEnergyMixExampleComplete.energy_mix] },
);
export type EnergyMix = Static<typeof EnergyMix>;

type WithLastUpdated = TProperties & { last_updated: TSchema };
type PatchProperties<P extends WithLastUpdated> = {
  [K in keyof P]: K extends 'last_updated' ? P[K] : P[K] extends TOptional<infer S> ? TOptional<S> : TOptional<P[K]>;
};

/**
 * PATCH body of an object: every field optional except `last_updated`, which every PATCH in the
 * Locations, Sessions and Tokens Receiver interfaces SHALL contain (1.6, 1.7; missing → OCPI 2001).
 */
export function PatchOf<P extends WithLastUpdated>(schema: TObject<P>, title: string, examples?: unknown[]): TObject<PatchProperties<P>> {
  const properties: Record<string, TSchema> = {};
  for (const [key, property] of Object.entries(schema.properties)) {
    properties[key] = key === 'last_updated' ? property : t.Optional(property);
  }
  return t.Object(properties, { title, ...(examples ? { examples } : {}) }) as unknown as TObject<PatchProperties<P>>;
}
