/**
 * A long session does the same work per MeterValues at its end as at its start: 2,000 readings, one a second on the
 * server's ManualClock, each stored as one row while the snapshot stays the same size; the eMSP hears of them
 * through at most one outbox row per PATCH interval (15 s), not one per reading; and the CDR, priced once from all
 * 2,000 rows, is exact.
 */
import type { Database } from 'bun:sqlite';
import { afterAll, beforeAll, expect, test } from 'bun:test';
import Big from 'big.js';
import { join } from 'node:path';
import { eventually } from '../support/eventually.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { meteredSite, nthSession, sessionDeliveries, sessionPushes, startCharging, type MeteredSite } from '../support/metered-site.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';
import { secondConnection } from '../support/test-database.ts';

const READINGS = 2000;
const WH_PER_READING = 7;
const clock = new ManualClock('2026-06-02T06:00:00.000Z');
let server: TestServer;
let site: MeteredSite;
let db: Database;

beforeAll(async () => {
  server = startTestServer({ clock });
  site = await meteredSite(server, 'CP-LONG');
  // A second connection to the server's database, reading between its writes (waiting its turn if need be).
  db = secondConnection(server.config);
});
afterAll(async () => {
  db.close();
  await site.station.client.close();
  await server.stop();
  site.emsp.stop();
  removeDir(server.dir);
});

const stored = (sessionId: string) => ({
  readings: (db.query('SELECT count(*) AS n FROM session_readings WHERE session_id = ?').get(sessionId) as { n: number }).n,
  snapshotBytes: (db.query('SELECT length(snapshot) AS n FROM sessions WHERE id = ?').get(sessionId) as { n: number }).n,
});

test('2,000 MeterValues: a row each, a snapshot that does not grow, a PATCH per 15 s at most, and an exact CDR', async () => {
  const charging = await startCharging(site, clock);
  const sessionId = await nthSession(site.emsp, 1);
  let early: ReturnType<typeof stored> | undefined;
  for (let second = 1; second <= READINGS; second++) {
    clock.advance(1000);
    await charging.meter(second * WH_PER_READING);
    if (second === 10) early = stored(sessionId);
  }
  const late = stored(sessionId);
  expect(early!.readings).toBe(10);
  expect(late.readings).toBe(READINGS);
  // The same fields with longer figures (kWh, timestamps of the same length): a few bytes, not a sample per reading.
  expect(late.snapshotBytes - early!.snapshotBytes).toBeLessThan(16);

  // One outbox row per push: the first PUT, then at most one PATCH per 15 s of the 2,000 s, the last perhaps still
  // held (session-patches.test.ts follows them to the eMSP one by one).
  // A push still in flight stays pending until the eMSP's answer is back (a moment after it stored it).
  const rows = await eventually(async () => {
    const all = await sessionDeliveries(server, site.partnerId, sessionId);
    expect(all.filter((r) => r.state === 'pending').length).toBeLessThanOrEqual(1);
    return all;
  });
  expect(rows.length).toBeLessThanOrEqual(1 + Math.ceil(READINGS / 15));
  expect(sessionPushes(site.emsp, sessionId).filter((p) => p.method === 'PATCH').length).toBeGreaterThan(0);

  // The running Session shows the latest reading.
  const running = (await server.api('GET', `/api/v1/sessions/${sessionId}`)).body.ocpi;
  expect(running).toMatchObject({ status: 'ACTIVE', kwh: (READINGS * WH_PER_READING) / 1000 });

  clock.advance(1000);
  const stopWh = (READINGS + 1) * WH_PER_READING;
  await charging.stop(stopWh);
  const cdr = await eventually(() => {
    const found = site.emsp.store.cdrs.find((c) => c.session_id === sessionId);
    expect(found).toBeDefined();
    return found;
  });
  // ENERGY 0.30/kWh, TIME 1.20/h by the second, over 2,001 s; 10 % VAT; 4 decimals, half-up.
  const kwh = new Big(stopWh).div(1000);
  const excl = kwh.times('0.3').plus(new Big(READINGS + 1).div(3600).times('1.2'));
  expect(cdr).toMatchObject({
    total_energy: kwh.toNumber(),
    total_cost: { excl_vat: excl.round(4, Big.roundHalfUp).toNumber(), incl_vat: excl.times('1.1').round(4, Big.roundHalfUp).toNumber() },
  });
  expect(stored(sessionId).readings).toBe(READINGS);
}, 60_000);
