/**
 * The developer page in a real browser: the real server (OCPP, OCPI, a fake eMSP partner) with the /dev routes
 * mounted on their own port, headless Chromium (Debian's, driven by playwright-core) watching EVSE tiles change
 * colour live as an OCPP station reports statuses. No skipping: without Chromium this fails and says why.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Elysia } from 'elysia';
import { chromium, type Browser, type Page } from 'playwright-core';
import { docsPlugin } from '../../src/http/docs.plugin.ts';
import { devRoutes, SnapshotHub } from '../../src/dev/page/dev-routes.ts';
import { devSourcesOf, type DevSnapshot } from '../../src/dev/page/dev-snapshot.ts';
import { emspViewOf } from '../../src/dev/page/emsp-view.ts';
import { eventually } from '../support/eventually.ts';
import { aDriverToken, partnerPool, pushToken, type Partner } from '../support/mothers/partners.ts';
import { aConnector, aLocation, anEvse } from '../support/mothers/network.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';
import { connectStation, type Station } from '../support/stations.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(import.meta.dir, '..', '.artifacts');
const TIMEOUT = 30_000;

let server: TestServer;
let partner: Partner;
let hub: SnapshotHub;
let dev: { url: string; stop(): Promise<void> };
let browser: Browser | undefined;
let page: Page;
let station: Station;
let depot: Station;
const partners = partnerPool();
const iso = (ms: number) => new Date(ms).toISOString();

beforeAll(async () => {
  server = startTestServer();
  partner = await partners.registered(server, { countryCode: 'DE', partyId: 'EMS' });
  await pushToken(server, partner, aDriverToken(partner, { uid: 'RFID-DEV-1', whitelist: 'ALWAYS' }));
  await server.api('PUT', '/api/v1/tariffs/DEV-AC', {
    currency: 'EUR',
    elements: [{ price_components: [{ type: 'ENERGY', price: 0.39, vat: 21, step_size: 1 }] }],
  });
  const ac = aConnector('1', { max_amperage: 32, tariff_ids: ['DEV-AC'] });
  const centre = await server.api(
    'PUT',
    '/api/v1/locations/DEV-UTR',
    aLocation({
      name: 'Utrecht Centraal P+R',
      evses: [
        anEvse('UTR-1', { evse_id: 'NL*DYN*E1001', connectors: [ac], ocpp: { charge_point_id: 'CP-DEV-1', evse_id: 1 } }),
        anEvse('UTR-2', { evse_id: 'NL*DYN*E1002', connectors: [ac], ocpp: { charge_point_id: 'CP-DEV-1', evse_id: 2 } }),
        anEvse('UTR-3', { evse_id: 'NL*DYN*E1003', connectors: [ac], ocpp: { charge_point_id: 'CP-DEV-OFF', evse_id: 1 } }),
      ],
    }),
  );
  expect(centre.status).toBe(201);
  const dc = aConnector('1', { standard: 'IEC_62196_T2_COMBO', format: 'CABLE', power_type: 'DC', max_voltage: 920, max_amperage: 200, max_electric_power: 150000, tariff_ids: ['DEV-AC'] });
  const depotSite = await server.api(
    'PUT',
    '/api/v1/locations/DEV-DEPOT',
    aLocation({
      name: 'Bus depot Overvecht',
      address: 'Einsteindreef 2',
      evses: [
        anEvse('DEP-1', { connectors: [dc], ocpp: { charge_point_id: 'CP-DEV-2', evse_id: 1 } }),
        anEvse('DEP-2', { connectors: [dc], ocpp: { charge_point_id: 'CP-DEV-2', evse_id: 2 } }),
        anEvse('DEP-3', { status: 'PLANNED', connectors: [dc] }),
      ],
    }),
  );
  expect(depotSite.status).toBe(201);

  // The /dev routes on their own port, fed from the test server's services (src/app.ts stays untouched).
  const { emsp } = partner;
  const sources = devSourcesOf(server, () =>
    emspViewOf({ name: `Fake eMSP ${emsp.countryCode}/${emsp.partyId}`, locations: emsp.store.locations.values(), sessions: emsp.store.sessions.values(), cdrs: emsp.store.cdrs }),
  );
  hub = SnapshotHub.of(sources);
  const app = new Elysia().use(docsPlugin()).use(devRoutes(sources, { hub })).listen({ port: 0, hostname: '127.0.0.1' });
  dev = { url: `http://127.0.0.1:${app.server!.port}`, stop: async () => void (await app.stop(true)) };
});

afterAll(async () => {
  await browser?.close();
  await station?.client.close({ force: true });
  await depot?.client.close({ force: true });
  await dev?.stop();
  await server?.stop();
  partners.stopAll();
  if (server) removeDir(server.dir);
});

const snapshot = async (): Promise<DevSnapshot> => (await fetch(`${dev.url}/dev/snapshot`)).json() as Promise<DevSnapshot>;
const tile = (uid: string) => page.locator(`[data-evse-uid="${uid}"]`);
const statusOf = (uid: string) => tile(uid).getAttribute('data-status', { timeout: 5000 });

describe('GET /dev and /dev/snapshot', () => {
  test('the page is one self-contained HTML document, hidden from the OpenAPI document', async () => {
    const response = await fetch(`${dev.url}/dev`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).toStartWith('<!doctype html>');
    expect(html).toContain('<style>');
    expect(html).toContain("new EventSource('/dev/events')");
    // Offline: no external scripts, styles, fonts or images.
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(\s*["']?https?:/i);
    const spec = (await (await fetch(`${dev.url}/swagger/json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths).filter((p) => p.startsWith('/dev'))).toEqual([]);
  });

  test('the snapshot has our locations with EVSE statuses and bindings, and the partner’s queue', async () => {
    const snap = await snapshot();
    expect(snap.problems).toEqual([]);
    const utr = snap.locations.find((l) => l.id === 'DEV-UTR')!;
    expect(utr.evses[0]).toEqual({
      uid: 'UTR-1',
      evse_id: 'NL*DYN*E1001',
      status: 'AVAILABLE',
      charge_point_id: 'CP-DEV-1',
      ocpp_evse_id: 1,
      connected: null,
      power: 'AC 22.1 kW',
    });
    expect(snap.locations.find((l) => l.id === 'DEV-DEPOT')!.evses[2]).toMatchObject({ uid: 'DEP-3', status: 'PLANNED', charge_point_id: null, power: 'DC 150 kW' });
    expect(snap.sessions).toEqual([]);
    expect(snap.cdrs).toEqual([]);
    expect(snap.deliveries).toHaveLength(1);
    const [queue] = snap.deliveries;
    expect(queue).toMatchObject({ name: 'Fake eMSP EMS', status: 'registered', counts: { failed: 0, dead: 0 } });
    expect(queue!.latest.map((d) => d.object)).toContain('location:DEV-UTR');
    expect(snap.emsp).toMatchObject({ name: 'Fake eMSP DE/EMS', duplicate_cdr_ids: [] });
  });
});

describe('GET /dev/events', () => {
  test('sends a snapshot event at connect and stops polling when the client goes', async () => {
    const controller = new AbortController();
    const response = await fetch(`${dev.url}/dev/events`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('event: snapshot\ndata: ')) text += decoder.decode((await reader.read()).value, { stream: true });
    while (!/event: snapshot\ndata: .*\n\n/.test(text)) text += decoder.decode((await reader.read()).value, { stream: true });
    const data = /event: snapshot\ndata: (.*)\n\n/.exec(text)![1]!;
    expect((JSON.parse(data) as DevSnapshot).locations.map((l) => l.id).sort()).toEqual(['DEV-DEPOT', 'DEV-UTR']);
    expect(hub.subscriberCount).toBe(1);
    controller.abort();
    await eventually(() => expect(hub.subscriberCount).toBe(0));
  });
});

describe('the page in headless Chromium', () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH. The dev page browser test needs it and does not skip.`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'en-GB', timezoneId: 'Europe/Amsterdam' });
  });

  test(
    'EVSE tiles follow the station’s StatusNotifications live: AVAILABLE → CHARGING → OUTOFORDER',
    async () => {
      await page.goto(`${dev.url}/dev`);
      await page.waitForSelector('[data-evse-uid="UTR-1"]');
      expect(await statusOf('UTR-1')).toBe('AVAILABLE');
      // A marker that would not survive a reload: every change below must arrive through /dev/events.
      await page.evaluate(() => Object.assign(globalThis, { devPageMarker: 'same document' }));

      station = await connectStation(server, 'CP-DEV-1');
      await station.client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC-22' });
      for (const connectorId of [1, 2]) await station.client.call('StatusNotification', { connectorId, status: 'Available', errorCode: 'NoError' });
      await eventually(async () => expect(await tile('UTR-1').locator('.cp').getAttribute('data-connected')).toBe('true'));

      await station.client.call('StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError' });
      await page.waitForSelector('[data-evse-uid="UTR-1"][data-status="CHARGING"]', { timeout: 5000 });
      expect(await tile('UTR-1').locator('.status').textContent()).toBe('CHARGING');

      await station.client.call('StatusNotification', { connectorId: 1, status: 'Faulted', errorCode: 'GroundFailure' });
      await page.waitForSelector('[data-evse-uid="UTR-1"][data-status="OUTOFORDER"]', { timeout: 5000 });
      // Colour by status: OUTOFORDER is red (#dc2626).
      const style = (el: unknown) => (globalThis as unknown as { getComputedStyle(el: unknown): { borderLeftColor: string } }).getComputedStyle(el).borderLeftColor;
      expect(await tile('UTR-1').evaluate(style)).toBe('rgb(220, 38, 38)');
      expect(await page.evaluate(() => (globalThis as { devPageMarker?: string }).devPageMarker)).toBe('same document');
      expect(await page.locator('#conn').getAttribute('data-state')).toBe('live');
      expect(station.strictFailures).toEqual([]);
    },
    TIMEOUT,
  );

  test(
    'sessions, CDRs, the eMSP’s view and the delivery queue appear as they happen; screenshot',
    async () => {
      const { client } = station;
      const t0 = Date.now() - 95 * 60_000;
      // A finished session: one CDR, pushed to the eMSP.
      const first = (await client.call('StartTransaction', { connectorId: 2, idTag: 'RFID-DEV-1', meterStart: 120_000, timestamp: iso(t0) })) as { transactionId: number };
      await client.call('StatusNotification', { connectorId: 2, status: 'Charging', errorCode: 'NoError' });
      await client.call('StopTransaction', { transactionId: first.transactionId, meterStop: 138_450, timestamp: iso(t0 + 50 * 60_000), idTag: 'RFID-DEV-1' });
      await client.call('StatusNotification', { connectorId: 2, status: 'Available', errorCode: 'NoError' });
      // A running session.
      const second = (await client.call('StartTransaction', { connectorId: 2, idTag: 'RFID-DEV-1', meterStart: 138_450, timestamp: iso(t0 + 60 * 60_000) })) as { transactionId: number };
      await client.call('StatusNotification', { connectorId: 2, status: 'Charging', errorCode: 'NoError' });
      await client.call('MeterValues', {
        connectorId: 2,
        transactionId: second.transactionId,
        meterValue: [{ timestamp: iso(Date.now() - 60_000), sampledValue: [{ value: '146230', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }],
      });

      const cdr = (await eventually(async () => {
        const snap = await snapshot();
        expect(snap.cdrs).toHaveLength(1);
        return snap.cdrs[0]!;
      }))!;
      expect(cdr).toMatchObject({ token_uid: 'RFID-DEV-1', evse_uid: 'UTR-2', kwh: 18.45, currency: 'EUR', total_excl_vat: 7.1955, total_incl_vat: 8.7066 });
      await page.waitForSelector(`[data-cdr-id="${cdr.id}"]`, { timeout: 5000 });
      const live = page.locator('#sessions tr[data-session-id]');
      await eventually(async () => expect(await live.count()).toBe(1));
      expect(await live.first().textContent()).toContain('7.78 kWh');
      expect(await live.first().textContent()).toContain('€3.67');
      await page.waitForSelector('[data-evse-uid="UTR-2"][data-status="CHARGING"]', { timeout: 5000 });

      // The eMSP limits the running session to 7.4 kW (OCPI ChargingProfiles): its row and its EVSE's tile say so.
      client.handle('SetChargingProfile', async () => ({ status: 'Accepted' }));
      const running = (await snapshot()).sessions[0]!;
      const profile = { charging_rate_unit: 'W', charging_profile_period: [{ start_period: 0, limit: 7400 }] };
      const limited = await server.ocpi('PUT', `/ocpi/cpo/2.2.1/chargingprofiles/${running.id}`, partner.token, { charging_profile: profile, response_url: partner.emsp.profileResponseUrl('dev-limit') });
      expect(limited.body.data.result).toBe('ACCEPTED');
      const badge = page.locator(`tr[data-session-id="${running.id}"] .limit`);
      await badge.waitFor({ timeout: 5000 });
      expect(await badge.textContent()).toBe('limited to 7.4 kW');
      expect(await tile('UTR-2').locator('.limit').textContent()).toBe('limited to 7.4 kW');

      // The eMSP got the CDR once and holds our EVSE statuses.
      await page.waitForSelector(`[data-emsp-evse-uid="UTR-1"][data-status="OUTOFORDER"]`, { timeout: 5000 });
      await eventually(async () => expect((await snapshot()).emsp).toMatchObject({ cdr_count: 1, duplicate_cdr_ids: [] }));

      // A second station: reserved and unavailable EVSEs; then the eMSP goes down and a push fails.
      depot = await connectStation(server, 'CP-DEV-2');
      await depot.client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'DC-150' });
      await depot.client.call('StatusNotification', { connectorId: 1, status: 'Reserved', errorCode: 'NoError' });
      await depot.client.call('StatusNotification', { connectorId: 2, status: 'Unavailable', errorCode: 'NoError' });
      await page.waitForSelector('[data-evse-uid="DEP-1"][data-status="RESERVED"]', { timeout: 5000 });
      await page.waitForSelector('[data-evse-uid="DEP-2"][data-status="INOPERATIVE"]', { timeout: 5000 });
      await page.waitForSelector('[data-emsp-evse-uid="DEP-2"][data-status="INOPERATIVE"]', { timeout: 5000 });
      partner.emsp.state.failWith = 503;
      await depot.client.call('StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' });
      await page.waitForSelector('[data-evse-uid="DEP-1"][data-status="AVAILABLE"]', { timeout: 5000 });
      await page.waitForSelector('.queue .counter.failed.hot', { timeout: 10_000 });
      await page.waitForSelector('[data-emsp-evse-uid="DEP-1"].stale', { timeout: 5000 });
      expect(await page.locator('.queue tr.error-row').first().textContent()).toContain('HTTP 503');

      await page.waitForTimeout(1300); // let the change flash fade before the picture
      mkdirSync(ARTIFACTS, { recursive: true });
      const file = join(ARTIFACTS, 'dev-page.png');
      await page.screenshot({ path: file, fullPage: true });
      copyFileSync(file, '/tmp/dev-page.png');
      expect(existsSync(file)).toBe(true);
      expect(await page.locator('#problems').textContent()).toBe('');
    },
    TIMEOUT,
  );
});
