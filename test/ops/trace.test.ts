import { ManualClock } from '../support/manual-clock.ts';
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../support/eventually.ts';
import { startFakeEmsp, type FakeEmsp } from '../support/fake-emsp.ts';
import { connectStation, STATION_PASSWORD } from '../support/stations.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';
import { storedBytes } from '../support/test-database.ts';
import { Elysia } from 'elysia';
import { devTraceRoute } from '../../src/ops/trace/trace.routes.ts';
import { devPageHtml } from '../../src/dev/page/dev-routes.ts';

/** Quick retries, and every Session change pushed as it happens (no PATCH held back). */
const fast = { DELIVERY_BASE_DELAY_MS: '50', DELIVERY_MAX_DELAY_MS: '200', SESSION_PATCH_INTERVAL_S: '0' };
const connector = { id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, tariff_ids: ['T-TRACE'] };
const iso = (ms: number) => new Date(ms).toISOString();
const rfid = (uid: string) => ({ country_code: 'DE', party_id: 'EMS', uid, type: 'RFID', contract_id: `C-${uid}`, issuer: 'Fake', valid: true, whitelist: 'ALWAYS', last_updated: '2026-01-01T00:00:00Z' });

let server: TestServer;
let emsp: FakeEmsp;
let tokenC: string;
let tokenB: string;
let partnerId: string;
let sessionId: string;

async function setUpNetwork(s: TestServer) {
  await s.api('PUT', '/api/v1/tariffs/T-TRACE', { currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.4, vat: 25, step_size: 1 }] }] });
  await s.api('PUT', '/api/v1/locations/LOC-TRACE', {
    publish: true, address: 'Spoorweg 2', city: 'Zwolle', country: 'NLD', time_zone: 'Europe/Amsterdam',
    coordinates: { latitude: '52.51250', longitude: '6.09440' },
    evses: [{ uid: 'TRACE-1', status: 'AVAILABLE', connectors: [connector], ocpp: { charge_point_id: 'CP-TRACE', evse_id: 1 } }],
  });
}

beforeAll(async () => {
  server = startTestServer({ env: fast });
  emsp = startFakeEmsp();
  await setUpNetwork(server);
  const invitation = (await server.api('POST', '/api/v1/ocpi/invitations')).body;
  partnerId = invitation.partner_id;
  const registration = await emsp.registerWith(invitation.versions_url, invitation.token);
  tokenC = registration.cpo.token;
  tokenB = registration.tokenB;
  const pushed = await server.ocpi('PUT', '/ocpi/cpo/2.2.1/tokens/DE/EMS/TRACE001', tokenC, rfid('TRACE001'), { headers: { 'x-request-id': 'req-token-put-1', 'x-correlation-id': 'corr-token-put-1' } });
  expect(pushed.status).toBe(201);

  // One charging session, start to CDR.
  const { client } = await connectStation(server, 'CP-TRACE');
  await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
  const t0 = Date.parse('2026-11-20T09:00:00Z');
  const { transactionId } = (await client.call('StartTransaction', { connectorId: 1, idTag: 'TRACE001', meterStart: 0, timestamp: iso(t0) })) as { transactionId: number };
  await client.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: iso(t0 + 15 * 60_000), sampledValue: [{ value: '5000' }] }] });
  await client.call('StopTransaction', { transactionId, meterStop: 10_000, timestamp: iso(t0 + 30 * 60_000) });
  await client.close();
  await eventually(() => expect(emsp.store.cdrs).toHaveLength(1));
  sessionId = emsp.store.cdrs[0].session_id;
});
afterAll(async () => {
  await server.stop();
  emsp.stop();
  removeDir(server.dir);
});

const traceOf = async (path: string) => {
  const response = await server.api('GET', path);
  expect(response.status).toBe(200);
  return response;
};

describe('the trace of one session', () => {
  test('holds its OCPP frames and its OCPI pushes with the partner’s answers, in time order', async () => {
    const records = await eventually(async () => {
      const { body } = await traceOf(`/api/v1/sessions/${sessionId}/trace?limit=1000`);
      expect(body.some((r: any) => r.protocol === 'ocpi' && r.action === 'cdrs')).toBe(true);
      return body as any[];
    });
    const times = records.map((r) => Date.parse(r.time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(records.every((r) => r.session_id === sessionId)).toBe(true);

    const ocpp = records.filter((r) => r.protocol === 'ocpp').map((r) => `${r.direction} ${r.action} ${r.status}`);
    expect(ocpp).toEqual([
      'in StartTransaction CALL',
      'out StartTransaction CALLRESULT',
      'in MeterValues CALL',
      'out MeterValues CALLRESULT',
      'in StopTransaction CALL',
      'out StopTransaction CALLRESULT',
    ]);
    const start = records.find((r) => r.action === 'StartTransaction' && r.status === 'CALL');
    const started = records.find((r) => r.action === 'StartTransaction' && r.status === 'CALLRESULT');
    expect(start).toMatchObject({ charge_point_id: 'CP-TRACE', payload: [2, start.message_id, 'StartTransaction', { idTag: 'TRACE001', connectorId: 1 }] });
    expect(started.message_id).toBe(start.message_id);
    expect(started.duration_ms).toBeGreaterThanOrEqual(0);

    const pushes = records.filter((r) => r.protocol === 'ocpi');
    expect(pushes.every((r) => r.direction === 'out' && r.partner_id === partnerId && r.http_status < 300 && r.ocpi_status === 1000)).toBe(true);
    expect(pushes.map((r) => `${r.method} ${r.action}`)).toContain('PUT sessions');
    expect(pushes.map((r) => `${r.method} ${r.action}`)).toContain('PATCH sessions');
    const cdr = pushes.find((r) => r.action === 'cdrs');
    expect(cdr).toMatchObject({ method: 'POST', payload: { request: { session_id: sessionId, total_energy: 10 }, response: { status_code: 1000 } } });
    expect(cdr.message_id).toBeString();
    expect(cdr.correlation_id).toBeString();

    // Order across protocols: the Session PUT follows the start, the CDR POST follows the stop.
    const index = (predicate: (r: any) => boolean) => records.findIndex(predicate);
    expect(index((r) => r.method === 'PUT' && r.action === 'sessions')).toBeGreaterThan(index((r) => r.action === 'StartTransaction'));
    expect(index((r) => r.action === 'cdrs')).toBeGreaterThan(index((r) => r.action === 'StopTransaction' && r.status === 'CALLRESULT'));
  });

  test('pages with limit/offset, X-Total-Count and a Link to the next page; since/until narrow it; 404 for an unknown session', async () => {
    const all = (await traceOf(`/api/v1/sessions/${sessionId}/trace`)).body as any[];
    const first = await traceOf(`/api/v1/sessions/${sessionId}/trace?limit=2`);
    expect(first.body).toEqual(all.slice(0, 2));
    expect(first.headers.get('x-total-count')).toBe(String(all.length));
    expect(first.headers.get('link')).toContain('offset=2');
    expect((await traceOf(`/api/v1/sessions/${sessionId}/trace?limit=2&offset=2`)).body).toEqual(all.slice(2, 4));
    const later = (await traceOf(`/api/v1/sessions/${sessionId}/trace?since=${all[3].time}`)).body as any[];
    expect(later[0].id).toBe(all.find((r) => r.time === all[3].time).id);
    expect((await traceOf(`/api/v1/sessions/${sessionId}/trace?until=${all[0].time}`)).body).toEqual([]);
    expect((await server.api('GET', `/api/v1/sessions/${sessionId}/trace?since=yesterday`)).status).toBe(400);
    expect((await server.api('GET', '/api/v1/sessions/no-such-session/trace')).status).toBe(404);
    expect((await server.api('GET', `/api/v1/sessions/${sessionId}/trace`, undefined, { authorization: 'Bearer wrong-key-000000000000' })).status).toBe(401);
  });
});

describe('the trace of a charge point and of a partner', () => {
  test('a charge point’s trace has every frame, Boot included; 404 for an unknown one', async () => {
    const body = (await traceOf('/api/v1/charge-points/CP-TRACE/trace?limit=1000')).body as any[];
    expect(body[0]).toMatchObject({ protocol: 'ocpp', direction: 'in', action: 'BootNotification', status: 'CALL' });
    expect(body.every((r) => r.charge_point_id === 'CP-TRACE')).toBe(true);
    expect(body.filter((r) => r.status === 'CALL')).toHaveLength(4);
    expect((await server.api('GET', '/api/v1/charge-points/CP-NOPE/trace')).status).toBe(404);
  });

  test('a partner’s trace has its requests to us (X-Request-ID, status) and ours to it', async () => {
    const body = (await traceOf(`/api/v1/ocpi/partners/${partnerId}/trace?limit=1000`)).body as any[];
    const tokenPut = body.find((r) => r.message_id === 'req-token-put-1');
    expect(tokenPut).toMatchObject({
      protocol: 'ocpi', direction: 'in', partner_id: partnerId, action: 'tokens', method: 'PUT', url: '/ocpi/cpo/2.2.1/tokens/DE/EMS/TRACE001',
      correlation_id: 'corr-token-put-1', http_status: 201, ocpi_status: 1000, payload: { request: { uid: 'TRACE001' }, response: { status_code: 1000 } },
    });
    // The registration both ways: their credentials POST to us, our reads of their versions.
    expect(body.some((r) => r.direction === 'in' && r.action === 'credentials' && r.method === 'POST' && r.http_status === 200)).toBe(true);
    expect(body.some((r) => r.direction === 'out' && r.action === 'versions' && r.method === 'GET')).toBe(true);
    expect(body.some((r) => r.direction === 'out' && r.action === 'locations' && r.method === 'PUT')).toBe(true);
    expect((await server.api('GET', '/api/v1/ocpi/partners/00000000-0000-0000-0000-000000000000/trace')).status).toBe(404);
  });

  test('an inbound request refused with an OCPI error is traced with its status_code', async () => {
    await server.ocpi('PUT', '/ocpi/cpo/2.2.1/tokens/DE/EMS/BAD', tokenC, { uid: 'BAD' }, { headers: { 'x-request-id': 'req-bad-token' } });
    const record = await eventually(async () => {
      const body = (await traceOf(`/api/v1/ocpi/partners/${partnerId}/trace?limit=1000`)).body as any[];
      const found = body.find((r) => r.message_id === 'req-bad-token');
      expect(found).toBeDefined();
      return found;
    });
    expect(record).toMatchObject({ http_status: 400, ocpi_status: 2001, payload: { response: { status_code: 2001 } } });
  });
});

describe('secrets', () => {
  test('neither the partner tokens nor the station password are in any trace record or in the database file', async () => {
    await server.trace!.flush();
    const outputs = await Promise.all(
      [`/api/v1/sessions/${sessionId}/trace?limit=1000`, '/api/v1/charge-points/CP-TRACE/trace?limit=1000', `/api/v1/ocpi/partners/${partnerId}/trace?limit=1000`].map(
        async (path) => JSON.stringify((await traceOf(path)).body),
      ),
    );
    const credentials = JSON.parse(outputs[2]!).filter((r: any) => r.action === 'credentials');
    expect(credentials.length).toBeGreaterThan(0);
    for (const r of credentials) expect(JSON.stringify(r.payload)).toContain('[redacted]');
    const stored = (await storedBytes(server.config)).toString('latin1');
    expect(stored).toContain('[redacted]'); // the trace rows are there...
    for (const secret of [tokenC, tokenB, STATION_PASSWORD, Buffer.from(tokenC).toString('base64'), Buffer.from(tokenB).toString('base64')]) {
      for (const output of outputs) expect(output).not.toContain(secret);
      expect(stored.includes(secret)).toBe(false);
    }
  });
});

describe('switched off and bounded', () => {
  test('TRACE=off records nothing', async () => {
    const off = startTestServer({ env: { TRACE: 'off' } });
    try {
      expect(off.trace).toBeUndefined();
      const { client } = await connectStation(off, 'CP-OFF');
      await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
      await client.call('Heartbeat', {});
      await client.close();
      expect(off.storage.trace.count()).toBe(0);
      expect((await off.api('GET', '/api/v1/charge-points/CP-OFF/trace')).body).toEqual([]);
    } finally {
      await off.stop();
      removeDir(off.dir);
    }
  });

  test('rows older than TRACE_RETENTION_H are deleted, and at most TRACE_MAX_ROWS are kept', async () => {
    const clock = new ManualClock('2026-11-20T12:00:00Z');
    const small = startTestServer({ env: { TRACE_RETENTION_H: '2', TRACE_MAX_ROWS: '6' }, clock });
    try {
      const { client } = await connectStation(small, 'CP-OLD');
      await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
      await small.trace!.flush();
      expect(small.storage.trace.count()).toBe(2);
      clock.advance(3 * 3600_000);
      for (let i = 0; i < 5; i++) await client.call('Heartbeat', {});
      await small.trace!.flush();
      // The cap keeps the newest six: the boot frames went to make room.
      const kept = (await small.api('GET', '/api/v1/charge-points/CP-OLD/trace')).body as any[];
      expect(kept).toHaveLength(6);
      expect(kept.every((r) => r.action === 'Heartbeat')).toBe(true);
      clock.advance(1 * 3600_000);
      await client.call('Heartbeat', {});
      clock.advance(1.5 * 3600_000);
      // 2.5 h after the heartbeats, 1.5 h after the last one: only the last pair is within two hours.
      const pruned = await small.trace!.prune();
      expect(pruned.old).toBe(4);
      expect(small.storage.trace.count()).toBe(2);
      await client.close();
    } finally {
      await small.stop();
      removeDir(small.dir);
    }
  });
});

describe('a guest session paid by card', () => {
  test('its trace holds the hold and the capture next to its OCPP frames; the dev page links sessions to their trace', async () => {
    const guest = startTestServer({ env: { GUEST_STOP_WAIT_S: '5', COMMAND_TIMEOUT_S: '2' } });
    try {
      await guest.api('PUT', '/api/v1/tariffs/T-ADHOC', { currency: 'EUR', type: 'AD_HOC_PAYMENT', elements: [{ price_components: [{ type: 'ENERGY', price: 0.5, vat: 20, step_size: 1 }] }] });
      await guest.api('PUT', '/api/v1/locations/LOC-G', {
        publish: true, address: 'Kaartweg 7', city: 'Haarlem', country: 'NLD', time_zone: 'Europe/Amsterdam', coordinates: { latitude: '52.38740', longitude: '4.64620' },
        evses: [{ uid: 'G-1', status: 'AVAILABLE', connectors: [{ ...connector, tariff_ids: ['T-ADHOC'] }], ocpp: { charge_point_id: 'CP-G', evse_id: 1 } }],
      });
      const { client } = await connectStation(guest, 'CP-G');
      await client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
      await client.call('StatusNotification', { connectorId: 1, status: 'Preparing', errorCode: 'NoError' });
      const t0 = Date.now() - 3600_000;
      let transactionId = 0;
      client.handle('RemoteStartTransaction', async ({ params }: { params?: any }) => {
        setTimeout(async () => {
          ({ transactionId } = (await client.call('StartTransaction', { connectorId: params.connectorId, idTag: params.idTag, meterStart: 0, timestamp: iso(t0) })) as { transactionId: number });
        }, 10);
        return { status: 'Accepted' };
      });
      client.handle('RemoteStopTransaction', async ({ params }: { params?: any }) => {
        setTimeout(() => void client.call('StopTransaction', { transactionId: params.transactionId, meterStop: 4000, timestamp: iso(t0 + 1800_000), reason: 'Remote' }).catch(() => undefined), 10);
        return { status: 'Accepted' };
      });
      const token = (await guest.api('POST', '/api/v1/sessions/guest/authorize', { charge_point_id: 'CP-G', connector_id: 1, payment_method_id: 'pm_card_visa' })).body.session_token;
      await eventually(async () => expect((await guest.api('GET', `/api/v1/sessions/guest/${token}/status`)).body.status).toBe('charging'));
      const stopped = (await guest.api('POST', `/api/v1/sessions/guest/${token}/stop`)).body;
      expect(stopped.status).toBe('stopped');
      const id = (await guest.api('GET', `/api/v1/sessions/guest/${token}/status`)).body.session_id;

      const records = await eventually(async () => {
        const { body } = await guest.api('GET', `/api/v1/sessions/${id}/trace?limit=1000`);
        expect(body.filter((r: any) => r.protocol === 'payment').map((r: any) => `${r.action} ${r.status}`)).toEqual(['hold ok', 'capture ok']);
        return body as any[];
      });
      const kinds = records.map((r) => `${r.protocol} ${r.action} ${r.status}`);
      // The hold comes before the start, the capture after the stop.
      expect(kinds.indexOf('payment hold ok')).toBeLessThan(kinds.indexOf('ocpp StartTransaction CALL'));
      expect(kinds.indexOf('payment capture ok')).toBeGreaterThan(kinds.indexOf('ocpp StopTransaction CALL'));
      const hold = records.find((r) => r.action === 'hold');
      expect(hold).toMatchObject({ direction: 'out', method: 'simulated', message_id: expect.stringMatching(/guest:.+:hold$/), payload: { request: { amountMinor: 5000, currency: 'EUR' }, result: { ok: true } } });
      expect(JSON.stringify(records)).not.toContain(token);
      expect(transactionId).toBeGreaterThan(0);
      await client.close();

      // The dev page links each session to /dev/sessions/{id}/trace, which answers without an API key under bun dev.
      expect(devPageHtml()).toContain("/dev/sessions/' + encodeURIComponent(sessionId) + '/trace");
      const dev = new Elysia().use(devTraceRoute({ storage: guest.storage, sessions: guest.sessions }));
      const viaDev = await dev.handle(new Request(`http://localhost/dev/sessions/${id}/trace?limit=1000`));
      expect(((await viaDev.json()) as any[]).map((r) => r.id)).toEqual(records.map((r) => r.id));
      expect((await guest.api('GET', `/dev/sessions/${id}/trace`)).status).toBe(404);
    } finally {
      await guest.stop();
      removeDir(guest.dir);
    }
  });
});
