import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { eventually } from '../support/eventually.ts';
import { startFakeEmsp, type FakeEmsp } from '../support/fake-emsp.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { connectStation } from '../support/stations.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

/** Quick retries, and every Session change pushed as it happens (no PATCH held back). */
const fast = { DELIVERY_BASE_DELAY_MS: '50', DELIVERY_MAX_DELAY_MS: '200', SESSION_PATCH_INTERVAL_S: '0' };
/** Retries wait on the server's clock: each step moves it past the longest backoff (DELIVERY_MAX_DELAY_MS). */
const pastBackoff = (clock: ManualClock) => clock.advance(Number(fast.DELIVERY_MAX_DELAY_MS));
const connector = { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, tariff_ids: ['T-PUSH'] };
const iso = (ms: number) => new Date(ms).toISOString();
const rfid = (uid: string) => ({ country_code: 'DE', party_id: 'EMS', uid, type: 'RFID', contract_id: `C-${uid}`, issuer: 'Fake', valid: true, whitelist: 'ALWAYS', last_updated: '2026-01-01T00:00:00Z' });

const clock = new ManualClock('2026-11-24T09:00:00.000Z');
let server: TestServer;
let emsp: FakeEmsp;
let token: string;
let partnerId: string;
let emspTokenB: string;

beforeAll(async () => {
  server = startTestServer({ env: fast, clock });
  emsp = startFakeEmsp();
  await server.api('PUT', '/api/v1/tariffs/T-PUSH', { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.4, vat: 25, step_size: 1 }] }] });
  await server.api('PUT', '/api/v1/locations/LOC-PUSH', {
    publish: true, address: 'Pushweg 1', city: 'Zwolle', country: 'NLD', time_zone: 'Europe/Amsterdam',
    coordinates: { latitude: '52.51250', longitude: '6.09440' },
    evses: [1, 2].map((n) => ({ uid: `PUSH-${n}`, status: 'AVAILABLE', connectors: [connector], ocpp: { charge_point_id: 'CP-PUSH', evse_id: n } })),
  });
  const invitation = (await server.api('POST', '/api/v1/ocpi/invitations')).body;
  partnerId = invitation.partner_id;
  const registration = await emsp.registerWith(invitation.versions_url, invitation.token);
  token = registration.cpo.token;
  emspTokenB = registration.tokenB;
  for (const uid of ['PUSH0001', 'PUSH0002', 'PUSH0003']) await server.ocpi('PUT', `/ocpi/cpo/2.2.1/tokens/DE/EMS/${uid}`, token, rfid(uid));
});
afterAll(async () => {
  await server.stop();
  emsp.stop();
  removeDir(server.dir);
});

async function chargeOnce(client: Awaited<ReturnType<typeof connectStation>>['client'], uid: string, connectorId: number, t0: number, kwh: number) {
  const { transactionId } = (await client.call('StartTransaction', { connectorId, idTag: uid, meterStart: 0, timestamp: iso(t0) })) as { transactionId: number };
  await client.call('MeterValues', { connectorId, transactionId, meterValue: [{ timestamp: iso(t0 + 15 * 60_000), sampledValue: [{ value: String((kwh * 1000) / 2) }] }] });
  await client.call('StopTransaction', { transactionId, meterStop: kwh * 1000, timestamp: iso(t0 + 30 * 60_000) });
}

describe('pushes to a registered eMSP', () => {
  test('registration brings the tariff then the location; statuses, sessions and the CDR follow as they happen', async () => {
    await eventually(() => {
      expect(emsp.store.tariffs.get('NL/DYN/T-PUSH')).toMatchObject({ id: 'T-PUSH', currency: 'EUR' });
      expect(emsp.store.locations.get('NL/DYN/LOC-PUSH')).toMatchObject({ id: 'LOC-PUSH', evses: [{ uid: 'PUSH-1' }, { uid: 'PUSH-2' }] });
    });
    const tariffFirst = emsp.received.findIndex((r) => r.path.includes('/tariffs/'));
    expect(tariffFirst).toBeLessThan(emsp.received.findIndex((r) => r.path.includes('/locations/')));

    const { client } = await connectStation(server, 'CP-PUSH');
    await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
    await client.call('StatusNotification', { connectorId: 1, status: 'Preparing', errorCode: 'NoError' });
    await eventually(() => expect(emsp.store.locations.get('NL/DYN/LOC-PUSH').evses[0].status).toBe('CHARGING'));
    const patch = emsp.received.find((r) => r.method === 'PATCH' && r.path.endsWith('/LOC-PUSH/PUSH-1'));
    expect(patch?.body).toMatchObject({ status: 'CHARGING', last_updated: expect.any(String) });
    // Pushed with the token the eMSP gave us (its token B), Base64-encoded as OCPI 2.2.1 wants.
    expect(patch?.authorization).toBe(`Token ${Buffer.from(emspTokenB).toString('base64')}`);

    await chargeOnce(client, 'PUSH0001', 1, Date.parse('2026-11-24T10:00:00Z'), 10);
    await eventually(() => expect(emsp.store.cdrs).toHaveLength(1));
    // 10 kWh × 0.40 = 4.00 excl.; × 1.25 = 5.00 incl.
    expect(emsp.store.cdrs[0]).toMatchObject({ total_energy: 10, total_cost: { excl_vat: 4, incl_vat: 5 }, cdr_token: { uid: 'PUSH0001' } });
    const session = [...emsp.store.sessions.values()][0];
    expect(session).toMatchObject({ status: 'COMPLETED', kwh: 10, total_cost: { excl_vat: 4, incl_vat: 5 } });
    const sessionCalls = emsp.received.filter((r) => r.path.includes('/sessions/')).map((r) => r.method);
    expect(sessionCalls[0]).toBe('PUT');
    expect(sessionCalls).toContain('PATCH');
    expect(sessionCalls.at(-1)).toBe('PUT');

    // The eMSP has the CDR once it received the POST; the delivery is recorded as delivered once its answer is in.
    await eventually(async () => {
      const delivered = await server.api('GET', `/api/v1/ocpi/partners/${partnerId}/deliveries?state=delivered`);
      const cdrDelivery = delivered.body.find((d: any) => d.object.startsWith('cdr:'));
      expect(cdrDelivery).toMatchObject({ state: 'delivered', method: 'POST', response_location: `${emsp.base}/ocpi/emsp/2.2.1/cdrs/1` });
    });
    await client.close();
  });

  test('while the eMSP answers 503 sessions still complete; after a restart and its return every CDR arrives once', async () => {
    emsp.state.failWith = 503;
    const { client } = await connectStation(server, 'CP-PUSH', { register: false });
    await chargeOnce(client, 'PUSH0002', 1, Date.parse('2026-11-24T12:00:00Z'), 6);
    await eventually(async () => {
      const failed = (await server.api('GET', `/api/v1/ocpi/partners/${partnerId}/deliveries?state=failed`)).body;
      expect(failed.length).toBeGreaterThan(0);
      expect(failed[0].last_error).toContain('503');
    });
    await client.close();

    server = await server.restart();
    const again = await connectStation(server, 'CP-PUSH', { register: false });
    await chargeOnce(again.client, 'PUSH0003', 2, Date.parse('2026-11-24T13:00:00Z'), 4);
    await again.client.close();
    expect(emsp.store.cdrs).toHaveLength(1);

    emsp.state.failWith = undefined;
    // Time moves past every backoff until the queue is empty: from then on nothing is left that could arrive again.
    await eventually(async () => {
      pastBackoff(clock);
      expect(emsp.store.cdrs).toHaveLength(3);
      expect((await server.api('GET', `/api/v1/ocpi/partners/${partnerId}/deliveries`)).body).toEqual([]);
    }, 10_000);
    const ids = emsp.store.cdrs.map((c) => c.id);
    expect(new Set(ids).size).toBe(3);
    expect(emsp.store.cdrs.map((c) => c.cdr_token.uid).sort()).toEqual(['PUSH0001', 'PUSH0002', 'PUSH0003']);
    for (const s of emsp.store.sessions.values()) expect(s.status).toBe('COMPLETED');
    expect(emsp.store.sessions.size).toBe(3);
    const pending = (await server.api('GET', `/api/v1/ocpi/partners/${partnerId}/deliveries`)).body;
    expect(pending).toEqual([]);
  });
});

describe('dead letters', () => {
  test('after the configured attempts a delivery is dead-lettered with its error, and replay sends it', async () => {
    const localClock = new ManualClock('2026-11-24T09:00:00.000Z');
    const local = startTestServer({ env: { ...fast, DELIVERY_MAX_ATTEMPTS: '2' }, clock: localClock });
    const partner = startFakeEmsp({ partyId: 'DLQ' });
    const invitation = (await local.api('POST', '/api/v1/ocpi/invitations')).body;
    await partner.registerWith(invitation.versions_url, invitation.token);
    partner.state.failWith = 500;
    await local.api('PUT', '/api/v1/tariffs/T-DLQ', { currency: 'EUR', elements: [{ price_components: [{ type: 'FLAT', price: 1, step_size: 1 }] }] });
    const dead = await eventually(async () => {
      pastBackoff(localClock);
      const rows = (await local.api('GET', `/api/v1/ocpi/partners/${invitation.partner_id}/deliveries?state=dead`)).body;
      expect(rows).toHaveLength(1);
      return rows[0];
    });
    expect(dead).toMatchObject({ object: 'tariff:T-DLQ', method: 'PUT', attempts: 2 });
    expect(dead.last_error).toContain('500');
    partner.state.failWith = undefined;
    expect((await local.api('POST', `/api/v1/ocpi/partners/${invitation.partner_id}/deliveries/${dead.id}/retry`)).status).toBe(200);
    await eventually(() => expect(partner.store.tariffs.get('NL/DYN/T-DLQ')).toMatchObject({ id: 'T-DLQ' }));
    // Unregistering stops whatever is still queued.
    partner.state.failWith = 500;
    await local.api('PUT', '/api/v1/tariffs/T-DLQ2', { currency: 'EUR', elements: [{ price_components: [{ type: 'FLAT', price: 2, step_size: 1 }] }] });
    await local.api('DELETE', `/api/v1/ocpi/partners/${invitation.partner_id}`);
    const left = (await local.api('GET', `/api/v1/ocpi/partners/${invitation.partner_id}/deliveries?state=pending,failed`)).body;
    expect(left).toEqual([]);
    await local.stop();
    partner.stop();
    removeDir(local.dir);
  });
});
