import type { Random } from './random.ts';
import { expectOk, type CsmsClient } from './csms-client.ts';

export interface SimStationPlan {
  id: string;
  password: string;
  protocol: 'ocpp1.6' | 'ocpp2.0.1';
  connectors: number;
  maxPowerKw: number;
  locationId: string;
  /** OCPI EVSE uid per OCPP connector/EVSE number (index 0 = connector 1). */
  evseUids: string[];
}

const SITES = [
  { id: 'AMS-CENTRAAL', name: 'Amsterdam Centraal P+R', address: 'Stationsplein 10', city: 'Amsterdam', postal: '1012 AB', lat: '52.37896', lon: '4.90093' },
  { id: 'UTR-JAARBEURS', name: 'Utrecht Jaarbeurs', address: 'Jaarbeursplein 6', city: 'Utrecht', postal: '3521 AL', lat: '52.08834', lon: '5.10652' },
  { id: 'A2-HOOGLAND', name: 'A2 Hoogland Services', address: 'Rijksweg A2 km 54', city: 'Vinkeveen', postal: '3645 ZA', lat: '52.21420', lon: '4.94000' },
];

/**
 * Builds the simulated network through the operator API: a regular and an ad-hoc (card) tariff for AC and DC,
 * three locations, and `stations` charge points spread over them — alternating OCPP 1.6 and 2.0.1, 1–4
 * connectors each, every connector its own EVSE bound to the station — each registered with its password.
 * EVSE ids (eMI3, "GB*GWY*E0011") carry the operator's country and party: the CPO's, as its credentials say;
 * without them (no eMSP to learn them through) the optional evse_id is left out rather than made up.
 */
export async function buildSimNetwork(
  csms: CsmsClient,
  stations: number,
  random: Random,
  prefix = 'SIM',
  operator?: { countryCode: string; partyId: string },
): Promise<SimStationPlan[]> {
  const tariffs = {
    [`${prefix}-AC`]: { type: 'REGULAR', price: 0.39 },
    [`${prefix}-AC-ADHOC`]: { type: 'AD_HOC_PAYMENT', price: 0.49 },
    [`${prefix}-DC`]: { type: 'REGULAR', price: 0.59 },
    [`${prefix}-DC-ADHOC`]: { type: 'AD_HOC_PAYMENT', price: 0.69 },
  };
  for (const [id, t] of Object.entries(tariffs))
    await expectOk(
      csms.call('PUT', `/api/v1/tariffs/${id}`, { currency: 'EUR', type: t.type, elements: [{ price_components: [{ type: 'ENERGY', price: t.price, vat: 21, step_size: 1 }] }] }),
      `tariff ${id}`,
    );
  const plans: SimStationPlan[] = Array.from({ length: stations }, (_, i) => {
    const dc = i % 4 === 3;
    const site = SITES[i % SITES.length]!;
    const id = `${prefix}-CP${String(i + 1).padStart(3, '0')}`;
    const connectors = dc ? random.int(1, 2) : random.int(1, 4);
    return {
      id,
      password: `sim-password-${id.toLowerCase()}-0000`.slice(0, 40),
      protocol: i % 2 === 0 ? 'ocpp1.6' : 'ocpp2.0.1',
      connectors,
      maxPowerKw: dc ? 150 : 22,
      locationId: `${prefix}-${site.id}`,
      evseUids: Array.from({ length: connectors }, (_, c) => `${id}-${c + 1}`),
    };
  });
  for (const plan of plans) await expectOk(csms.call('PUT', `/api/v1/charge-points/${plan.id}`, { password: plan.password }), `charge point ${plan.id}`);
  for (const site of SITES) {
    const locationId = `${prefix}-${site.id}`;
    const here = plans.filter((p) => p.locationId === locationId);
    if (here.length === 0) continue;
    await expectOk(
      csms.call('PUT', `/api/v1/locations/${locationId}`, {
        publish: true,
        name: site.name,
        address: site.address,
        city: site.city,
        postal_code: site.postal,
        country: 'NLD',
        coordinates: { latitude: site.lat, longitude: site.lon },
        parking_type: 'PARKING_LOT',
        time_zone: 'Europe/Amsterdam',
        evses: here.flatMap((plan) =>
          plan.evseUids.map((uid, c) => ({
            uid,
            ...(operator ? { evse_id: `${operator.countryCode}*${operator.partyId}*E${plan.id.replace(/\D/g, '')}${c + 1}` } : {}),
            status: 'UNKNOWN',
            capabilities: ['REMOTE_START_STOP_CAPABLE', 'RFID_READER', 'RESERVABLE', 'UNLOCK_CAPABLE', 'CREDIT_CARD_PAYABLE', 'CHARGING_PROFILE_CAPABLE'],
            ocpp: { charge_point_id: plan.id, evse_id: c + 1 },
            connectors: [
              plan.maxPowerKw > 22
                ? { id: '1', standard: 'IEC_62196_T2_COMBO', format: 'CABLE', power_type: 'DC', max_voltage: 920, max_amperage: 200, max_electric_power: 150000, tariff_ids: [`${prefix}-DC`, `${prefix}-DC-ADHOC`] }
                : { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, tariff_ids: [`${prefix}-AC`, `${prefix}-AC-ADHOC`] },
            ],
          })),
        ),
      }),
      `location ${locationId}`,
    );
  }
  return plans;
}
