import { afterAll, expect, test } from 'bun:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeEmsp } from '../support/fake-emsp.ts';
import { spawnServer, type ServerProcess } from '../support/server-process.ts';
import { removeDir } from '../support/server.ts';
import { databaseEnv } from '../support/test-database.ts';
import { STATION_PASSWORD, stationClient } from '../support/stations.ts';

const dir = mkdtempSync(join(tmpdir(), 'dynamo-kill-'));
const ADMIN = 'kill-test-admin-key-0123456789';
const env = {
  // The SQLite file in `dir`, or a PostgreSQL database of its own on a PostgreSQL run.
  ...databaseEnv(dir),
  ADMIN_API_KEY: ADMIN,
  SECRET_KEY: 'kill-test-secret-key-0123456789abcdef0123',
  CPO_COUNTRY_CODE: 'NL',
  CPO_PARTY_ID: 'DYN',
  CPO_NAME: 'Dynamo Kill Test',
};
const emsp = startFakeEmsp();
let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.kill();
  emsp.stop();
  removeDir(dir);
});

async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = { authorization: `Bearer ${ADMIN}` }) {
  const response = await fetch(base + path, { method, headers: { 'content-type': 'application/json', ...headers }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: response.status, body: (await response.json().catch(() => undefined)) as any };
}
const ocpiToken = (token: string) => ({ authorization: `Token ${Buffer.from(token).toString('base64')}` });
const iso = (ms: number) => new Date(ms).toISOString();

test('a server killed mid-session (SIGKILL) resumes it after restart: one session, one CDR with all the energy', async () => {
  server = await spawnServer(env);
  let base = server.url;
  const invitation = (await call(base, 'POST', '/api/v1/ocpi/invitations')).body;
  const { cpo } = await emsp.registerWith(invitation.versions_url, invitation.token);
  const token = cpo.token;
  expect((await call(base, 'PUT', '/api/v1/tariffs/T1', { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, vat: 20, step_size: 1 }] }] })).status).toBe(201);
  expect(
    (
      await call(base, 'PUT', '/api/v1/locations/LOC-K', {
        publish: true, address: 'Killstraat 9', city: 'Delft', country: 'NLD', time_zone: 'Europe/Amsterdam',
        coordinates: { latitude: '52.01160', longitude: '4.35710' },
        evses: [{ uid: 'K-1', status: 'AVAILABLE', ocpp: { charge_point_id: 'CP-K', evse_id: 1 },
          connectors: [{ id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, tariff_ids: ['T1'] }] }],
      })
    ).status,
  ).toBe(201);
  expect((await call(base, 'PUT', '/api/v1/charge-points/CP-K', { password: STATION_PASSWORD })).status).toBe(201);
  const rfid = { country_code: 'DE', party_id: 'EMS', uid: 'KILL0001', type: 'RFID', contract_id: 'DE-EMS-K1', issuer: 'Fake', valid: true, whitelist: 'ALWAYS', last_updated: '2026-01-01T00:00:00Z' };
  expect((await call(base, 'PUT', '/ocpi/cpo/2.2.1/tokens/DE/EMS/KILL0001', rfid, ocpiToken(token))).status).toBe(201);

  const t0 = Date.parse('2026-11-22T08:00:00Z');
  let station = stationClient({ endpoint: server.ocppUrl, identity: 'CP-K', protocols: ['ocpp1.6'], password: STATION_PASSWORD });
  await station.connect();
  await station.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
  const { transactionId } = (await station.call('StartTransaction', { connectorId: 1, idTag: 'KILL0001', meterStart: 0, timestamp: iso(t0) })) as { transactionId: number };
  await station.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: iso(t0 + 600_000), sampledValue: [{ value: '4000' }] }] });

  await server.kill('SIGKILL');
  server = await spawnServer(env);
  base = server.url;

  // The station reconnects to the restarted service and finishes its transaction (it queued while offline).
  station = stationClient({ endpoint: server.ocppUrl, identity: 'CP-K', protocols: ['ocpp1.6'], password: STATION_PASSWORD });
  await station.connect();
  await station.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: iso(t0 + 1_200_000), sampledValue: [{ value: '8000' }] }] });
  await station.call('StopTransaction', { transactionId, meterStop: 10_000, timestamp: iso(t0 + 1_800_000) });
  await station.close();

  const sessions = (await call(base, 'GET', '/ocpi/cpo/2.2.1/sessions?date_from=2026-01-01T00:00:00Z', undefined, ocpiToken(token))).body.data;
  expect(sessions).toHaveLength(1);
  expect(sessions[0]).toMatchObject({ status: 'COMPLETED', kwh: 10 });
  const cdrs = (await call(base, 'GET', '/ocpi/cpo/2.2.1/cdrs', undefined, ocpiToken(token))).body.data;
  expect(cdrs).toHaveLength(1);
  // 10 kWh × 0.30 = 3.00 excl.; × 1.20 = 3.60 incl.; 30 minutes.
  expect(cdrs[0]).toMatchObject({ total_energy: 10, total_time: 0.5, total_cost: { excl_vat: 3, incl_vat: 3.6 } });
});
