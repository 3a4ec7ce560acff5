/**
 * Sessions open across the upgrade from session machine version 1 (samples kept in the snapshot) to version 2
 * (readings stored one by one) finish with exactly the Sessions and CDRs version 1 gave them. The database is the
 * one version 1 left mid-way (test/fixtures/session-upgrade/v1-database.sql); the same traffic then follows here
 * as it did there (traffic.ts), and v1-results.json holds what version 1 made of it.
 */
import { Database } from 'bun:sqlite';
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterUpgrade, S1, S2, S3, UPGRADE_AT } from '../fixtures/session-upgrade/traffic.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';
import { connectStation, type Station } from '../support/stations.ts';

const fixtures = join(import.meta.dir, '../fixtures/session-upgrade');
const expected = JSON.parse(readFileSync(join(fixtures, 'v1-results.json'), 'utf8')) as Record<'S1' | 'S2' | 'S3', { session: unknown; cdr: unknown }>;

let server: TestServer;
let dir: string;
const clock = new ManualClock(UPGRADE_AT);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dynamo-upgrade-'));
  const v1 = new Database(join(dir, 'dynamo.sqlite'), { create: true });
  v1.exec(readFileSync(join(fixtures, 'v1-database.sql'), 'utf8'));
  v1.close();
  // Opening the database runs the migration that carries the sessions over.
  // A SQLite file from version 1 (PostgreSQL databases start at a later version: src/storage/postgres/migrate.ts).
  server = startTestServer({ dir, clock, env: { TRACE: 'off' }, sqliteFile: true });
});
afterAll(async () => {
  await server.stop();
  removeDir(dir);
});

const sessionIdOf = async (s: { chargePointId: string; transactionId: string }) => {
  const all = (await server.api('GET', '/api/v1/sessions?limit=100')).body as any[];
  return all.find((x) => x.charge_point_id === s.chargePointId && x.transaction_id === s.transactionId);
};

describe('sessions open across the upgrade', () => {
  test('their snapshots hold no samples any more; the samples became their first readings', async () => {
    const db = new Database(join(dir, 'dynamo.sqlite'), { readonly: true });
    db.exec('PRAGMA busy_timeout = 5000');
    const rows = db.query("SELECT id, machine_version AS version, snapshot FROM sessions WHERE status = 'active'").all() as { id: string; version: number; snapshot: string }[];
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      const { context } = JSON.parse(row.snapshot);
      expect(row.version).toBe(2);
      expect(context.samples).toBeUndefined();
      const readings = db.query('SELECT seq, kind FROM session_readings WHERE session_id = ? ORDER BY seq').all(row.id) as { seq: number; kind: string }[];
      expect(readings.length).toBe(context.recorded);
      expect(readings.every((r, i) => r.seq === i + 1 && r.kind === 'sample')).toBe(true);
    }
    db.close();
    // S1 had its start, a charging-state change and six readings; it shows what it showed before the upgrade.
    expect((await sessionIdOf(S1)).ocpi).toMatchObject({ status: 'ACTIVE', kwh: 1.3 });
  });

  test('finish with the Sessions and CDRs version 1 gave them, to the last period', async () => {
    const stations: Station[] = [await connectStation(server, 'UPG16', { register: false }), await connectStation(server, 'UPG201', { protocol: 'ocpp2.0.1', register: false })];
    const [v16, v201] = stations.map((s) => s.client) as [Station['client'], Station['client']];
    await v16.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
    await v201.call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'DC' } });
    await afterUpgrade({ v16, v201 }, clock);
    expect(stations.flatMap((s) => s.strictFailures)).toEqual([]);
    const cdrs = (await server.api('GET', '/api/v1/cdrs?limit=100')).body as any[];
    for (const [name, s] of Object.entries({ S1, S2, S3 }) as ['S1' | 'S2' | 'S3', typeof S1][]) {
      const session = await sessionIdOf(s);
      expect({ name, session: session.ocpi, cdr: cdrs.find((c) => c.session_id === session.id) }).toEqual({ name, ...expected[name] });
    }
    for (const station of stations) await station.client.close();
  });
});
