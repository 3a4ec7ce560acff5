import { afterAll, expect, test } from 'bun:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../support/eventually.ts';
import { spawnServer, type ServerProcess } from '../support/server-process.ts';
import { removeDir } from '../support/server.ts';
import { databaseEnv, secondConnection } from '../support/test-database.ts';
import { STATION_PASSWORD, stationClient } from '../support/stations.ts';

const dir = mkdtempSync(join(tmpdir(), 'dynamo-guest-kill-'));
const ADMIN = 'guest-kill-admin-key-0123456789';
const env = {
  // The SQLite file in `dir`, or a PostgreSQL database of its own on a PostgreSQL run.
  ...databaseEnv(dir),
  ADMIN_API_KEY: ADMIN,
  SECRET_KEY: 'guest-kill-secret-key-0123456789abcdef0123',
  CPO_COUNTRY_CODE: 'NL',
  CPO_PARTY_ID: 'DYN',
  CPO_NAME: 'Dynamo Guest Kill',
  GUEST_STOP_WAIT_S: '3',
};
let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.kill();
  removeDir(dir);
});

const api = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(server!.url + path, { method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: response.status, body: (await response.json().catch(() => undefined)) as any };
};
const iso = (ms: number) => new Date(ms).toISOString();

test('killed with SIGKILL mid-session and again right after the stop: one hold, one capture of the final cost', async () => {
  server = await spawnServer(env);
  await api('PUT', '/api/v1/tariffs/T-AD', { currency: 'EUR', type: 'AD_HOC_PAYMENT', elements: [{ price_components: [{ type: 'ENERGY', price: 0.4, vat: 25, step_size: 1 }] }] });
  await api('PUT', '/api/v1/locations/LOC-K', {
    publish: true, address: 'Crashweg 1', city: 'Gouda', country: 'NLD', time_zone: 'Europe/Amsterdam', coordinates: { latitude: '52.01150', longitude: '4.71040' },
    evses: [{ uid: 'K-1', status: 'AVAILABLE', ocpp: { charge_point_id: 'CP-KG', evse_id: 1 },
      connectors: [{ id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, tariff_ids: ['T-AD'] }] }],
  });
  await api('PUT', '/api/v1/charge-points/CP-KG', { password: STATION_PASSWORD });
  const t0 = Date.now() - 60 * 60_000;
  let transactionId: number | undefined;
  const connect = async () => {
    const client = stationClient({ endpoint: server!.ocppUrl, identity: 'CP-KG', protocols: ['ocpp1.6'], password: STATION_PASSWORD });
    client.handle('RemoteStartTransaction', async ({ params }: { params?: any }) => {
      setTimeout(async () => {
        transactionId = ((await client.call('StartTransaction', { connectorId: 1, idTag: params.idTag, meterStart: 0, timestamp: iso(t0) })) as { transactionId: number }).transactionId;
      }, 10);
      return { status: 'Accepted' };
    });
    client.handle('RemoteStopTransaction', async () => ({ status: 'Accepted' }));
    await client.connect();
    return client;
  };
  let client = await connect();
  await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
  const token = (await api('POST', '/api/v1/sessions/guest/authorize', { charge_point_id: 'CP-KG', connector_id: 1, payment_method_id: 'pm_card_visa' })).body.session_token;
  await eventually(() => expect(transactionId).toBeDefined());
  await client.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: iso(t0 + 600_000), sampledValue: [{ value: '3000' }] }] });

  // Kill mid-session; the station reconnects to the restarted service and goes on.
  await server.kill('SIGKILL');
  server = await spawnServer(env);
  client = await connect();
  await client.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: iso(t0 + 1_200_000), sampledValue: [{ value: '6000' }] }] });
  expect((await api('GET', `/api/v1/sessions/guest/${token}/status`)).body).toMatchObject({ status: 'charging', energy_kwh: 6 });

  // The station ends the transaction; kill the service the moment it answered.
  await client.call('StopTransaction', { transactionId, meterStop: 8000, timestamp: iso(t0 + 1_800_000) });
  await server.kill('SIGKILL');
  server = await spawnServer(env);

  const done = await eventually(async () => {
    const view = (await api('GET', `/api/v1/sessions/guest/${token}`)).body;
    expect(view.status).toBe('stopped');
    return view;
  });
  // 8 kWh × 0.40 = 3.20 excl.; × 1.25 = 4.00 incl.
  expect(done).toMatchObject({ final_cost: 4, payment: { held: 50, captured: 4, released: 46 } });
  await client.close();

  // The provider's own ledger (the simulated one keeps it in the service's database): one hold, one capture.
  const ledger = secondConnection({ databasePath: env.DATABASE_PATH, databaseUrl: env.DATABASE_URL });
  const entries = ledger.query('SELECT entry, amount_minor FROM simulated_payments ORDER BY seq').all() as { entry: string; amount_minor: number }[];
  ledger.close();
  expect(entries.filter((e) => e.entry === 'hold')).toEqual([{ entry: 'hold', amount_minor: 5000 }]);
  expect(entries.filter((e) => e.entry === 'capture')).toEqual([{ entry: 'capture', amount_minor: 400 }]);
});
