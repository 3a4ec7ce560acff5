/**
 * The receipt a guest downloads, read back with pdftotext: the unit price of each tariff dimension and the
 * connector the guest chose (not the OCPI connector id inside the EVSE, which is "1" on every EVSE here).
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { pdfToText } from '../domain/receipt/poppler.ts';
import { eventually } from '../support/eventually.ts';
import { ADMIN_KEY, removeDir, startTestServer, type TestServer } from '../support/server.ts';
import { connectStation, type Station } from '../support/stations.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const connector = { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, tariff_ids: ['T-CARD'] };

let server: TestServer;
let station: Station;

beforeAll(async () => {
  server = startTestServer({ env: { GUEST_STOP_WAIT_S: '5' } });
  // Card payment: 1.00 per session, 0.50/kWh and 2.40/h of charging, all + 20% VAT.
  await server.api('PUT', '/api/v1/tariffs/T-CARD', {
    currency: 'EUR',
    type: 'AD_HOC_PAYMENT',
    elements: [
      {
        price_components: [
          { type: 'FLAT', price: 1, vat: 20, step_size: 1 },
          { type: 'ENERGY', price: 0.5, vat: 20, step_size: 1 },
          { type: 'TIME', price: 2.4, vat: 20, step_size: 60 },
        ],
      },
    ],
  });
  const put = await server.api('PUT', '/api/v1/locations/LOC-R', {
    publish: true, address: 'Kaartweg 7', city: 'Haarlem', country: 'NLD', time_zone: 'Europe/Amsterdam', coordinates: { latitude: '52.38740', longitude: '4.64620' },
    evses: [1, 2].map((n) => ({ uid: `R-${n}`, evse_id: `NL*DYN*ER${n}`, status: 'AVAILABLE', connectors: [connector], ocpp: { charge_point_id: 'CP-R', evse_id: n } })),
  });
  expect(put.status).toBe(201);
  station = await connectStation(server, 'CP-R');
  await station.client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
});

afterAll(async () => {
  await station?.client.close({ force: true });
  await server.stop();
  removeDir(server.dir);
});

test('a guest on connector 2 gets a receipt naming connector 2, with a unit price on every line', async () => {
  const startAt = Date.now() - 2 * 60 * 60_000;
  const started = Promise.withResolvers<number>();
  const { client } = station;
  // What a 1.6 station does on a remote start/stop: start the transaction, and stop it an hour and 12 kWh later.
  client.handle('RemoteStartTransaction', async ({ params }: { params?: any }) => {
    queueMicrotask(async () => {
      const { transactionId } = (await client.call('StartTransaction', { connectorId: params.connectorId, idTag: params.idTag, meterStart: 0, timestamp: iso(startAt) })) as { transactionId: number };
      started.resolve(transactionId);
    });
    return { status: 'Accepted' };
  });
  client.handle('RemoteStopTransaction', async ({ params }: { params?: any }) => {
    queueMicrotask(() => void client.call('StopTransaction', { transactionId: params.transactionId, meterStop: 12_000, timestamp: iso(startAt + 60 * 60_000), reason: 'Remote' }));
    return { status: 'Accepted' };
  });

  const authorized = await server.api('POST', '/api/v1/sessions/guest/authorize', { charge_point_id: 'CP-R', connector_id: 2, payment_method_id: 'pm_card_visa' });
  expect(authorized.status).toBe(201);
  const token: string = authorized.body.session_token;
  await started.promise;
  await eventually(async () => expect((await server.api('GET', `/api/v1/sessions/guest/${token}/status`)).body.status).toBe('charging'));
  const stopped = await server.api('POST', `/api/v1/sessions/guest/${token}/stop`);
  // 1.00 + 12 × 0.50 + 1 h × 2.40 = 9.40 excl. VAT; × 1.20 = 11.28.
  expect(stopped.body).toMatchObject({ status: 'stopped', final_cost: 11.28 });

  const receipt = await fetch(`${server.url}/api/v1/sessions/guest/${token}/receipt`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
  expect(receipt.status).toBe(200);
  const text = (await pdfToText(new Uint8Array(await receipt.arrayBuffer()), { layout: true })).replace(/[ \u00a0\u202f]+/g, ' ');
  expect(text).toContain('NL*DYN*ER2');
  expect(text).toMatch(/Connector\s+2\b/);
  expect(text).not.toMatch(/Connector\s+1\b/);
  // Each line: quantity, unit price (excl. VAT, like the amount column), amount excl. VAT.
  expect(text).toMatch(/Energy 12\.000 kWh €0\.50 \/ kWh €6\.00/);
  expect(text).toMatch(/Charging time 1:00 €2\.40 \/ h €2\.40/);
  expect(text).toMatch(/Session fee 1 session €1\.00 \/ session €1\.00/);
  expect(text).toContain('€11.28');
  expect(station.strictFailures).toEqual([]);
});
