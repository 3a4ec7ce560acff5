/**
 * Issue 10, one test per flow that lost energy when readings were stored at whole seconds (a stretch between two
 * readings of the same second had zero length and its energy was dropped). Every timestamp here carries
 * milliseconds; "straight after one another" means within the same second, as a station's clock stamps it.
 * Tariff T-MT: 0.25/kWh excl. VAT, 10 % VAT, so 12.345 kWh = 3.08625 → 3.0863 excl., 3.394875 → 3.3949 incl.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { eventually } from '../support/eventually.ts';
import { startFakeEmsp, type FakeEmsp } from '../support/fake-emsp.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';
import { connectStation, type Station } from '../support/stations.ts';

const ID_TAG = 'MTREG001';
const iso = (ms: number) => new Date(ms).toISOString();
const connector = (tariffs: string[]) => ({ id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, tariff_ids: tariffs });
const evse = (cp: string, n: number, tariffs = ['T-MT']) => ({ uid: `${cp}-${n}`, status: 'AVAILABLE', connectors: [connector(tariffs)], ocpp: { charge_point_id: cp, evse_id: n } });
/** A whole second ten minutes ago plus 100 ms: the start of a transaction whose next readings share its second. */
const aSecondAgo = () => Math.floor(Date.now() / 1000) * 1000 - 10 * 60_000 + 100;
const register16 = (ms: number, wh: number) => ({ timestamp: iso(ms), sampledValue: [{ value: String(wh), measurand: 'Energy.Active.Import.Register', context: 'Sample.Periodic', unit: 'Wh' }] });
const register201 = (ms: number, wh: number, context = 'Sample.Periodic') => ({ timestamp: iso(ms), sampledValue: [{ value: wh, measurand: 'Energy.Active.Import.Register', context, unitOfMeasure: { unit: 'Wh' } }] });

let server: TestServer;
let emsp: FakeEmsp;
let token: string;
let partnerId: string;

beforeAll(async () => {
  // Every Session change is pushed as it happens: the eMSP's running kWh is followed reading by reading.
  server = startTestServer({ env: { DELIVERY_BASE_DELAY_MS: '50', DELIVERY_MAX_DELAY_MS: '200', GUEST_PREAUTH_AMOUNT: '5.00', GUEST_STOP_WAIT_S: '5', COMMAND_TIMEOUT_S: '2', SESSION_PATCH_INTERVAL_S: '0' } });
  emsp = startFakeEmsp();
  const invitation = (await server.api('POST', '/api/v1/ocpi/invitations')).body;
  partnerId = invitation.partner_id;
  token = (await emsp.registerWith(invitation.versions_url, invitation.token)).cpo.token;
  await server.api('PUT', '/api/v1/tariffs/T-MT', { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.25, vat: 10, step_size: 1 }] }] });
  // Guests pay the AD_HOC_PAYMENT tariff: 0.50/kWh + 20 % VAT = 0.60/kWh.
  await server.api('PUT', '/api/v1/tariffs/T-MT-REG', { currency: 'EUR', type: 'REGULAR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, vat: 20, step_size: 1 }] }] });
  await server.api('PUT', '/api/v1/tariffs/T-MT-ADHOC', { currency: 'EUR', type: 'AD_HOC_PAYMENT', elements: [{ price_components: [{ type: 'ENERGY', price: 0.5, vat: 20, step_size: 1 }] }] });
  const location = await server.api('PUT', '/api/v1/locations/LOC-MTR', {
    publish: true, address: 'Meterweg 2', city: 'Arnhem', country: 'NLD', time_zone: 'Europe/Amsterdam', coordinates: { latitude: '51.98520', longitude: '5.89880' },
    evses: [
      ...[1, 2, 3, 4, 5, 6, 7].map((n) => evse('MTR16', n)),
      ...[1, 2, 3].map((n) => evse('MTR201', n)),
      ...[1, 2].map((n) => evse('MTRG', n, ['T-MT-REG', 'T-MT-ADHOC'])),
    ],
  });
  expect(location.status).toBe(201);
  const rfid = { country_code: 'DE', party_id: 'EMS', uid: ID_TAG, type: 'RFID', contract_id: `DE-EMS-C${ID_TAG}`, issuer: 'Fake eMSP', valid: true, whitelist: 'ALWAYS', last_updated: '2026-01-01T00:00:00Z' };
  expect((await server.ocpi('PUT', `/ocpi/cpo/2.2.1/tokens/DE/EMS/${ID_TAG}`, token, rfid)).status).toBe(201);
});
afterAll(async () => {
  await server.stop();
  emsp.stop();
  removeDir(server.dir);
});

/** The Session an eMSP reads over OCPI, found through the operator API by its OCPP transaction. */
async function ocpiSession(chargePointId: string, transactionId: string | number) {
  const operator = (await server.api('GET', '/api/v1/sessions?limit=100')).body as any[];
  const id = operator.find((s) => s.charge_point_id === chargePointId && s.transaction_id === String(transactionId))?.id;
  expect(id).toBeString();
  const sessions = (await server.ocpi('GET', '/ocpi/cpo/2.2.1/sessions?limit=100', token)).body.data as any[];
  const session = sessions.find((s) => s.id === id);
  expect(session).toBeDefined();
  return session;
}

async function cdrOf(sessionId: string) {
  const cdrs = (await server.ocpi('GET', '/ocpi/cpo/2.2.1/cdrs?limit=100', token)).body.data as any[];
  const mine = cdrs.filter((c) => c.session_id === sessionId);
  expect(mine).toHaveLength(1);
  return mine[0];
}

async function station16(cp = 'MTR16', register = true): Promise<Station> {
  const station = await connectStation(server, cp, { register });
  await station.client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC-22' });
  return station;
}

async function station201(): Promise<Station> {
  const station = await connectStation(server, 'MTR201', { protocol: 'ocpp2.0.1' });
  await station.client.call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'DC' } });
  return station;
}

/** 1.6 as the issue reports it: start 0, 5000 and 10000 Wh `gapMs` apart, stop 12345 Wh half an hour later. */
async function issueFlow16(connectorId: number, gapMs: number) {
  const { client, strictFailures } = await station16();
  const t0 = aSecondAgo();
  const { transactionId } = (await client.call('StartTransaction', { connectorId, idTag: ID_TAG, meterStart: 0, timestamp: iso(t0) })) as { transactionId: number };
  await client.call('MeterValues', { connectorId, transactionId, meterValue: [register16(t0 + gapMs, 5000)] });
  await client.call('MeterValues', { connectorId, transactionId, meterValue: [register16(t0 + 2 * gapMs, 10_000)] });
  expect((await ocpiSession('MTR16', transactionId)).kwh).toBe(10);
  await client.call('StopTransaction', { transactionId, meterStop: 12_345, timestamp: iso(t0 + 30 * 60_000), reason: 'Local' });
  const session = await ocpiSession('MTR16', transactionId);
  expect(session).toMatchObject({ status: 'COMPLETED', kwh: 12.345 });
  expect(await cdrOf(session.id)).toMatchObject({ total_energy: 12.345, total_cost: { excl_vat: 3.0863, incl_vat: 3.3949 } });
  expect(strictFailures).toEqual([]);
  await client.close();
}

/** The same in 2.0.1: Started (Transaction.Begin 0) / Updated 5000 / Updated 10000 / Ended (Transaction.End 12345). */
async function issueFlow201(evseId: number, gapMs: number) {
  const { client, strictFailures } = await station201();
  const t0 = aSecondAgo();
  const transactionId = `MTR-${evseId}-${t0}`;
  const event = (eventType: string, seqNo: number, ms: number, meterValue: unknown[], more: object = {}) =>
    client.call('TransactionEvent', { eventType, seqNo, timestamp: iso(ms), triggerReason: eventType === 'Ended' ? 'StopAuthorized' : 'MeterValuePeriodic', transactionInfo: { transactionId }, meterValue, ...more });
  await event('Started', 0, t0, [register201(t0, 0, 'Transaction.Begin')], {
    triggerReason: 'Authorized', transactionInfo: { transactionId, chargingState: 'Charging' }, idToken: { idToken: ID_TAG, type: 'ISO14443' }, evse: { id: evseId, connectorId: 1 },
  });
  await event('Updated', 1, t0 + gapMs, [register201(t0 + gapMs, 5000)]);
  await event('Updated', 2, t0 + 2 * gapMs, [register201(t0 + 2 * gapMs, 10_000)]);
  expect((await ocpiSession('MTR201', transactionId)).kwh).toBe(10);
  await event('Ended', 3, t0 + 30 * 60_000, [register201(t0 + 30 * 60_000, 12_345, 'Transaction.End')], { transactionInfo: { transactionId, stoppedReason: 'Local' } });
  const session = await ocpiSession('MTR201', transactionId);
  expect(session).toMatchObject({ status: 'COMPLETED', kwh: 12.345 });
  expect(await cdrOf(session.id)).toMatchObject({ total_energy: 12.345, total_cost: { excl_vat: 3.0863, incl_vat: 3.3949 } });
  expect(strictFailures).toEqual([]);
  await client.close();
}

describe('readings within one second keep their energy (issue 10)', () => {
  test('OCPP 1.6: 0, 5000 and 10000 Wh straight after one another → Session 10 kWh, then CDR 12.345 kWh', () => issueFlow16(1, 150));
  test('OCPP 2.0.1: Begin 0, Updated 5000 and 10000 straight after one another → Session 10 kWh, then CDR 12.345 kWh', () => issueFlow201(1, 150));
  test('control: the same flows with 1.1 s between the readings (worked before the fix too)', async () => {
    await issueFlow16(2, 1100);
    await issueFlow201(2, 1100);
  });

  test('OCPP 1.6: a retransmitted StopTransaction of a 1000 → 6000 Wh transaction with readings in one second → one CDR of 5 kWh', async () => {
    const { client } = await station16();
    const t0 = aSecondAgo();
    const { transactionId } = (await client.call('StartTransaction', { connectorId: 3, idTag: ID_TAG, meterStart: 1000, timestamp: iso(t0 - 20 * 60_000) })) as { transactionId: number };
    await client.call('MeterValues', { connectorId: 3, transactionId, meterValue: [register16(t0, 3000)] });
    await client.call('MeterValues', { connectorId: 3, transactionId, meterValue: [register16(t0 + 400, 4000)] });
    const stop = { transactionId, meterStop: 6000, timestamp: iso(t0 + 800), reason: 'Local' };
    expect(await client.call('StopTransaction', stop)).toEqual({});
    expect(await client.call('StopTransaction', stop)).toEqual({});
    const session = await ocpiSession('MTR16', transactionId);
    expect(session).toMatchObject({ status: 'COMPLETED', kwh: 5 });
    // 5 kWh × 0.25 = 1.25 excl.; × 1.10 = 1.375 incl.
    expect(await cdrOf(session.id)).toMatchObject({ total_energy: 5, total_cost: { excl_vat: 1.25, incl_vat: 1.375 } });
    await client.close();
  });

  test('OCPP 2.0.1: an Updated sent twice with the same seqNo → the energy counts once and none is lost', async () => {
    const { client } = await station201();
    const t0 = aSecondAgo();
    const transactionId = `MTR-SEQ-${t0}`;
    const base = { triggerReason: 'MeterValuePeriodic', transactionInfo: { transactionId } };
    await client.call('TransactionEvent', {
      ...base, eventType: 'Started', seqNo: 0, timestamp: iso(t0), triggerReason: 'Authorized', transactionInfo: { transactionId, chargingState: 'Charging' },
      idToken: { idToken: ID_TAG, type: 'ISO14443' }, evse: { id: 3, connectorId: 1 }, meterValue: [register201(t0, 0, 'Transaction.Begin')],
    });
    const updated = { ...base, eventType: 'Updated', seqNo: 1, timestamp: iso(t0 + 300), meterValue: [register201(t0 + 300, 5000)] };
    await client.call('TransactionEvent', updated);
    await client.call('TransactionEvent', updated);
    await client.call('TransactionEvent', { ...base, eventType: 'Updated', seqNo: 2, timestamp: iso(t0 + 600), meterValue: [register201(t0 + 600, 10_000)] });
    expect((await ocpiSession('MTR201', transactionId)).kwh).toBe(10);
    await client.call('TransactionEvent', { ...base, eventType: 'Ended', seqNo: 3, timestamp: iso(t0 + 60_000), triggerReason: 'StopAuthorized', transactionInfo: { transactionId, stoppedReason: 'Local' }, meterValue: [register201(t0 + 60_000, 12_345, 'Transaction.End')] });
    const session = await ocpiSession('MTR201', transactionId);
    expect(session.kwh).toBe(12.345);
    expect(await cdrOf(session.id)).toMatchObject({ total_energy: 12.345, total_cost: { excl_vat: 3.0863, incl_vat: 3.3949 } });
    await client.close();
  });

  test('OCPP 1.6: a MeterValues right after StartTransaction (same second) keeps its energy', async () => {
    const { client } = await station16();
    const t0 = aSecondAgo();
    const { transactionId } = (await client.call('StartTransaction', { connectorId: 4, idTag: ID_TAG, meterStart: 0, timestamp: iso(t0) })) as { transactionId: number };
    await client.call('MeterValues', { connectorId: 4, transactionId, meterValue: [register16(t0 + 300, 3000)] });
    expect((await ocpiSession('MTR16', transactionId)).kwh).toBe(3);
    await client.call('StopTransaction', { transactionId, meterStop: 5000, timestamp: iso(t0 + 10 * 60_000) });
    const session = await ocpiSession('MTR16', transactionId);
    expect(session.kwh).toBe(5);
    expect(await cdrOf(session.id)).toMatchObject({ total_energy: 5, total_cost: { excl_vat: 1.25, incl_vat: 1.375 } });
    await client.close();
  });

  test('the CDR pushed to an eMSP after its outage carries all the energy', async () => {
    emsp.state.failWith = 503;
    const { client } = await station16();
    const t0 = aSecondAgo();
    const { transactionId } = (await client.call('StartTransaction', { connectorId: 5, idTag: ID_TAG, meterStart: 0, timestamp: iso(t0) })) as { transactionId: number };
    await client.call('MeterValues', { connectorId: 5, transactionId, meterValue: [register16(t0 + 200, 5000), register16(t0 + 500, 10_000)] });
    await client.call('StopTransaction', { transactionId, meterStop: 12_345, timestamp: iso(t0 + 700), reason: 'Local' });
    const id = (await ocpiSession('MTR16', transactionId)).id;
    await eventually(async () => expect((await server.api('GET', `/api/v1/ocpi/partners/${partnerId}/deliveries?state=failed`)).body.length).toBeGreaterThan(0));
    expect(emsp.store.cdrs.find((c) => c.session_id === id)).toBeUndefined();
    emsp.state.failWith = undefined;
    const pushed = await eventually(() => {
      const cdr = emsp.store.cdrs.find((c) => c.session_id === id);
      expect(cdr).toBeDefined();
      return cdr;
    }, 10_000);
    expect(pushed).toMatchObject({ total_energy: 12.345, total_cost: { excl_vat: 3.0863, incl_vat: 3.3949 } });
    await eventually(() => expect(emsp.store.sessions.get(`NL/DYN/${id}`)).toMatchObject({ status: 'COMPLETED', kwh: 12.345 }), 10_000);
    await client.close();
  }, 30_000);
});

describe('guests paying by card (issue 10)', () => {
  /** A 1.6 station answering remote start/stop like a real one; the stop's register and time come from `stop`. */
  async function guestStation(stop: { wh: number; at: number }) {
    const station = await station16('MTRG');
    const { client } = station;
    let transactionId: number | undefined;
    let stopRequested = false;
    const t0 = aSecondAgo() - 20 * 60_000;
    client.handle('RemoteStartTransaction', async ({ params }: { params?: any }) => {
      setTimeout(async () => {
        await client.call('Authorize', { idTag: params.idTag });
        ({ transactionId } = (await client.call('StartTransaction', { connectorId: params.connectorId, idTag: params.idTag, meterStart: 0, timestamp: iso(t0) })) as { transactionId: number });
      }, 10);
      return { status: 'Accepted' };
    });
    client.handle('RemoteStopTransaction', async ({ params }: { params?: any }) => {
      stopRequested = true;
      setTimeout(() => void client.call('StopTransaction', { transactionId: params.transactionId, meterStop: stop.wh, timestamp: iso(stop.at), reason: 'Remote' }).catch(() => undefined), 10);
      return { status: 'Accepted' };
    });
    return { station, transaction: () => transactionId, stopRequested: () => stopRequested };
  }

  async function startGuest(connectorId: number, stop: { wh: number; at: number }) {
    const guest = await guestStation(stop);
    const authorized = await server.api('POST', '/api/v1/sessions/guest/authorize', { charge_point_id: 'MTRG', connector_id: connectorId, payment_method_id: 'pm_card_visa' });
    expect(authorized.status).toBe(201);
    const sessionToken: string = authorized.body.session_token;
    await eventually(async () => expect((await server.api('GET', `/api/v1/sessions/guest/${sessionToken}/status`)).body.status).toBe('charging'));
    const transactionId = await eventually(() => {
      expect(guest.transaction()).toBeDefined();
      return guest.transaction()!;
    });
    return { ...guest, sessionToken, transactionId };
  }

  test('energy_kwh and the captured amount count readings of one second', async () => {
    const t = aSecondAgo();
    const guest = await startGuest(1, { wh: 6000, at: t + 800 });
    const meter = (ms: number, wh: number) => guest.station.client.call('MeterValues', { connectorId: 1, transactionId: guest.transactionId, meterValue: [register16(ms, wh)] });
    await meter(t, 2000);
    await meter(t + 400, 3000);
    // 3 kWh × 0.60 = 1.80 incl.
    expect((await server.api('GET', `/api/v1/sessions/guest/${guest.sessionToken}/status`)).body).toMatchObject({ status: 'charging', energy_kwh: 3, cost_so_far: 1.8 });
    const stopped = (await server.api('POST', `/api/v1/sessions/guest/${guest.sessionToken}/stop`)).body;
    // 6 kWh × 0.50 × 1.20 = 3.60 incl., under the 5.00 held: captured in full.
    expect(stopped).toMatchObject({ status: 'stopped', energy_kwh: 6, final_cost: 3.6 });
    await eventually(async () => expect((await server.api('GET', `/api/v1/sessions/guest/${guest.sessionToken}`)).body.payment).toMatchObject({ status: 'captured', captured: 3.6, released: 1.4 }));
    await guest.station.client.close();
  }, 20_000);

  test('readings of one second that bring the cost near the hold stop the charging', async () => {
    const t = aSecondAgo();
    const guest = await startGuest(2, { wh: 8000, at: t + 10 * 60_000 });
    const meter = (ms: number, wh: number) => guest.station.client.call('MeterValues', { connectorId: 2, transactionId: guest.transactionId, meterValue: [register16(ms, wh)] });
    // 4 kWh → 2.40 incl.; another interval like it would reach 4.80 < 5.00: keep charging.
    await meter(t, 4000);
    expect(guest.stopRequested()).toBe(false);
    // 7 kWh, 300 ms later → 4.20; another 1.80 would pass 5.00: stop now.
    await meter(t + 300, 7000);
    await eventually(() => expect(guest.stopRequested()).toBe(true), 3000);
    const done = await eventually(async () => {
      const view = (await server.api('GET', `/api/v1/sessions/guest/${guest.sessionToken}`)).body;
      expect(view.payment.status).toBe('captured');
      return view;
    });
    // 8 kWh × 0.60 = 4.80 ≤ 5.00.
    expect(done).toMatchObject({ status: 'stopped', energy_kwh: 8, final_cost: 4.8, payment: { captured: 4.8, released: 0.2 } });
    await guest.station.client.close();
  }, 20_000);
});

describe('a restart in the middle of a session (issue 10)', () => {
  test('the running kWh an eMSP sees before the restart counts readings of one second, and continues after it', async () => {
    const { client } = await station16();
    const t0 = aSecondAgo();
    const { transactionId } = (await client.call('StartTransaction', { connectorId: 7, idTag: ID_TAG, meterStart: 0, timestamp: iso(t0) })) as { transactionId: number };
    await client.call('MeterValues', { connectorId: 7, transactionId, meterValue: [register16(t0 + 200, 5000)] });
    await client.call('MeterValues', { connectorId: 7, transactionId, meterValue: [register16(t0 + 500, 10_000)] });
    const before = await ocpiSession('MTR16', transactionId);
    expect(before).toMatchObject({ status: 'ACTIVE', kwh: 10 });
    await eventually(() => expect(emsp.store.sessions.get(`NL/DYN/${before.id}`)).toMatchObject({ kwh: 10 }));
    await client.close();

    server = await server.restart();
    expect(await ocpiSession('MTR16', transactionId)).toMatchObject({ status: 'ACTIVE', kwh: 10 });
    const again = await station16('MTR16', false);
    const t1 = t0 + 5 * 60_000;
    await again.client.call('MeterValues', { connectorId: 7, transactionId, meterValue: [register16(t1, 11_000)] });
    await again.client.call('MeterValues', { connectorId: 7, transactionId, meterValue: [register16(t1 + 400, 11_500)] });
    expect((await ocpiSession('MTR16', transactionId)).kwh).toBe(11.5);
    await again.client.call('StopTransaction', { transactionId, meterStop: 12_345, timestamp: iso(t1 + 800), reason: 'Local' });
    const session = await ocpiSession('MTR16', transactionId);
    expect(session).toMatchObject({ status: 'COMPLETED', kwh: 12.345 });
    expect(await cdrOf(session.id)).toMatchObject({ total_energy: 12.345, total_cost: { excl_vat: 3.0863, incl_vat: 3.3949 } });
    await again.client.close();
  }, 20_000);
});
