/**
 * DELETE /api/v1/charge-points/{id} on a connected station with a running session: the session ends as any stop
 * does (COMPLETED, one CDR, pushed to the eMSP), the socket closes, the id is refused before the upgrade from
 * then on, and nothing in the way it all happens is logged as an error.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { capturingLogger } from '../support/capturing-logger.ts';
import { eventually } from '../support/eventually.ts';
import { aConnector, aLocation, aTariff, anEvse, putLocation, putTariff } from '../support/mothers/network.ts';
import { aDriverToken, partnerPool, pushToken, type Partner } from '../support/mothers/partners.ts';
import { connectStation, STATION_PASSWORD, stationClient } from '../support/stations.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

/** Every line the server logs, kept for the assertions instead of being written out. */
const { logger: capturing, lines } = capturingLogger();
const iso = (ms: number) => new Date(ms).toISOString();
const pool = partnerPool();

let server: TestServer;
let partner: Partner;

beforeAll(async () => {
  server = startTestServer({ logger: capturing, env: { DELIVERY_BASE_DELAY_MS: '50', DELIVERY_MAX_DELAY_MS: '200' } });
  await putTariff(server, 'T-DEL', aTariff());
  await putLocation(server, 'LOC-DEL', aLocation({ evses: [anEvse('DEL-1', { connectors: [aConnector('1', { tariff_ids: ['T-DEL'] })], ocpp: { charge_point_id: 'CP-DEL', evse_id: 1 } })] }));
  partner = await pool.registered(server);
  await pushToken(server, partner, aDriverToken(partner, { uid: 'DEL0001', whitelist: 'ALWAYS' }));
});
afterAll(async () => {
  await server.stop();
  pool.stopAll();
  removeDir(server.dir);
});

test('removing a charging station stops its session with a CDR, closes its socket and refuses its id', async () => {
  const { client, strictFailures } = await connectStation(server, 'CP-DEL');
  const closed = new Promise<{ code: number; reason: string }>((resolve) => client.once('close', resolve));
  await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
  await client.call('StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError' });
  const t0 = Date.now() - 30 * 60_000;
  const { transactionId } = (await client.call('StartTransaction', { connectorId: 1, idTag: 'DEL0001', meterStart: 0, timestamp: iso(t0) })) as { transactionId: number };
  await client.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: iso(t0 + 20 * 60_000), sampledValue: [{ value: '4000' }] }] });
  await eventually(() => expect(partner.emsp.store.locations.get('NL/DYN/LOC-DEL')?.evses[0].status).toBe('CHARGING'));

  expect((await server.api('DELETE', '/api/v1/charge-points/CP-DEL')).status).toBe(204);

  expect((await closed).code).toBe(1000);
  expect(strictFailures).toEqual([]);
  // The session ended as any stop ends it: completed at its last reading, with a reason, and its one CDR.
  const session = (await server.api('GET', '/api/v1/sessions')).body.find((s: any) => s.charge_point_id === 'CP-DEL');
  expect(session).toMatchObject({ state: 'completed', stop_reason: 'ChargePointRemoved', cdr_id: expect.any(String) });
  const cdrs = (await server.api('GET', '/api/v1/cdrs')).body.filter((c: any) => c.session_id === session.id);
  expect(cdrs).toHaveLength(1);
  expect(cdrs[0]).toMatchObject({ id: session.cdr_id, total_energy: 4, cdr_token: { uid: 'DEL0001' } });
  // The eMSP hears of it like of any other session end; the EVSE no longer has a station to report it.
  await eventually(() => {
    expect(partner.emsp.store.cdrs.map((c) => c.id)).toEqual([session.cdr_id]);
    expect(partner.emsp.store.sessions.get(`NL/DYN/${session.id}`)?.status).toBe('COMPLETED');
    expect(partner.emsp.store.locations.get('NL/DYN/LOC-DEL')?.evses[0].status).toBe('UNKNOWN');
  });

  expect((await server.api('GET', '/api/v1/charge-points/CP-DEL')).status).toBe(404);
  expect((await server.api('GET', '/api/v1/charge-points')).body.map((cp: any) => cp.id)).not.toContain('CP-DEL');
  // The same station with its old password is refused before the upgrade, like any unknown id.
  const again = stationClient({ endpoint: server.ocppUrl, identity: 'CP-DEL', protocols: ['ocpp1.6'], password: STATION_PASSWORD });
  expect(await again.connect().then(() => 'connected', (e: Error) => e.message)).toContain('Unauthorized');
  const auth = `Basic ${Buffer.from(`CP-DEL:${STATION_PASSWORD}`).toString('base64')}`;
  const upgrade = { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13', 'sec-websocket-protocol': 'ocpp1.6' };
  expect((await fetch(`${server.url}/ocpp/CP-DEL`, { headers: { ...upgrade, authorization: auth } })).status).toBe(401);

  await eventually(() => expect(lines.filter((l) => l.msg === 'Station authentication failed')).toHaveLength(2));
  expect(lines.filter((l) => l.level === 'error')).toEqual([]);
});

test('a removed id registered again starts afresh and connects', async () => {
  const { client } = await connectStation(server, 'CP-DEL');
  await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
  const view = (await server.api('GET', '/api/v1/charge-points/CP-DEL')).body;
  expect(view).toMatchObject({ connected: true, state: 'booted', protocol: 'ocpp1.6' });
  // Nothing of the removed station's actor carried over: only what this connection reported.
  expect(view.connectors).toEqual([]);
  await client.close();
  expect(lines.filter((l) => l.level === 'error')).toEqual([]);
});
