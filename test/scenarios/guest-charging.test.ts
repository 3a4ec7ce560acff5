import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { eventually } from '../support/eventually.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { connectStation, type Station } from '../support/stations.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

const connector = { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, tariff_ids: ['T-REG', 'T-ADHOC'] };
const iso = (ms: number) => new Date(ms).toISOString();

async function setUp(env: Record<string, string> = {}, clock?: ManualClock) {
  const server = startTestServer({ env: { GUEST_STOP_WAIT_S: '5', COMMAND_TIMEOUT_S: '2', ...env }, ...(clock ? { clock } : {}) });
  // Regular drivers pay 0.30/kWh; ad-hoc (card) payment 0.50/kWh + 20% VAT: the guest's price is the AD_HOC one.
  await server.api('PUT', '/api/v1/tariffs/T-REG', { currency: 'EUR', type: 'REGULAR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, vat: 20, step_size: 1 }] }] });
  await server.api('PUT', '/api/v1/tariffs/T-ADHOC', { currency: 'EUR', type: 'AD_HOC_PAYMENT', elements: [{ price_components: [{ type: 'ENERGY', price: 0.5, vat: 20, step_size: 1 }] }] });
  const put = await server.api('PUT', '/api/v1/locations/LOC-GUEST', {
    publish: true, address: 'Kaartweg 7', city: 'Haarlem', country: 'NLD', time_zone: 'Europe/Amsterdam', coordinates: { latitude: '52.38740', longitude: '4.64620' },
    evses: [1, 2, 3].map((n) => ({ uid: `G-${n}`, evse_id: `NL*DYN*EG${n}`, status: 'AVAILABLE', connectors: [connector], ocpp: { charge_point_id: 'CP-G', evse_id: n } }))
      .concat([{ uid: 'G-201', evse_id: 'NL*DYN*EG201', status: 'AVAILABLE', connectors: [connector], ocpp: { charge_point_id: 'CP-G201', evse_id: 1 } }]),
  });
  expect(put.status).toBe(201);
  return server;
}

/** A 1.6 station that does what a real one does on a remote start/stop: start/stop the transaction itself. */
function behaveLikeAStation(station: Station, opts: { meterStopWh: number; startAt: number; startOn?: boolean } ) {
  const { client } = station;
  const transactions = new Map<number, number>();
  client.handle('RemoteStartTransaction', async ({ params }: { params?: any }) => {
    if (opts.startOn !== false)
      setTimeout(async () => {
        try {
          await client.call('Authorize', { idTag: params.idTag });
          const { transactionId } = (await client.call('StartTransaction', { connectorId: params.connectorId, idTag: params.idTag, meterStart: 0, timestamp: iso(opts.startAt) })) as { transactionId: number };
          transactions.set(params.connectorId, transactionId);
        } catch {
          // The test closed the station meanwhile.
        }
      }, 10);
    return { status: 'Accepted' };
  });
  client.handle('RemoteStopTransaction', async ({ params }: { params?: any }) => {
    // A station closed by the test meanwhile just does not send it.
    setTimeout(() => void client.call('StopTransaction', { transactionId: params.transactionId, meterStop: opts.meterStopWh, timestamp: iso(opts.startAt + 60 * 60_000), reason: 'Remote' }).catch(() => undefined), 10);
    return { status: 'Accepted' };
  });
  return transactions;
}

describe('a guest pays by card at an OCPP 1.6 station', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await setUp();
  });
  afterAll(async () => {
    await server.stop();
    removeDir(server.dir);
  });

  test('hold → remote start → meter values → status with the hand-computed cost → stop → one capture → receipt', async () => {
    const station = await connectStation(server, 'CP-G');
    await station.client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
    await station.client.call('StatusNotification', { connectorId: 1, status: 'Preparing', errorCode: 'NoError' });
    const t0 = Date.now() - 2 * 60 * 60_000;
    const transactions = behaveLikeAStation(station, { meterStopWh: 12_000, startAt: t0 });

    const authorized = await server.api('POST', '/api/v1/sessions/guest/authorize', { charge_point_id: 'CP-G', connector_id: 1, payment_method_id: 'pm_card_visa' });
    expect(authorized.status).toBe(201);
    expect(authorized.body).toMatchObject({ charge_point_id: 'CP-G', connector_id: 1, status: 'authorizing' });
    const token: string = authorized.body.session_token;
    expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);

    const transactionId = await eventually(() => {
      const id = transactions.get(1);
      expect(id).toBeDefined();
      return id!;
    });
    await eventually(async () => expect((await server.api('GET', `/api/v1/sessions/guest/${token}/status`)).body.status).toBe('charging'));
    await station.client.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: iso(t0 + 30 * 60_000), sampledValue: [{ value: '10000' }] }] });
    const charging = (await server.api('GET', `/api/v1/sessions/guest/${token}/status`)).body;
    // 10 kWh × 0.50 (the AD_HOC_PAYMENT tariff, not the regular 0.30) = 5.00 excl. VAT; × 1.20 = 6.00 incl.
    expect(charging).toMatchObject({ status: 'charging', energy_kwh: 10, cost_so_far: 6, currency: 'EUR' });
    expect(charging.session_id).toBeString();

    const stopped = await server.api('POST', `/api/v1/sessions/guest/${token}/stop`);
    // 12 kWh × 0.50 = 6.00 excl.; × 1.20 = 7.20 incl.
    expect(stopped.body).toMatchObject({ status: 'stopped', energy_kwh: 12, final_cost: 7.2, currency: 'EUR' });
    expect(stopped.body.cdr_id).toBeString();
    // Stopping again answers the same.
    expect((await server.api('POST', `/api/v1/sessions/guest/${token}/stop`)).body).toEqual(stopped.body);

    const operator = (await server.api('GET', `/api/v1/sessions/guest/${token}`)).body;
    expect(operator.payment).toMatchObject({ provider: 'simulated', status: 'captured', held: 50, captured: 7.2, released: 42.8, shortfall: 0, brand: 'visa', last4: '4242' });
    expect(operator.payment.calls.map((c: any) => c.step)).toEqual(['hold', 'capture']);
    expect(new Set(operator.payment.calls.map((c: any) => c.idempotency_key)).size).toBe(2);

    // The CDR holds the same figures; the guest's session is never shown to a partner (our own token).
    const cdr = (await server.api('GET', '/api/v1/cdrs')).body.find((c: any) => c.id === stopped.body.cdr_id);
    expect(cdr).toMatchObject({ total_energy: 12, total_cost: { excl_vat: 6, incl_vat: 7.2 }, cdr_token: { type: 'AD_HOC_USER', country_code: 'NL', party_id: 'DYN' }, tariffs: [expect.objectContaining({ id: 'T-ADHOC' })] });

    const receipt = await fetch(`${server.url}/api/v1/sessions/guest/${token}/receipt`, { headers: { authorization: 'Bearer test-admin-key-0123456789abcdef' } });
    expect(receipt.status).toBe(200);
    expect(receipt.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await receipt.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(pdf);
    expect(text).toContain('Dynamo Test CPO');
    expect(text).toContain('12.000 kWh');
    expect(text).toContain('€7.20');
    expect(text).toContain('4242');
    expect(station.strictFailures).toEqual([]);
    await station.client.close();
  });

  test('refusals: bad payment method 400, declined 402, provider failure 502 retryable, unknown 404, offline/occupied/faulted 409', async () => {
    const authorize = (body: object) => server.api('POST', '/api/v1/sessions/guest/authorize', { charge_point_id: 'CP-G', connector_id: 2, payment_method_id: 'pm_card_visa', ...body });
    const station = await connectStation(server, 'CP-G', { register: false });
    expect((await authorize({ payment_method_id: '4242424242424242' })).status).toBe(400);
    const declined = await authorize({ payment_method_id: 'pm_card_chargeDeclinedInsufficientFunds' });
    expect(declined.status).toBe(402);
    expect(declined.body.reason).toBe('payment_declined');
    expect(declined.body.message).toMatch(/insufficient/i);
    const failing = await authorize({ payment_method_id: 'pm_card_chargeDeclinedProcessingError' });
    expect(failing.status).toBe(502);
    expect(failing.body).toMatchObject({ reason: 'payment_provider_error', retryable: true });
    expect((await authorize({ charge_point_id: 'CP-NOPE' })).status).toBe(404);
    expect((await authorize({ connector_id: 9 })).status).toBe(404);

    await station.client.call('StatusNotification', { connectorId: 2, status: 'Faulted', errorCode: 'GroundFailure' });
    expect((await authorize({})).body.reason).toBe('connector_faulted');
    await station.client.call('StatusNotification', { connectorId: 2, status: 'Available', errorCode: 'NoError' });
    const { transactionId } = (await station.client.call('StartTransaction', { connectorId: 2, idTag: 'SOMEONE', meterStart: 0, timestamp: new Date().toISOString() })) as { transactionId: number };
    const occupied = await authorize({});
    expect(occupied.status).toBe(409);
    expect(occupied.body.reason).toBe('connector_occupied');
    await station.client.call('StopTransaction', { transactionId, meterStop: 0, timestamp: new Date().toISOString() });
    await station.client.close();
    await eventually(async () => expect((await server.api('GET', '/api/v1/charge-points/CP-G')).body.connected).toBe(false));
    const offline = await authorize({});
    expect(offline.status).toBe(409);
    expect(offline.body.reason).toBe('charge_point_offline');
  });

  test('the cost reaching the hold stops charging; a stop before any start cancels and releases', async () => {
    const small = await setUp({ GUEST_PREAUTH_AMOUNT: '5.00' });
    const station = await connectStation(small, 'CP-G');
    const t0 = Date.now() - 2 * 60 * 60_000;
    let stopRequested = false;
    const transactions = behaveLikeAStation(station, { meterStopWh: 8_000, startAt: t0 });
    station.client.handle('RemoteStopTransaction', async ({ params }: { params?: any }) => {
      stopRequested = true;
      setTimeout(() => void station.client.call('StopTransaction', { transactionId: params.transactionId, meterStop: 8_000, timestamp: iso(t0 + 40 * 60_000) }).catch(() => undefined), 10);
      return { status: 'Accepted' };
    });
    const token = (await small.api('POST', '/api/v1/sessions/guest/authorize', { charge_point_id: 'CP-G', connector_id: 1, payment_method_id: 'pm_card_mastercard' })).body.session_token;
    const transactionId = await eventually(() => {
      expect(transactions.get(1)).toBeDefined();
      return transactions.get(1)!;
    });
    // 4 kWh → 2.40 incl.; the next interval like this one would reach 4.80, still under 5.00: keep charging.
    await station.client.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: iso(t0 + 10 * 60_000), sampledValue: [{ value: '4000' }] }] });
    expect(stopRequested).toBe(false);
    // 7 kWh → 4.20; another 3 kWh would be 6.00 > 5.00: stop now.
    await station.client.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: iso(t0 + 20 * 60_000), sampledValue: [{ value: '7000' }] }] });
    await eventually(() => expect(stopRequested).toBe(true));
    const done = await eventually(async () => {
      const status = (await small.api('GET', `/api/v1/sessions/guest/${token}`)).body;
      expect(status.status).toBe('stopped');
      return status;
    });
    // 8 kWh × 0.50 × 1.20 = 4.80 ≤ 5.00 held: captured in full.
    expect(done).toMatchObject({ final_cost: 4.8, payment: { captured: 4.8, released: 0.2 } });

    const early = await small.api('POST', '/api/v1/sessions/guest/authorize', { charge_point_id: 'CP-G', connector_id: 3, payment_method_id: 'pm_card_visa' });
    station.client.handle('RemoteStartTransaction', async () => ({ status: 'Accepted' }));
    const cancelled = await small.api('POST', `/api/v1/sessions/guest/${early.body.session_token}/stop`);
    expect(cancelled.body.status).toBe('cancelled');
    await eventually(async () => expect((await small.api('GET', `/api/v1/sessions/guest/${early.body.session_token}`)).body.payment.status).toBe('released'));
    await station.client.close();
    await small.stop();
    removeDir(small.dir);
  });

  test('a guest waiting for its start expires at expires_at also across a restart (the timer is re-armed from the data)', async () => {
    const clock = new ManualClock('2026-11-20T12:00:00.000Z');
    let server = await setUp({ GUEST_START_TIMEOUT_S: '60' }, clock);
    const station = await connectStation(server, 'CP-G');
    let asked = false;
    station.client.handle('RemoteStartTransaction', async () => {
      asked = true;
      return { status: 'Accepted' };
    });
    const waiting = (await server.api('POST', '/api/v1/sessions/guest/authorize', { charge_point_id: 'CP-G', connector_id: 2, payment_method_id: 'pm_card_visa' })).body;
    await eventually(() => expect(asked).toBe(true));
    await station.client.close();
    clock.advance(30_000);
    server = await server.restart();
    clock.advance(Date.parse(waiting.expires_at) - clock.now().getTime() - 1);
    expect((await server.api('GET', `/api/v1/sessions/guest/${waiting.session_token}`)).body).toMatchObject({ status: 'starting', payment: { status: 'held' } });
    clock.advance(1);
    const expired = await eventually(async () => {
      const view = (await server.api('GET', `/api/v1/sessions/guest/${waiting.session_token}`)).body;
      expect(view.payment.status).toBe('released');
      return view;
    });
    expect(expired.status).toBe('expired');
    await server.stop();
    removeDir(server.dir);
  });

  test('a start the station rejects fails the session and releases the hold; no start before expires_at expires it', async () => {
    // The start timeout runs on this clock: the test moves it to expires_at instead of waiting a second.
    const clock = new ManualClock('2026-11-20T12:00:00.000Z');
    const quick = await setUp({ GUEST_START_TIMEOUT_S: '1' }, clock);
    const station = await connectStation(quick, 'CP-G');
    const asked: number[] = [];
    station.client.handle('RemoteStartTransaction', async ({ params }: { params?: any }) => {
      asked.push(params.connectorId);
      return { status: params.connectorId === 1 ? 'Rejected' : 'Accepted' };
    });
    const rejected = (await quick.api('POST', '/api/v1/sessions/guest/authorize', { charge_point_id: 'CP-G', connector_id: 1, payment_method_id: 'pm_card_visa' })).body.session_token;
    const failed = await eventually(async () => {
      const view = (await quick.api('GET', `/api/v1/sessions/guest/${rejected}`)).body;
      expect(view.payment.status).toBe('released');
      return view;
    });
    expect(failed).toMatchObject({ status: 'failed', reason: 'The charge point rejected the start' });

    const unused = (await quick.api('POST', '/api/v1/sessions/guest/authorize', { charge_point_id: 'CP-G', connector_id: 2, payment_method_id: 'pm_card_visa' })).body;
    // The station accepted the start and then started nothing: 1 ms before expires_at the session still waits, held.
    await eventually(() => expect(asked).toContain(2));
    clock.advance(Date.parse(unused.expires_at) - clock.now().getTime() - 1);
    expect((await quick.api('GET', `/api/v1/sessions/guest/${unused.session_token}`)).body).toMatchObject({ status: 'starting', payment: { status: 'held' } });
    clock.advance(1);
    const expired = await eventually(async () => {
      const view = (await quick.api('GET', `/api/v1/sessions/guest/${unused.session_token}`)).body;
      expect(view.payment.status).toBe('released');
      return view;
    });
    expect(expired.status).toBe('expired');
    expect((await quick.api('GET', `/api/v1/sessions/guest/${unused.session_token}/receipt`)).status).toBe(409);
    expect((await quick.api('GET', '/api/v1/sessions/guest/unknown-token-0000000000/receipt')).status).toBe(404);
    await station.client.close();
    await quick.stop();
    removeDir(quick.dir);
  });
});

describe('a final cost above the hold', () => {
  test('is captured up to the hold; the shortfall is recorded for the operator and the CDR keeps the true cost', async () => {
    const server = await setUp({ GUEST_PREAUTH_AMOUNT: '2.00' });
    const station = await connectStation(server, 'CP-G');
    const t0 = Date.now() - 60 * 60_000;
    const transactions = behaveLikeAStation(station, { meterStopWh: 8_000, startAt: t0 });
    const token = (await server.api('POST', '/api/v1/sessions/guest/authorize', { charge_point_id: 'CP-G', connector_id: 1, payment_method_id: 'pm_card_visa' })).body.session_token;
    const transactionId = await eventually(() => {
      expect(transactions.get(1)).toBeDefined();
      return transactions.get(1)!;
    });
    // The station went silent and reports everything at once when it stops: no meter value warned us.
    await station.client.call('StopTransaction', { transactionId, meterStop: 8_000, timestamp: iso(t0 + 30 * 60_000) });
    const view = await eventually(async () => {
      const v = (await server.api('GET', `/api/v1/sessions/guest/${token}`)).body;
      expect(v.status).toBe('stopped');
      return v;
    });
    // 8 kWh × 0.50 × 1.20 = 4.80 incl.; 2.00 held → 2.00 charged, 2.80 short.
    expect(view).toMatchObject({ final_cost: 2, payment: { captured: 2, released: 0, shortfall: 2.8 } });
    const cdr = (await server.api('GET', '/api/v1/cdrs')).body.find((c: any) => c.id === view.cdr_id);
    expect(cdr.total_cost).toEqual({ excl_vat: 4, incl_vat: 4.8 });
    await station.client.close();
    await server.stop();
    removeDir(server.dir);
  });
});

describe('a guest at an OCPP 2.0.1 station', () => {
  test('RequestStartTransaction with a generated id token; TransactionEvents; stop and capture', async () => {
    const server = await setUp();
    const { client, strictFailures } = await connectStation(server, 'CP-G201', { protocol: 'ocpp2.0.1' });
    await client.call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'DC' } });
    const t0 = Date.now() - 60 * 60_000;
    const register = (ms: number, wh: number) => [{ timestamp: iso(ms), sampledValue: [{ value: wh, measurand: 'Energy.Active.Import.Register' }] }];
    let idToken: any;
    client.handle('RequestStartTransaction', async ({ params }: { params?: any }) => {
      idToken = structuredClone(params.idToken);
      setTimeout(() => void client.call('TransactionEvent', {
        eventType: 'Started', timestamp: iso(t0), triggerReason: 'RemoteStart', seqNo: 0, evse: { id: 1, connectorId: 1 },
        transactionInfo: { transactionId: 'TX-G201', remoteStartId: params.remoteStartId, chargingState: 'Charging' }, idToken: structuredClone(params.idToken), meterValue: register(t0, 0),
      }).catch(() => undefined), 10);
      return { status: 'Accepted' };
    });
    client.handle('RequestStopTransaction', async () => {
      setTimeout(() => void client.call('TransactionEvent', {
        eventType: 'Ended', timestamp: iso(t0 + 30 * 60_000), triggerReason: 'RemoteStop', seqNo: 1,
        transactionInfo: { transactionId: 'TX-G201', stoppedReason: 'Remote' }, meterValue: register(t0 + 30 * 60_000, 5_000),
      }).catch(() => undefined), 10);
      return { status: 'Accepted' };
    });
    const token = (await server.api('POST', '/api/v1/sessions/guest/authorize', { charge_point_id: 'CP-G201', connector_id: 1, payment_method_id: 'pm_card_visa' })).body.session_token;
    await eventually(async () => expect((await server.api('GET', `/api/v1/sessions/guest/${token}/status`)).body.status).toBe('charging'));
    expect(idToken.idToken.length).toBeLessThanOrEqual(20);
    const stopped = (await server.api('POST', `/api/v1/sessions/guest/${token}/stop`)).body;
    // 5 kWh × 0.50 × 1.20 = 3.00 incl.
    expect(stopped).toMatchObject({ status: 'stopped', energy_kwh: 5, final_cost: 3 });
    expect(strictFailures).toEqual([]);
    await client.close();
    await server.stop();
    removeDir(server.dir);
  });
});

async function pdfText(pdf: Buffer): Promise<string> {
  const proc = Bun.spawn(['pdftotext', '-layout', '-', '-'], { stdin: pdf, stdout: 'pipe' });
  return new Response(proc.stdout).text();
}
