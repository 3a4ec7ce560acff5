/**
 * Object mothers for the operator network API: small, valid locations and tariffs that a test changes only
 * where its scenario needs to. Bodies are what an operator PUTs (no country_code / party_id / last_updated).
 */
import type { TestServer } from '../server.ts';

export interface ConnectorBody {
  id: string;
  standard: string;
  format: string;
  power_type: string;
  max_voltage: number;
  max_amperage: number;
  max_electric_power?: number;
  tariff_ids?: string[];
  [more: string]: unknown;
}
export interface EvseBody {
  uid: string;
  status: string;
  connectors: ConnectorBody[];
  ocpp?: { charge_point_id: string; evse_id: number };
  [more: string]: unknown;
}
export interface LocationBody {
  publish: boolean;
  address: string;
  city: string;
  country: string;
  coordinates: { latitude: string; longitude: string };
  time_zone: string;
  evses?: EvseBody[];
  [more: string]: unknown;
}

export function aConnector(id = '1', more: Partial<ConnectorBody> = {}): ConnectorBody {
  return { id, standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 16, ...more };
}

export function anEvse(uid: string, more: Partial<EvseBody> = {}): EvseBody {
  return { uid, status: 'AVAILABLE', connectors: [aConnector('1')], ...more };
}

export function aLocation(more: Partial<LocationBody> = {}): LocationBody {
  return {
    publish: true,
    name: 'Dynamo test site',
    address: 'Stationsplein 1',
    city: 'Utrecht',
    postal_code: '3511 ED',
    country: 'NLD',
    coordinates: { latitude: '52.089444', longitude: '5.110278' },
    time_zone: 'Europe/Amsterdam',
    ...more,
  };
}

export function aTariff(more: Record<string, unknown> = {}) {
  return {
    currency: 'EUR',
    elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, vat: 21.0, step_size: 1 }] }],
    ...more,
  };
}

/** PUT through the operator API, failing loudly when the server refuses (the scenario's setup, not its subject). */
export async function putLocation(server: TestServer, id: string, body: unknown) {
  const response = await server.api('PUT', `/api/v1/locations/${encodeURIComponent(id)}`, body);
  if (response.status !== 200 && response.status !== 201)
    throw new Error(`PUT location ${id}: HTTP ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function putTariff(server: TestServer, id: string, body: unknown) {
  const response = await server.api('PUT', `/api/v1/tariffs/${encodeURIComponent(id)}`, body);
  if (response.status !== 200 && response.status !== 201)
    throw new Error(`PUT tariff ${id}: HTTP ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}
