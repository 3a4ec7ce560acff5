import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { registerInvited, startFakeEmsp, type FakeEmsp } from '../support/fake-emsp.ts';
import { connectStation } from '../support/stations.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let emsp: FakeEmsp;
let token: string;
const connector = { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, tariff_ids: ['T-KWH'] };
const rfid = (uid: string) => ({
  country_code: 'DE',
  party_id: 'EMS',
  uid,
  type: 'RFID',
  contract_id: `DE-EMS-C${uid}`,
  issuer: 'Fake eMSP',
  valid: true,
  whitelist: 'ALWAYS',
  last_updated: '2026-01-01T00:00:00Z',
});
const iso = (ms: number) => new Date(ms).toISOString();

beforeAll(async () => {
  server = startTestServer();
  emsp = startFakeEmsp();
  token = (await registerInvited(server, emsp)).cpo.token;
  // 0.25 per kWh excl. VAT, 10% VAT (the spec's tariff_8).
  await server.api('PUT', '/api/v1/tariffs/T-KWH', { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.25, vat: 10, step_size: 1 }] }] });
  // The spec's tariff_13: TIME 3.00/h (10% VAT, step 60 s) and PARKING_TIME 5.00/h (20% VAT, step 300 s).
  await server.api('PUT', '/api/v1/tariffs/T-PARK', {
    currency: 'EUR',
    elements: [{ price_components: [{ type: 'TIME', price: 3, vat: 10, step_size: 60 }, { type: 'PARKING_TIME', price: 5, vat: 20, step_size: 300 }] }],
  });
  const location = await server.api('PUT', '/api/v1/locations/LOC-E2E', {
    publish: true,
    address: 'Stationsplein 1',
    city: 'Utrecht',
    country: 'NLD',
    coordinates: { latitude: '52.08900', longitude: '5.11000' },
    time_zone: 'Europe/Amsterdam',
    evses: [
      { uid: 'E2E-1', evse_id: 'NL*DYN*E0001', status: 'AVAILABLE', connectors: [connector], ocpp: { charge_point_id: 'CP-E2E', evse_id: 1 } },
      { uid: 'E2E-201', status: 'AVAILABLE', connectors: [connector], ocpp: { charge_point_id: 'CP-E2E-201', evse_id: 1 } },
      { uid: 'E2E-PARK', status: 'AVAILABLE', connectors: [{ ...connector, tariff_ids: ['T-PARK'] }], ocpp: { charge_point_id: 'CP-E2E-PARK', evse_id: 1 } },
    ],
  });
  expect(location.status).toBe(201);
  for (const uid of ['RFID0001', 'RFID0002', 'BLOCKED1']) {
    const pushed = await server.ocpi('PUT', `/ocpi/cpo/2.2.1/tokens/DE/EMS/${uid}`, token, { ...rfid(uid), valid: uid !== 'BLOCKED1' });
    expect(pushed.status).toBe(201);
  }
});
afterAll(async () => {
  await server.stop();
  emsp.stop();
  removeDir(server.dir);
});

describe('a driver charges at an OCPP 1.6 station with an eMSP token', () => {
  test('authorize, start, meter, stop: the partner gets the Session and one CDR priced by hand', async () => {
    const { client, strictFailures } = await connectStation(server, 'CP-E2E');
    await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC-22' });
    expect(await client.call('Authorize', { idTag: 'RFID0001' })).toEqual({ idTagInfo: { status: 'Accepted' } });
    expect(await client.call('Authorize', { idTag: 'BLOCKED1' })).toEqual({ idTagInfo: { status: 'Blocked' } });
    expect(await client.call('Authorize', { idTag: 'NOBODY' })).toEqual({ idTagInfo: { status: 'Invalid' } });

    const t0 = Date.parse('2026-11-20T09:00:00Z');
    const start = { connectorId: 1, idTag: 'RFID0001', meterStart: 1000, timestamp: iso(t0) };
    const started = (await client.call('StartTransaction', start)) as { transactionId: number; idTagInfo: { status: string } };
    expect(started.idTagInfo.status).toBe('Accepted');
    // A retransmitted start (the station did not get our answer) gets the same transaction.
    expect(((await client.call('StartTransaction', start)) as { transactionId: number }).transactionId).toBe(started.transactionId);
    await client.call('StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError' });

    await client.call('MeterValues', {
      connectorId: 1,
      transactionId: started.transactionId,
      meterValue: [{ timestamp: iso(t0 + 30 * 60_000), sampledValue: [{ value: '7000', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }],
    });
    const running = await server.ocpi('GET', '/ocpi/cpo/2.2.1/sessions?date_from=2026-01-01T00:00:00Z', token);
    expect(running.body.data).toHaveLength(1);
    expect(running.body.data[0]).toMatchObject({ status: 'ACTIVE', kwh: 6, cdr_token: { uid: 'RFID0001', type: 'RFID', country_code: 'DE', party_id: 'EMS' } });
    // 6 kWh × 0.25 = 1.50 excl.; × 1.10 = 1.65 incl.
    expect(running.body.data[0].total_cost).toEqual({ excl_vat: 1.5, incl_vat: 1.65 });

    const stop = { transactionId: started.transactionId, meterStop: 13000, timestamp: iso(t0 + 60 * 60_000), reason: 'Local' };
    expect(await client.call('StopTransaction', stop)).toEqual({});
    // Retransmitted stop: answered, and still one CDR.
    expect(await client.call('StopTransaction', stop)).toEqual({});

    const sessions = (await server.ocpi('GET', '/ocpi/cpo/2.2.1/sessions?date_from=2026-01-01T00:00:00Z', token)).body.data;
    expect(sessions).toHaveLength(1);
    const session = sessions[0];
    expect(session).toMatchObject({
      country_code: 'NL',
      party_id: 'DYN',
      status: 'COMPLETED',
      kwh: 12,
      location_id: 'LOC-E2E',
      evse_uid: 'E2E-1',
      connector_id: '1',
      currency: 'EUR',
      auth_method: 'WHITELIST',
      start_date_time: '2026-11-20T09:00:00Z',
      end_date_time: '2026-11-20T10:00:00Z',
    });
    // 12 kWh × 0.25 = 3.00 excl.; × 1.10 = 3.30 incl.
    expect(session.total_cost).toEqual({ excl_vat: 3, incl_vat: 3.3 });

    const cdrs = await server.ocpi('GET', '/ocpi/cpo/2.2.1/cdrs', token);
    expect(cdrs.headers.get('x-total-count')).toBe('1');
    const cdr = cdrs.body.data[0];
    expect(cdr).toMatchObject({
      session_id: session.id,
      total_energy: 12,
      total_time: 1,
      total_cost: { excl_vat: 3, incl_vat: 3.3 },
      total_energy_cost: { excl_vat: 3, incl_vat: 3.3 },
      cdr_token: { uid: 'RFID0001', contract_id: 'DE-EMS-CRFID0001' },
      cdr_location: { id: 'LOC-E2E', evse_uid: 'E2E-1', evse_id: 'NL*DYN*E0001', connector_id: '1', connector_standard: 'IEC_62196_T2' },
      tariffs: [expect.objectContaining({ id: 'T-KWH' })],
    });
    expect(cdr.charging_periods.length).toBeGreaterThan(0);
    expect(cdr.charging_periods[0].dimensions).toContainEqual({ type: 'ENERGY', volume: 12 });

    // The operator sees the OCPP side too.
    const operator = await server.api('GET', `/api/v1/sessions/${session.id}`);
    expect(operator.body).toMatchObject({ state: 'completed', charge_point_id: 'CP-E2E', transaction_id: String(started.transactionId), cdr_id: cdr.id });
    expect(strictFailures).toEqual([]);
    await client.close();
  });

  test('a second eMSP sees neither the session nor the CDR', async () => {
    const other = startFakeEmsp({ partyId: 'OTH' });
    const otherToken = (await registerInvited(server, other)).cpo.token;
    expect((await server.ocpi('GET', '/ocpi/cpo/2.2.1/sessions?date_from=2026-01-01T00:00:00Z', otherToken)).body.data).toEqual([]);
    expect((await server.ocpi('GET', '/ocpi/cpo/2.2.1/cdrs', otherToken)).body.data).toEqual([]);
    other.stop();
  });
});

describe('a car that stays plugged in after charging', () => {
  test('SuspendedEV is parking: the CDR splits TIME and PARKING_TIME and prices both by hand', async () => {
    const { client } = await connectStation(server, 'CP-E2E-PARK');
    await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC-22' });
    const t0 = Date.parse('2026-11-23T14:00:00Z');
    const { transactionId } = (await client.call('StartTransaction', { connectorId: 1, idTag: 'RFID0001', meterStart: 0, timestamp: iso(t0) })) as { transactionId: number };
    await client.call('StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError', timestamp: iso(t0) });
    await client.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: iso(t0 + 30 * 60_000), sampledValue: [{ value: '5000' }] }] });
    await client.call('StatusNotification', { connectorId: 1, status: 'SuspendedEV', errorCode: 'NoError', timestamp: iso(t0 + 30 * 60_000) });
    await client.call('StopTransaction', { transactionId, meterStop: 5000, timestamp: iso(t0 + 50 * 60_000) });
    const cdr = ((await server.ocpi('GET', '/ocpi/cpo/2.2.1/cdrs?limit=100', token)).body.data as any[]).find((c) => c.cdr_location.evse_uid === 'E2E-PARK');
    // Charging 30 min: 0.5 h × 3.00 = 1.50 excl., × 1.10 = 1.65 incl.
    // Parking 20 min (1200 s, a multiple of the 300 s step): 1/3 h × 5.00 = 1.6667 excl., × 1.20 = 2.00 incl.
    // Totals: 3.1667 excl. (the CDR keeps 4 decimals), 3.65 incl.; 50 min = 0.8333 h, of which 0.3333 h parking.
    expect(cdr).toMatchObject({
      total_energy: 5,
      total_time: 0.8333,
      total_parking_time: 0.3333,
      total_time_cost: { excl_vat: 1.5, incl_vat: 1.65 },
      total_parking_cost: { excl_vat: 1.6667, incl_vat: 2 },
      total_cost: { excl_vat: 3.1667, incl_vat: 3.65 },
    });
    await client.close();
  });
});

describe('a driver charges at an OCPP 2.0.1 station', () => {
  test('TransactionEvent Started/Updated/Ended with a retransmitted seqNo gives one priced CDR', async () => {
    const { client, strictFailures } = await connectStation(server, 'CP-E2E-201', { protocol: 'ocpp2.0.1' });
    await client.call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'DC' } });
    expect(await client.call('Authorize', { idToken: { idToken: 'RFID0002', type: 'ISO14443' } })).toEqual({ idTokenInfo: { status: 'Accepted' } });
    expect(await client.call('Authorize', { idToken: { idToken: 'BLOCKED1', type: 'ISO14443' } })).toEqual({ idTokenInfo: { status: 'Blocked' } });
    const t0 = Date.parse('2026-11-21T12:00:00Z');
    const register = (ms: number, wh: number, context: string) => [
      { timestamp: iso(ms), sampledValue: [{ value: wh, context, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } }] },
    ];
    const idToken = { idToken: 'RFID0002', type: 'ISO14443' };
    const started = await client.call('TransactionEvent', {
      eventType: 'Started', timestamp: iso(t0), triggerReason: 'Authorized', seqNo: 0,
      transactionInfo: { transactionId: 'TX-201-A', chargingState: 'Charging' }, idToken, evse: { id: 1, connectorId: 1 },
      meterValue: register(t0, 500_000, 'Transaction.Begin'),
    });
    expect(started).toEqual({ idTokenInfo: { status: 'Accepted' } });
    const updated = {
      eventType: 'Updated', timestamp: iso(t0 + 20 * 60_000), triggerReason: 'MeterValuePeriodic', seqNo: 1,
      transactionInfo: { transactionId: 'TX-201-A', chargingState: 'Charging' },
      meterValue: register(t0 + 20 * 60_000, 510_000, 'Sample.Periodic'),
    };
    await client.call('TransactionEvent', updated);
    await client.call('TransactionEvent', updated); // retransmission: applied once
    await client.call('TransactionEvent', {
      eventType: 'Ended', timestamp: iso(t0 + 40 * 60_000), triggerReason: 'EVCommunicationLost', seqNo: 2,
      transactionInfo: { transactionId: 'TX-201-A', stoppedReason: 'EVDisconnected' },
      meterValue: register(t0 + 40 * 60_000, 520_000, 'Transaction.End'),
    });
    const cdrs = (await server.ocpi('GET', '/ocpi/cpo/2.2.1/cdrs', token)).body.data as any[];
    const cdr = cdrs.find((c) => c.cdr_token.uid === 'RFID0002');
    // 20 kWh × 0.25 = 5.00 excl.; × 1.10 = 5.50 incl.; 40 minutes = 0.6667 h.
    expect(cdr).toMatchObject({ total_energy: 20, total_cost: { excl_vat: 5, incl_vat: 5.5 }, total_time: 0.6667, cdr_location: { evse_uid: 'E2E-201' } });
    expect(strictFailures).toEqual([]);
    await client.close();
  });
});
