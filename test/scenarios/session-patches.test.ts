/**
 * Session PATCHes are coalesced (SESSION_PATCH_INTERVAL_S, 15 s by default): while a session charges, its eMSP gets
 * at most one PATCH per interval carrying the latest figures, a held change is an outbox row that waits for its
 * time (so it survives a restart), and a new status or the final state goes at once, replacing what waited. While
 * the eMSP is down, a session's changes collapse into the one row that waits for it.
 * The server's clock is a ManualClock: readings come one a second as the test moves it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { eventually } from '../support/eventually.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { meteredSite, nthSession, pushesDelivered, sessionDeliveries, sessionPushes, startCharging, type MeteredSite } from '../support/metered-site.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';
import { connectStation } from '../support/stations.ts';

const clock = new ManualClock('2026-06-01T08:00:00.000Z');
let server: TestServer;
let site: MeteredSite;

beforeAll(async () => {
  server = startTestServer({ clock });
  site = await meteredSite(server, 'CP-PATCH');
});
afterAll(async () => {
  await site.station.client.close();
  await server.stop();
  site.emsp.stop();
  removeDir(server.dir);
});

describe('Session PATCHes while charging', () => {
  test('one PATCH per 15 s with the latest figures, held in the outbox meanwhile; the final PUT goes at once and replaces the held one', async () => {
    const charging = await startCharging(site, clock);
    const sessionId = await nthSession(site.emsp, 1);
    expect(await pushesDelivered(server, site, sessionId, 1)).toEqual([{ method: 'PUT', body: expect.objectContaining({ status: 'ACTIVE', kwh: 0 }) }]);

    // A reading a second, 10 Wh each, for 44 s: PATCHes fall due at 15 s and 30 s, each with the reading before it.
    for (let second = 1; second <= 44; second++) {
      clock.advance(1000);
      if (second % 15 === 0) await pushesDelivered(server, site, sessionId, 1 + second / 15);
      await charging.meter(second * 10);
    }
    const patches = sessionPushes(site.emsp, sessionId).slice(1);
    expect(patches.map((p) => [p.method, p.body.kwh, p.body.last_updated])).toEqual([
      ['PATCH', 0.14, '2026-06-01T08:00:14Z'],
      ['PATCH', 0.29, '2026-06-01T08:00:29Z'],
    ]);
    expect(patches[1]!.body).toMatchObject({ status: 'ACTIVE', total_cost: { excl_vat: expect.any(Number) } });

    // The 14 readings since are one held PATCH row with the latest of them, due 15 s after the last push.
    const held = (await sessionDeliveries(server, site.partnerId, sessionId)).at(-1);
    expect(held).toMatchObject({ state: 'pending', method: 'PATCH', next_attempt_at: '2026-06-01T08:00:45.000Z' });

    // Stopping is a new status: it goes now, as a PUT in place of the held PATCH, with the exact end.
    clock.advance(500);
    await charging.stop(445);
    const pushes = await pushesDelivered(server, site, sessionId, 4);
    expect(pushes.at(-1)).toMatchObject({ method: 'PUT', body: { status: 'COMPLETED', kwh: 0.445 } });
    const rows = await sessionDeliveries(server, site.partnerId, sessionId);
    expect(rows.map((r) => `${r.method} ${r.state}`)).toEqual(['PUT delivered', 'PATCH delivered', 'PATCH delivered', 'PUT delivered']);
    await eventually(() => expect(site.emsp.store.cdrs.find((c) => c.session_id === sessionId)).toMatchObject({ total_energy: 0.445 }));
    // Nothing else waited for the clock.
    clock.advance(60_000);
    expect(sessionPushes(site.emsp, sessionId)).toHaveLength(4);
  });
});

describe('while the eMSP is down', () => {
  test("the session's changes wait as one row with the latest state, which goes once the eMSP is back", async () => {
    site.emsp.state.failWith = 503;
    const charging = await startCharging(site, clock);
    const sessionId = await nthSession(site.emsp, 2);
    await eventually(async () => expect(await sessionDeliveries(server, site.partnerId, sessionId)).toMatchObject([{ method: 'PUT', state: 'failed', attempts: 1 }]));
    // Twenty readings while the PUT waits for its retry (the clock stands still, so no retry comes in between).
    for (let n = 1; n <= 20; n++) await charging.meter(n * 25);
    expect(await sessionDeliveries(server, site.partnerId, sessionId)).toMatchObject([{ method: 'PUT', state: 'failed', attempts: 1 }]);

    site.emsp.state.failWith = undefined;
    clock.advance(1000);
    await eventually(() => expect(site.emsp.store.sessions.get(`NL/DYN/${sessionId}`)).toMatchObject({ status: 'ACTIVE', kwh: 0.5 }));
    // The row is marked delivered once the eMSP's answer is back, a moment after the eMSP stored it.
    await eventually(async () => expect(await sessionDeliveries(server, site.partnerId, sessionId)).toMatchObject([{ method: 'PUT', state: 'delivered', attempts: 2 }]));
    expect(sessionPushes(site.emsp, sessionId).map((p) => [p.method, p.body.kwh])).toEqual([['PUT', 0], ['PUT', 0.5]]);
    clock.advance(1000);
    await site.station.client.call('StopTransaction', { transactionId: charging.transactionId, meterStop: 500, timestamp: clock.now().toISOString(), reason: 'Local' });
    await eventually(() => expect(site.emsp.store.sessions.get(`NL/DYN/${sessionId}`)).toMatchObject({ status: 'COMPLETED' }));
  });
});

describe('a held PATCH across a restart', () => {
  test('is still held after the restart, goes when due, and the session completes with its exact CDR', async () => {
    const charging = await startCharging(site, clock);
    const sessionId = await nthSession(site.emsp, 3);
    await pushesDelivered(server, site, sessionId, 1);
    for (let second = 1; second <= 5; second++) {
      clock.advance(1000);
      await charging.meter(second * 100);
    }
    const held = (await sessionDeliveries(server, site.partnerId, sessionId)).at(-1);
    expect(held).toMatchObject({ state: 'pending', method: 'PATCH', next_attempt_at: new Date(clock.now().getTime() + 10_000).toISOString() });

    await site.station.client.close();
    server = await server.restart();
    site.station = await connectStation(server, 'CP-PATCH', { register: false });
    expect((await sessionDeliveries(server, site.partnerId, sessionId)).at(-1)).toEqual(held);

    clock.advance(10_000);
    const pushes = await pushesDelivered(server, site, sessionId, 2);
    expect(pushes.map((p) => [p.method, p.body.kwh])).toEqual([['PUT', 0], ['PATCH', 0.5]]);

    clock.advance(1000);
    await site.station.client.call('StopTransaction', { transactionId: charging.transactionId, meterStop: 700, timestamp: clock.now().toISOString(), reason: 'Local' });
    await eventually(() => expect(site.emsp.store.sessions.get(`NL/DYN/${sessionId}`)).toMatchObject({ status: 'COMPLETED', kwh: 0.7 }));
    // 0.7 kWh × 0.30 + 16 s × 1.20/h = 0.21 + 0.00533… = 0.2153 excl. VAT
    await eventually(() => expect(site.emsp.store.cdrs.find((c) => c.session_id === sessionId)).toMatchObject({ total_energy: 0.7, total_cost: { excl_vat: 0.2153 } }));
  });
});
