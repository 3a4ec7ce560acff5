import { Type } from '@sinclair/typebox';
/** OCPI 2.2.1 Locations module: Connector and its enums (digest 5.1). */
import { t } from 'elysia';
import type { Static } from '@sinclair/typebox';
import { CiString, DateTime, PatchOf, StringEnum, Url } from './types.ts';
import * as S from './spec-examples.ts';

/** Values are exact and case-sensitive: note the lower-case `single`/`three` in the IEC 60309 ones. */
export const ConnectorType = StringEnum('ConnectorType', [
  'CHADEMO',
  'CHAOJI',
  'DOMESTIC_A',
  'DOMESTIC_B',
  'DOMESTIC_C',
  'DOMESTIC_D',
  'DOMESTIC_E',
  'DOMESTIC_F',
  'DOMESTIC_G',
  'DOMESTIC_H',
  'DOMESTIC_I',
  'DOMESTIC_J',
  'DOMESTIC_K',
  'DOMESTIC_L',
  'DOMESTIC_M',
  'DOMESTIC_N',
  'DOMESTIC_O',
  'GBT_AC',
  'GBT_DC',
  'IEC_60309_2_single_16',
  'IEC_60309_2_three_16',
  'IEC_60309_2_three_32',
  'IEC_60309_2_three_64',
  'IEC_62196_T1',
  'IEC_62196_T1_COMBO',
  'IEC_62196_T2',
  'IEC_62196_T2_COMBO',
  'IEC_62196_T3A',
  'IEC_62196_T3C',
  'NEMA_5_20',
  'NEMA_6_30',
  'NEMA_6_50',
  'NEMA_10_30',
  'NEMA_10_50',
  'NEMA_14_30',
  'NEMA_14_50',
  'PANTOGRAPH_BOTTOM_UP',
  'PANTOGRAPH_TOP_DOWN',
  'TESLA_R',
  'TESLA_S',
]);
export type ConnectorType = Static<typeof ConnectorType>;

export const ConnectorFormat = StringEnum('ConnectorFormat', ['SOCKET', 'CABLE']);
export type ConnectorFormat = Static<typeof ConnectorFormat>;

export const PowerType = StringEnum('PowerType', ['AC_1_PHASE', 'AC_2_PHASE', 'AC_2_PHASE_SPLIT', 'AC_3_PHASE', 'DC']);
export type PowerType = Static<typeof PowerType>;

export const Connector = t.Object(
  {
    /** Unique within its EVSE only. */
    id: CiString(36),
    standard: ConnectorType,
    format: ConnectorFormat,
    power_type: PowerType,
    /** Volts; line-to-neutral for AC_3_PHASE. Bounds: megawatt charging tops out at 1,250 V and 3,000 A. */
    max_voltage: Type.Integer({ minimum: 0, maximum: 2_000 }),
    /** Amperes. */
    max_amperage: Type.Integer({ minimum: 0, maximum: 5_000 }),
    /** Watts; only when lower than voltage × amperage suggests (e.g. a DC charger limited to 150 kW). */
    max_electric_power: t.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
    /** At most one active tariff per Tariff.type at a time; must reference tariffs already pushed (pitfall 33). */
    tariff_ids: t.Optional(t.Array(CiString(36))),
    terms_and_conditions: t.Optional(Url),
    last_updated: DateTime,
  },
  { title: 'Connector', examples: [S.locationExample.evses[0]!.connectors[0]] },
);
export type Connector = Static<typeof Connector>;

/** PATCH on `{locations}/{cc}/{pid}/{location_id}/{evse_uid}/{connector_id}` (e.g. new tariff_ids). */
export const ConnectorPatch = PatchOf(Connector, 'ConnectorPatch', [S.locationPatchExampleTariff]);
export type ConnectorPatch = Static<typeof ConnectorPatch>;
