/**
 * Group commit and liveness, through the real server and real stations: a burst of messages from many stations
 * commits in a few transactions, not one each; a message whose step fails is refused alone; a batch whose COMMIT
 * fails answers none of its stations with success and keeps none of their changes (nor an HTTP request's); a
 * Heartbeat writes nothing until the last-seen flush, at most 5 s later.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { Database } from 'bun:sqlite';
import { join } from 'node:path';
import { eventually } from '../support/eventually.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { ADMIN_KEY, removeDir, startTestServer, type TestServer } from '../support/server.ts';
import { connectStation, type Station } from '../support/stations.ts';
import { statusKey } from '../../src/domain/evse-status.ts';

const N = 60;
const ids = Array.from({ length: N }, (_, i) => `GC-${String(i).padStart(3, '0')}`);
const clock = new ManualClock('2026-12-01T08:00:00Z');
let server: TestServer;
let stations: Station['client'][];
/** Another connection to the server's database file: what a process started after a crash would read. */
let reader: Database;

beforeAll(async () => {
  // No protocol trace: its worker writes every frame, and these tests count the server's writes.
  // On SQLite whatever the run: SQLite triggers make commits fail and PRAGMA data_version counts the writes.
  server = startTestServer({ clock, env: { TRACE: 'off' }, sqliteFile: true });
  stations = await Promise.all(ids.map(async (id) => (await connectStation(server, id)).client));
  await Promise.all(stations.map((s) => s.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' })));
  reader = new Database(join(server.dir, 'dynamo.sqlite'), { readonly: true });
});
afterAll(async () => {
  await Promise.all(stations.map((s) => s.close()));
  reader.close();
  await server.stop();
  removeDir(server.dir);
});

/** The group-commit counters from /metrics: transactions committed / failed, and actor steps committed in them. */
async function commitCounters() {
  const text = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).text();
  const read = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? 0);
  return {
    committed: read(/^dynamo_db_commits_total\{outcome="committed"\} (\S+)$/m),
    failed: read(/^dynamo_db_commits_total\{outcome="failed"\} (\S+)$/m),
    steps: read(/^dynamo_db_commit_steps_sum (\S+)$/m),
  };
}

/** Every station reports connector 1 at once (one CALL each, all sent in the same turn). */
const burst = (status: string) => Promise.allSettled(stations.map((s) => s.call('StatusNotification', { connectorId: 1, status, errorCode: 'NoError' })));
const shownStatus = async (id: string) => (await server.api('GET', `/api/v1/charge-points/${id}`)).body.connectors.find((c: { evse_id: number }) => c.evse_id === 1)?.status;
const storedStatus = (id: string) => {
  const row = reader.query<{ s: string }, [string]>('SELECT snapshot AS s FROM charge_points WHERE id = ?').get(id);
  return (JSON.parse(row!.s) as { context: { evses: Record<string, { status: string }> } }).context.evses[statusKey(1)]?.status;
};
const errorCodeOf = (outcome: PromiseSettledResult<unknown>) => (outcome.status === 'rejected' ? (outcome.reason as { rpcErrorCode?: string }).rpcErrorCode : undefined);

describe('group commit', () => {
  test('a burst from many stations is a few transactions, each station’s change stored before its answer', async () => {
    const before = await commitCounters();
    const outcomes = await burst('Available');
    expect(outcomes.map((o) => o.status)).toEqual(ids.map(() => 'fulfilled'));
    // Answered means committed: another connection reads every change at once.
    expect(ids.map(storedStatus)).toEqual(ids.map(() => 'Available'));
    const after = await commitCounters();
    expect(after.steps - before.steps).toBe(N);
    // One transaction per event-loop turn, not one per message (the frames arrived together).
    expect(after.committed - before.committed).toBeLessThanOrEqual(N / 10);
  });

  test('a station whose step fails is refused alone; the others in its batch are stored and answered', async () => {
    const bad = ids[7]!;
    server.storage.sqlite.run(`CREATE TRIGGER gc_refuse BEFORE UPDATE OF snapshot ON charge_points WHEN NEW.id = '${bad}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
    try {
      const outcomes = await burst('Reserved');
      expect(outcomes.map(errorCodeOf)).toEqual(ids.map((id) => (id === bad ? 'InternalError' : undefined)));
      expect(ids.map(storedStatus)).toEqual(ids.map((id) => (id === bad ? 'Available' : 'Reserved')));
      // Its actor is back at its last committed state; the others show what they reported.
      expect(await shownStatus(bad)).toBe('Available');
      expect(await shownStatus(ids[8]!)).toBe('Reserved');
    } finally {
      server.storage.sqlite.run('DROP TRIGGER gc_refuse');
    }
    expect(errorCodeOf((await burst('Reserved'))[7]!)).toBeUndefined();
    expect(storedStatus(bad)).toBe('Reserved');
  });

  test('a batch whose COMMIT fails: no station in it is answered with success, none of their changes stays', async () => {
    const doomed = ids[13]!;
    // The doomed station's update inserts a row whose foreign key is checked only at COMMIT: the step itself succeeds,
    // the transaction holding it (and every other step of its turn) cannot commit — as with a full disk.
    server.storage.sqlite.run('CREATE TABLE gc_keys (id TEXT PRIMARY KEY)');
    server.storage.sqlite.run('CREATE TABLE gc_locks (key TEXT REFERENCES gc_keys(id) DEFERRABLE INITIALLY DEFERRED)');
    server.storage.sqlite.run(`CREATE TRIGGER gc_doom AFTER UPDATE OF snapshot ON charge_points WHEN NEW.id = '${doomed}' BEGIN INSERT INTO gc_locks VALUES ('nowhere'); END`);
    const before = await commitCounters();
    let outcomes: PromiseSettledResult<unknown>[];
    try {
      outcomes = await burst('Unavailable');
    } finally {
      server.storage.sqlite.run('DROP TRIGGER gc_doom');
    }
    const refused = ids.filter((_, i) => errorCodeOf(outcomes[i]!) === 'InternalError');
    expect(refused).toContain(doomed);
    expect((await commitCounters()).failed - before.failed).toBeGreaterThanOrEqual(1);
    // Answered ⇔ stored, for every station: the refused ones kept their previous state, on disk and in memory.
    expect(ids.map(storedStatus)).toEqual(ids.map((id) => (refused.includes(id) ? 'Reserved' : 'Unavailable')));
    for (const id of refused) expect(await shownStatus(id)).toBe('Reserved');
    expect(outcomes.every((o) => o.status === 'fulfilled' || errorCodeOf(o) === 'InternalError')).toBe(true);
    // The stations retry (as real ones do): now it commits.
    expect((await burst('Unavailable')).map(errorCodeOf)).toEqual(ids.map(() => undefined));
    expect(ids.map(storedStatus)).toEqual(ids.map(() => 'Unavailable'));
  });
});

describe('liveness', () => {
  const dataVersion = () => reader.query<{ data_version: number }, []>('PRAGMA data_version').get()!.data_version;
  const storedLastSeen = (id: string) => reader.query<{ at: string | null }, [string]>('SELECT last_seen_at AS at FROM charge_points WHERE id = ?').get(id)!.at;

  test('Heartbeats write nothing; last seen is shown at once and stored by the flush 5 s later', async () => {
    // A minute after the statuses above, every station sends a Heartbeat.
    clock.advance(60_000);
    const heardAt = new Date(clock.now().getTime()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const before = { version: dataVersion(), counters: await commitCounters() };
    const answers = await Promise.all(stations.map((s) => s.call('Heartbeat', {})));
    expect(answers).toHaveLength(N);
    // No transaction committed by the server for them (PRAGMA data_version moves with any other connection's commit).
    expect(dataVersion()).toBe(before.version);
    expect(await commitCounters()).toEqual(before.counters);
    expect(storedLastSeen(ids[0]!)).not.toBe(heardAt);
    // The operator sees the Heartbeat's time already.
    expect((await server.api('GET', `/api/v1/charge-points/${ids[0]}`)).body.last_seen_at).toBe(heardAt);

    clock.advance(4_999);
    expect(dataVersion()).toBe(before.version);
    clock.advance(1);
    // The flush writes them all: its first slice at once, the rest in the next event-loop turns.
    expect(dataVersion()).not.toBe(before.version);
    await eventually(() => expect(ids.map(storedLastSeen)).toEqual(ids.map(() => heardAt)));
    expect((await server.api('GET', `/api/v1/charge-points/${ids[0]}`)).body.last_seen_at).toBe(heardAt);
  });
});

describe('HTTP answers', () => {
  test('a request whose change was in a batch that failed to commit is answered 500, and the change is not there', async () => {
    // Creating a partner (an invitation) inserts its row; this trigger makes the transaction holding it unable to commit.
    server.storage.sqlite.run('CREATE TABLE IF NOT EXISTS gc_keys (id TEXT PRIMARY KEY)');
    server.storage.sqlite.run('CREATE TABLE IF NOT EXISTS gc_locks (key TEXT REFERENCES gc_keys(id) DEFERRABLE INITIALLY DEFERRED)');
    server.storage.sqlite.run("CREATE TRIGGER gc_doom_partner AFTER INSERT ON partners BEGIN INSERT INTO gc_locks VALUES ('nowhere'); END");
    let refused;
    try {
      refused = await server.api('POST', '/api/v1/ocpi/invitations', { name: 'Never stored' });
    } finally {
      server.storage.sqlite.run('DROP TRIGGER gc_doom_partner');
    }
    expect([refused.status, refused.body.error]).toEqual([500, 'internal_error']);
    expect((await server.api('GET', '/api/v1/ocpi/partners')).body).toEqual([]);
    // The token it never handed out does not open our versions either.
    expect((await server.ocpi('GET', '/ocpi/versions', refused.body.token ?? 'none')).status).toBe(401);

    const invited = await server.api('POST', '/api/v1/ocpi/invitations', { name: 'Stored' });
    expect(invited.status).toBe(201);
    expect((await server.api('GET', '/api/v1/ocpi/partners')).body.map((p: { name: string }) => p.name)).toEqual(['Stored']);
  });
});

describe('connections', () => {
  const stored = (id: string) => {
    const row = reader.query<{ s: string }, [string]>('SELECT snapshot AS s FROM charge_points WHERE id = ?').get(id);
    return JSON.parse(row!.s) as { value: unknown; context: { connectedAt?: string } };
  };
  const view = async (id: string) => (await server.api('GET', `/api/v1/charge-points/${id}`)).body;

  test('a station back within its grace is written with its BootNotification, in one step; one that says nothing, alone 5 s later', async () => {
    const [booting, quiet] = [ids[0]!, ids[1]!];
    await Promise.all([stations[0]!.close(), stations[1]!.close()]);
    await eventually(async () => expect([(await view(booting)).connected, (await view(quiet)).connected]).toEqual([false, false]));
    const before = await commitCounters();
    clock.advance(1_000);
    const backAt = clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const [bootingBack, quietBack] = await Promise.all([booting, quiet].map(async (id) => (await connectStation(server, id, { register: false })).client));
    [stations[0], stations[1]] = [bootingBack!, quietBack!];
    // Shown connected at once, written not yet.
    await eventually(async () => expect(await view(quiet)).toMatchObject({ connected: true, state: 'booted', connected_at: backAt }));
    expect(await view(booting)).toMatchObject({ connected: true, state: 'booted' });
    expect(await commitCounters()).toEqual(before);
    expect(stored(booting).value).toBe('disconnected');

    await bootingBack!.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC' });
    expect((await commitCounters()).steps).toBe(before.steps + 1);
    expect(stored(booting)).toMatchObject({ value: { online: 'booted' }, context: { connectedAt: backAt } });

    clock.advance(4_999);
    expect(stored(quiet).value).toBe('disconnected');
    clock.advance(1);
    // Committed with the batch of that turn.
    await eventually(() => expect(stored(quiet)).toMatchObject({ value: { online: 'booted' }, context: { connectedAt: backAt } }));
  });
});
