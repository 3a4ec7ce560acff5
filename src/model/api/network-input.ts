import { t } from 'elysia';
import type { Static, TObject, TOptional, TProperties } from '@sinclair/typebox';
import { Connector, EVSE, Location } from '../ocpi/location.ts';
import { Tariff } from '../ocpi/tariff.ts';
import { CiString, DateTime } from '../ocpi/types.ts';

/**
 * Operator API bodies are the OCPI objects themselves, loosened where we fill values in: `country_code` and
 * `party_id` default to ours, `last_updated` is always set by us (any value sent is ignored), and an EVSE may
 * carry its OCPP binding. Derived from the OCPI schemas so there is one definition per object.
 */
function loosen<P extends TProperties, K extends keyof P & string>(schema: TObject<P>, keys: K[], title: string) {
  const properties: TProperties = { ...schema.properties };
  for (const key of keys) properties[key] = t.Optional(schema.properties[key]!);
  return t.Object(properties, { title }) as unknown as TObject<Omit<P, K> & { [Q in K]: TOptional<P[Q]> }>;
}

/** The OCPP side of an EVSE: charge point id and EVSE number (1.6 connectorId, 2.0.1 evseId). */
export const OcppBinding = t.Object(
  {
    charge_point_id: t.String({ minLength: 1, maxLength: 48, pattern: '^[\\x21-\\x7E]+$' }),
    evse_id: t.Integer({ minimum: 0 }),
  },
  { title: 'OcppBinding' },
);
export type OcppBinding = Static<typeof OcppBinding>;

export const ConnectorInput = t.Object({ ...Connector.properties, last_updated: t.Optional(DateTime) }, { title: 'ConnectorInput' });
export const EvseInput = t.Object(
  {
    ...EVSE.properties,
    connectors: t.Array(ConnectorInput, { minItems: 1 }),
    last_updated: t.Optional(DateTime),
    ocpp: t.Optional(OcppBinding),
  },
  { title: 'EvseInput' },
);
export const LocationInput = t.Object(
  {
    ...loosen(Location, ['country_code', 'party_id', 'id', 'last_updated'], 'LocationInput').properties,
    evses: t.Optional(t.Array(EvseInput)),
  },
  { title: 'LocationInput' },
);
export type LocationInput = Static<typeof LocationInput>;

/** What the operator API shows: the OCPI Location with each EVSE's OCPP binding. */
export const OperatorLocation = t.Object(
  { ...Location.properties, evses: t.Optional(t.Array(t.Object({ ...EVSE.properties, ocpp: t.Optional(OcppBinding) }))) },
  { title: 'OperatorLocation' },
);

export const TariffInput = loosen(Tariff, ['country_code', 'party_id', 'id', 'last_updated'], 'TariffInput');
export type TariffInput = Static<typeof TariffInput>;

export const IdParam = t.Object({ id: CiString(36, { description: 'OCPI id (CiString(36))' }) });
