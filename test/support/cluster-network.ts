/**
 * The charging network the multi-node tests (and bench/failover.ts) run on, set up through one node's operator API
 * and an eMSP registered through it.
 */
import { afterAll, beforeAll } from 'bun:test';
import { startFakeEmsp, type FakeEmsp } from './fake-emsp.ts';
import { callNode, ocpiAuth, sharedPostgres, testCluster } from './cluster-nodes.ts';
import type { ServerProcess } from './server-process.ts';
import { STATION_PASSWORD, stationClient } from './stations.ts';

/** Outside bun test too (the bench): a failed set-up step throws with what was answered. */
async function must(step: Promise<{ status: number; body: unknown }>, status: number, what: string) {
  const answer = await step;
  if (answer.status !== status) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer;
}

export const appUser = (uid: string) => ({ country_code: 'DE', party_id: 'EMS', uid, type: 'APP_USER', contract_id: `C-${uid}`, issuer: 'Fake eMSP', valid: true, whitelist: 'ALWAYS', last_updated: '2026-01-01T00:00:00Z' });
export const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Tariff, a location with one EVSE per station id (with these OCPI capabilities), the stations registered, the eMSP
 * registered and its token pushed.
 */
export async function setUpNetwork(node: ServerProcess, emsp: FakeEmsp, stations: string[], capabilities = ['RESERVABLE', 'REMOTE_START_STOP_CAPABLE']) {
  const connector = { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, tariff_ids: ['T1'] };
  await must(callNode(node, 'PUT', '/api/v1/tariffs/T1', { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, vat: 20, step_size: 1 }] }] }), 201, 'tariff');
  const evses = stations.map((id) => ({ uid: `E-${id}`, status: 'AVAILABLE', capabilities, connectors: [connector], ocpp: { charge_point_id: id, evse_id: 1 } }));
  const location = { publish: true, address: 'Clusterweg 1', city: 'Delft', country: 'NLD', time_zone: 'Europe/Amsterdam', coordinates: { latitude: '52.01160', longitude: '4.35710' }, evses };
  await must(callNode(node, 'PUT', '/api/v1/locations/LOC-C', location), 201, 'location');
  for (const id of stations) await must(callNode(node, 'PUT', `/api/v1/charge-points/${id}`, { password: STATION_PASSWORD }), 201, `charge point ${id}`);
  const invitation = (await callNode(node, 'POST', '/api/v1/ocpi/invitations')).body;
  const token = (await emsp.registerWith(invitation.versions_url, invitation.token)).cpo.token as string;
  await must(callNode(node, 'PUT', '/ocpi/cpo/2.2.1/tokens/DE/EMS/RFID0001', { ...appUser('RFID0001'), type: 'RFID' }, ocpiAuth(token)), 201, 'token');
  return token;
}

/** A 1.6 station (ocpp-rpc, strict) connected to `node` and booted. */
export async function bootedStation(node: ServerProcess, id: string) {
  const client = stationClient({ endpoint: node.ocppUrl, identity: id, protocols: ['ocpp1.6'], password: STATION_PASSWORD });
  await client.connect();
  await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
  return client;
}

/** The CDRs the eMSP received for `sessionId` (duplicates included: exactly once means length 1). */
export const cdrsOf = (emsp: FakeEmsp, sessionId: string) => emsp.store.cdrs.filter((c) => c.session_id === sessionId);

/** The session id our OCPI sessions list gives the transaction's session (read through `node`). */
export async function sessionIdOf(node: ServerProcess, token: string, uid: string): Promise<string> {
  const sessions = (await callNode(node, 'GET', '/ocpi/cpo/2.2.1/sessions?date_from=2020-01-01T00:00:00Z', undefined, ocpiAuth(token))).body.data as any[];
  const session = sessions.find((s) => s.cdr_token.uid === uid);
  if (!session) throw new Error(`no session for ${uid}`);
  return session.id;
}

/**
 * The usual multi-node scenario of a test file: nodes A and B on one PostgreSQL database and Redis, a fake eMSP
 * registered, and a network of `stations` set up through node `through`, started before the file's tests and
 * stopped after them. `token` is the eMSP's OCPI token, known once the set-up ran.
 */
export function twoNodeNetwork(stations: string[], { env = {}, through = 'A' }: { env?: Record<string, string>; through?: 'A' | 'B' } = {}) {
  const scenario = { cluster: testCluster(sharedPostgres(), env), emsp: startFakeEmsp(), token: '' };
  beforeAll(async () => {
    await scenario.cluster.start('A');
    await scenario.cluster.start('B');
    scenario.token = await setUpNetwork(scenario.cluster.node(through), scenario.emsp, stations);
  });
  afterAll(async () => {
    await scenario.cluster.stop();
    scenario.emsp.stop();
  });
  return scenario;
}
