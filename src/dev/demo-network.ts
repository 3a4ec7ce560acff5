import type { LocationInput, TariffInput } from '../model/api/network-input.ts';
import type { Network } from '../charging-network/network.ts';

const connector = (id: string, power: 'AC_3_PHASE' | 'DC', tariff: string) =>
  power === 'DC'
    ? { id, standard: 'IEC_62196_T2_COMBO' as const, format: 'CABLE' as const, power_type: 'DC' as const, max_voltage: 920, max_amperage: 200, max_electric_power: 150000, tariff_ids: [tariff] }
    : { id, standard: 'IEC_62196_T2' as const, format: 'SOCKET' as const, power_type: 'AC_3_PHASE' as const, max_voltage: 230, max_amperage: 32, tariff_ids: [tariff] };

const tariffs: Record<string, TariffInput> = {
  'GWY-AC': {
    currency: 'GBP',
    type: 'REGULAR',
    elements: [{ price_components: [{ type: 'ENERGY', price: 0.45, vat: 20, step_size: 1 }] }],
  },
  'GWY-DC': {
    currency: 'GBP',
    type: 'REGULAR',
    elements: [
      { price_components: [{ type: 'FLAT', price: 0.5, vat: 20, step_size: 1 }] },
      { price_components: [{ type: 'ENERGY', price: 0.69, vat: 20, step_size: 1 }] },
    ],
  },
};

function site(id: string, name: string, address: string, city: string, postal: string, lat: string, lon: string, stations: { cp: string; dc: boolean; connectors: number }[]): LocationInput {
  return {
    publish: true,
    name,
    address,
    city,
    postal_code: postal,
    country: 'GBR',
    coordinates: { latitude: lat, longitude: lon },
    parking_type: 'PARKING_LOT',
    time_zone: 'Europe/London',
    facilities: ['CAFE'],
    evses: stations.flatMap(({ cp, dc, connectors }) =>
      Array.from({ length: connectors }, (_, i) => ({
        uid: `${cp}-${i + 1}`,
        evse_id: `GB*GWY*E${cp.replace(/\D/g, '')}${i + 1}`,
        status: 'AVAILABLE' as const,
        capabilities: ['REMOTE_START_STOP_CAPABLE' as const, 'RFID_READER' as const, 'RESERVABLE' as const],
        connectors: [connector('1', dc ? 'DC' : 'AC_3_PHASE', dc ? 'GWY-DC' : 'GWY-AC')],
        ocpp: { charge_point_id: cp, evse_id: i + 1 },
      })),
    ),
  };
}

/** The demo network `bun dev` starts with: three sites around London, AC and DC, two tariffs. */
export function seedDemoNetwork(network: Network) {
  for (const [id, tariff] of Object.entries(tariffs)) network.putTariff(id, tariff);
  network.putLocation('GWY-KINGS-CROSS', site('GWY-KINGS-CROSS', 'Kings Cross Car Park', '1 York Way', 'London', 'N1C 4AB', '51.53330', '-0.12280', [{ cp: 'CP001', dc: false, connectors: 2 }, { cp: 'CP002', dc: true, connectors: 1 }]));
  network.putLocation('GWY-GREENWICH', site('GWY-GREENWICH', 'Greenwich Retail Park', '12 Bugsby Way', 'London', 'SE10 0QJ', '51.48900', '0.00950', [{ cp: 'CP003', dc: false, connectors: 4 }]));
  network.putLocation('GWY-HEATHROW', site('GWY-HEATHROW', 'Heathrow Services', 'Bath Road', 'Hounslow', 'TW6 2AQ', '51.48070', '-0.44910', [{ cp: 'CP004', dc: true, connectors: 2 }]));
}
