/**
 * Persist, then acknowledge, under group commit: the server is killed (SIGKILL, no shutdown hooks) the moment the
 * first answer of a burst reaches its station. Every station that got an answer finds its change on disk; the
 * others may or may not — they got no answer and will retry.
 */
import { afterAll, expect, test } from 'bun:test';
import { Database } from 'bun:sqlite';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServer, type ServerProcess } from '../support/server-process.ts';
import { removeDir } from '../support/server.ts';
import { STATION_PASSWORD, stationClient } from '../support/stations.ts';
import { statusKey } from '../../src/domain/evse-status.ts';

const dir = mkdtempSync(join(tmpdir(), 'dynamo-reply-kill-'));
const ADMIN = 'reply-kill-admin-key-0123456789';
const env = {
  DATABASE_PATH: join(dir, 'dynamo.sqlite'),
  ADMIN_API_KEY: ADMIN,
  SECRET_KEY: 'reply-kill-secret-key-0123456789abcdef012',
  CPO_COUNTRY_CODE: 'NL',
  CPO_PARTY_ID: 'DYN',
  CPO_NAME: 'Dynamo Reply Kill',
};
let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.kill();
  removeDir(dir);
});

test('killed right after the first answer of a burst: every station that got an answer has its change stored', async () => {
  server = await spawnServer(env);
  const ids = Array.from({ length: 30 }, (_, i) => `RK-${i}`);
  for (const id of ids) {
    const response = await fetch(`${server.url}/api/v1/charge-points/${id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ password: STATION_PASSWORD }),
    });
    expect(response.status).toBe(201);
  }
  const stations = ids.map((identity) => stationClient({ endpoint: server!.ocppUrl, identity, protocols: ['ocpp1.6'], password: STATION_PASSWORD }));
  await Promise.all(stations.map((s) => s.connect()));
  await Promise.all(stations.map((s) => s.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' })));

  const answered = new Set<string>();
  let killed: Promise<void> | undefined;
  const calls = stations.map((s, i) =>
    s.call('StatusNotification', { connectorId: 1, status: 'Faulted', errorCode: 'GroundFailure' }).then(() => {
      answered.add(ids[i]!);
      killed ??= server!.kill('SIGKILL');
    }),
  );
  await Promise.allSettled(calls);
  await killed;
  server = undefined;
  expect(answered.size).toBeGreaterThan(0);

  const db = new Database(env.DATABASE_PATH, { readonly: true });
  try {
    const statusOf = (id: string) => {
      const row = db.query<{ s: string }, [string]>('SELECT snapshot AS s FROM charge_points WHERE id = ?').get(id);
      return (JSON.parse(row!.s) as { context: { evses: Record<string, { status: string }> } }).context.evses[statusKey(1)]?.status;
    };
    for (const id of answered) expect([id, statusOf(id)]).toEqual([id, 'Faulted']);
  } finally {
    db.close();
  }
  await Promise.all(stations.map((s) => s.close({ force: true }).catch(() => {})));
});
