/** An operator's first questions on a bad night: is it up, and what is it doing? Asked over HTTP, as a probe and Prometheus do. */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { eventually } from '../support/eventually.ts';
import { registerInvited, startFakeEmsp, type FakeEmsp } from '../support/fake-emsp.ts';
import { connectStation } from '../support/stations.ts';
import { ADMIN_KEY, removeDir, startTestServer, type TestServer } from '../support/server.ts';

const METRICS_TOKEN = 'metrics-scraper-token-0123456789';

interface Family {
  name: string;
  type: string;
  metrics: { value?: string; labels?: Record<string, string> }[];
}

async function scrape(server: TestServer, token = ADMIN_KEY): Promise<Map<string, Family> & { text: string }> {
  const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  const text = await response.text();
  const families = parsePrometheusTextFormat(text) as Family[];
  return Object.assign(new Map(families.map((f) => [f.name, f])), { text });
}

/** The value of one series, 0 when it does not exist yet. */
function valueOf(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const series = families.get(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return Number(series?.value ?? 0);
}

let server: TestServer;
let emsp: FakeEmsp;

beforeAll(async () => {
  server = startTestServer({ env: { METRICS_TOKEN, DELIVERY_MAX_ATTEMPTS: '1' } });
  emsp = startFakeEmsp();
  await server.api('PUT', '/api/v1/tariffs/T-ADHOC', { currency: 'EUR', type: 'AD_HOC_PAYMENT', elements: [{ price_components: [{ type: 'ENERGY', price: 0.5, vat: 20, step_size: 1 }] }] });
  const connector = { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, tariff_ids: ['T-ADHOC'] };
  const location = await server.api('PUT', '/api/v1/locations/LOC-OPS', {
    publish: true, address: 'Meetweg 1', city: 'Delft', country: 'NLD', time_zone: 'Europe/Amsterdam', coordinates: { latitude: '52.01160', longitude: '4.35710' },
    evses: [{ uid: 'OPS-1', evse_id: 'NL*DYN*EOPS1', status: 'AVAILABLE', connectors: [connector], ocpp: { charge_point_id: 'CP-OPS', evse_id: 1 } }],
  });
  expect(location.status).toBe(201);
});
afterAll(async () => {
  await server.stop();
  emsp.stop();
  removeDir(server.dir);
});

describe('health', () => {
  test('live and ready answer without authentication and reveal nothing secret', async () => {
    const live = await fetch(`${server.url}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/health/ready`);
    expect(ready.status).toBe(200);
    const body = await ready.json();
    expect(body).toEqual({ status: 'ready', checks: { storage: { ok: true, detail: expect.stringMatching(/migrations applied/) } } });
    expect(JSON.stringify(body)).not.toContain(server.config.databasePath);
  });

  test('ready is 503 with the failing check when storage stops answering; live stays 200', async () => {
    const other = startTestServer();
    other.storage.close();
    const ready = await fetch(`${other.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable', checks: { storage: { ok: false, detail: expect.stringMatching(/storage does not answer/) } } });
    expect((await fetch(`${other.url}/health/live`)).status).toBe(200);
    await other.stop();
    removeDir(other.dir);
  });
});

describe('metrics', () => {
  test('only the operator key or METRICS_TOKEN may scrape', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer not-a-key-at-all-000000' } })).status).toBe(401);
    const families = await scrape(server, METRICS_TOKEN);
    // The default process metrics come along, the heap's size too; not V8's heap spaces, which Bun computes by
    // walking the whole heap on the main thread (hundreds of milliseconds per scrape on a large node).
    expect(families.has('process_cpu_seconds_total')).toBe(true);
    expect(families.has('nodejs_heap_size_used_bytes')).toBe(true);
    expect(families.has('nodejs_heap_space_size_used_bytes')).toBe(false);
  });

  test('OCPP connections and messages move the counters and the reply-time histogram', async () => {
    const before = await scrape(server);
    const { client } = await connectStation(server, 'CP-OPS');
    await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
    for (let i = 0; i < 3; i++) await client.call('Heartbeat', {});
    const during = await scrape(server);
    expect(valueOf(during, 'dynamo_ocpp_connected_stations', { protocol: 'ocpp1.6' })).toBe(1);
    const heartbeats = { action: 'Heartbeat', direction: 'in', outcome: 'result' };
    expect(valueOf(during, 'dynamo_ocpp_messages_total', heartbeats) - valueOf(before, 'dynamo_ocpp_messages_total', heartbeats)).toBe(3);
    const histogram = during.get('dynamo_ocpp_message_duration_seconds')!;
    expect(histogram.type).toBe('HISTOGRAM');
    // The parser keeps a histogram's buckets but not its labels: the series itself is read from the text.
    expect(during.text).toContain('dynamo_ocpp_message_duration_seconds_count{action="Heartbeat"} 3');

    expect(valueOf(during, 'dynamo_actors_live', { kind: 'charge-point' })).toBe(1);

    const { transactionId } = (await client.call('StartTransaction', { connectorId: 1, idTag: 'NOBODY', meterStart: 0, timestamp: new Date().toISOString() })) as { transactionId: number };
    const charging = await scrape(server);
    expect(valueOf(charging, 'dynamo_sessions_active')).toBe(0); // refused tag: pending, not active
    expect(valueOf(charging, 'dynamo_actors_live', { kind: 'session' })).toBe(1);
    await client.call('StopTransaction', { transactionId, meterStop: 0, timestamp: new Date().toISOString() });
    // A finished session leaves memory; its snapshot stays readable from storage.
    expect(valueOf(await scrape(server), 'dynamo_actors_live', { kind: 'session' })).toBe(0);
    await client.close();
    await eventually(async () => expect(valueOf(await scrape(server), 'dynamo_ocpp_connected_stations', { protocol: 'ocpp1.6' })).toBe(0));
  });

  test('OCPI requests are counted by module, method and status; dead letters and payments too', async () => {
    const token = (await registerInvited(server, emsp)).cpo.token;
    expect((await server.ocpi('GET', '/ocpi/cpo/2.2.1/locations', token)).status).toBe(200);
    expect((await server.ocpi('GET', '/ocpi/cpo/2.2.1/locations/NOPE', token)).status).toBe(404);
    const families = await scrape(server);
    expect(valueOf(families, 'dynamo_ocpi_requests_total', { module: 'locations', method: 'GET', status_code: '200' })).toBe(1);
    expect(valueOf(families, 'dynamo_ocpi_requests_total', { module: 'locations', method: 'GET', status_code: '404' })).toBe(1);
    expect(valueOf(families, 'dynamo_ocpi_requests_total', { module: 'credentials', method: 'POST', status_code: '200' })).toBe(1);

    // The eMSP goes down: with one attempt allowed, the next push is a dead letter at once.
    emsp.state.failWith = 503;
    await server.api('PUT', '/api/v1/tariffs/T-ADHOC', { currency: 'EUR', type: 'AD_HOC_PAYMENT', elements: [{ price_components: [{ type: 'ENERGY', price: 0.55, vat: 20, step_size: 1 }] }] });
    await eventually(async () => expect(valueOf(await scrape(server), 'dynamo_outbox_dead_letters_total')).toBeGreaterThanOrEqual(1));
    emsp.state.failWith = undefined;

    const { client } = await connectStation(server, 'CP-OPS', { register: false });
    await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
    await client.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
    const declined = await server.api('POST', '/api/v1/sessions/guest/authorize', { charge_point_id: 'CP-OPS', connector_id: 1, payment_method_id: 'pm_card_chargeDeclinedInsufficientFunds' });
    expect(declined.status).toBe(402);
    expect(valueOf(await scrape(server), 'dynamo_payments_total', { operation: 'hold', outcome: 'declined' })).toBe(1);
    await client.close();
  });
});
