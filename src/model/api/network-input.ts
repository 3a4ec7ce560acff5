import { Type } from '@sinclair/typebox';
import { t } from 'elysia';
import type { Static, TObject, TOptional, TProperties } from '@sinclair/typebox';
import { Connector, EVSE, Location } from '../ocpi/location.ts';
import { Tariff } from '../ocpi/tariff.ts';
import { CiString, DateTime } from '../ocpi/types.ts';
import { locationExample, tariff1Simple2Hour } from '../ocpi/spec-examples.ts';

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
    evse_id: Type.Integer({ minimum: 0 }),
  },
  { title: 'OcppBinding', examples: [{ charge_point_id: 'CP001', evse_id: 1 }] },
);
export type OcppBinding = Static<typeof OcppBinding>;

/** The spec's location example as an operator writes it: our ids and stamps filled in by us, EVSEs bound to OCPP. */
const { country_code: _cc, party_id: _pid, id: _id, last_updated: _lu, ...locationBody } = locationExample;
const withoutStamp = <T extends { last_updated?: string }>({ last_updated: _, ...rest }: T) => rest;
const locationInputExample = {
  ...locationBody,
  evses: locationExample.evses.map((evse, i) => ({
    ...withoutStamp(evse),
    connectors: evse.connectors.map(withoutStamp),
    ocpp: { charge_point_id: 'CP001', evse_id: i + 1 },
  })),
};
const operatorLocationExample = {
  ...locationExample,
  evses: locationExample.evses.map((evse, i) => ({ ...evse, ocpp: { charge_point_id: 'CP001', evse_id: i + 1 } })),
};
const { country_code: _tcc, party_id: _tpid, id: _tid, last_updated: _tlu, ...tariffInputExample } = tariff1Simple2Hour;

export const ConnectorInput = t.Object({ ...Connector.properties, last_updated: t.Optional(DateTime) }, { title: 'ConnectorInput', examples: [locationInputExample.evses[0]!.connectors[0]] });
export const EvseInput = t.Object(
  {
    ...EVSE.properties,
    connectors: t.Array(ConnectorInput, { minItems: 1 }),
    last_updated: t.Optional(DateTime),
    ocpp: t.Optional(OcppBinding),
  },
  { title: 'EvseInput', examples: [locationInputExample.evses[0]] },
);
export const LocationInput = t.Object(
  {
    ...loosen(Location, ['country_code', 'party_id', 'id', 'last_updated'], 'LocationInput').properties,
    evses: t.Optional(t.Array(EvseInput)),
  },
  { title: 'LocationInput', examples: [locationInputExample] },
);
export type LocationInput = Static<typeof LocationInput>;

/** What the operator API shows: the OCPI Location with each EVSE's OCPP binding. */
export const OperatorLocation = t.Object(
  { ...Location.properties, evses: t.Optional(t.Array(t.Object({ ...EVSE.properties, ocpp: t.Optional(OcppBinding) }))) },
  { title: 'OperatorLocation', examples: [operatorLocationExample] },
);

export const TariffInput = t.Object(loosen(Tariff, ['country_code', 'party_id', 'id', 'last_updated'], 'TariffInput').properties, {
  title: 'TariffInput',
  examples: [tariffInputExample],
});
export type TariffInput = Static<typeof TariffInput>;

export const IdParam = t.Object({ id: CiString(36, { description: 'OCPI id (CiString(36))' }) });
