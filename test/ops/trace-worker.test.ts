import { afterEach, describe, expect, test } from 'bun:test';
import { Database } from 'bun:sqlite';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage, type Storage } from '../../src/storage/storage.ts';
import { traceFileOf, traceRepo } from '../../src/storage/sqlite/trace.repo.ts';
import { createTraceRecorder, type TraceSettings } from '../../src/ops/trace/trace-recorder.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { capturingLogger } from '../support/capturing-logger.ts';
import { eventually } from '../support/eventually.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { removeDir } from '../support/server.ts';

const settings: TraceSettings = { retentionHours: 72, maxRows: 1_000_000 };
const station = { chargePointId: 'CP-W', version: 'ocpp1.6' } as never;
const resolvers = { sessionOfTransaction: () => undefined, partnersForBatch: () => () => undefined };


const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const step of cleanup.splice(0).reverse()) step();
});

function fileStorage(): { storage: Storage; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'dynamo-trace-worker-'));
  const storage = createStorage(join(dir, 'dynamo.sqlite'));
  cleanup.push(() => removeDir(dir), () => storage.close());
  return { storage, dir };
}

/** The nice value of each of this process's threads (Linux). */
function threadNices(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

function heartbeats(tap: { frame: (s: never, d: 'in' | 'out', t: string) => void }, n: number) {
  for (let i = 0; i < n; i++) {
    tap.frame(station, 'in', `[2,"${i}","Heartbeat",{}]`);
    tap.frame(station, 'out', `[3,"${i}",{"currentTime":"2026-11-20T09:00:00Z"}]`);
  }
}

describe('the trace writer thread', () => {
  test('flush() resolves once the worker has committed what was pushed before it; answers are paired with their CALLs', async () => {
    const { storage } = fileStorage();
    const { logger, lines } = capturingLogger();
    const trace = createTraceRecorder({ repo: storage.trace, transact: storage.transact, clock: systemClock, logger, resolvers, settings });
    cleanup.push(() => trace.stop());
    heartbeats(trace.tap, 3);
    // Nothing is written on this thread: the rows appear only when the worker commits.
    expect(storage.trace.count()).toBe(0);
    await trace.flush();
    expect(storage.trace.count()).toBe(6);
    const rows = storage.trace.page({ chargePointId: 'CP-W' }, { limit: 10, offset: 0 }).items;
    expect(rows.map((r) => `${r.direction} ${r.action} ${r.status} ${r.messageId}`)).toEqual([
      'in Heartbeat CALL 0', 'out Heartbeat CALLRESULT 0', 'in Heartbeat CALL 1', 'out Heartbeat CALLRESULT 1', 'in Heartbeat CALL 2', 'out Heartbeat CALLRESULT 2',
    ]);
    expect(rows[0]!.payload).toBe('[2,"0","Heartbeat",{}]');
    expect(lines).toEqual([]);
  });

  test('a CALL written in one batch is linked to the session its answer names in a later one (looked up on the worker’s connection)', async () => {
    const { storage } = fileStorage();
    const trace = createTraceRecorder({ repo: storage.trace, transact: storage.transact, clock: systemClock, logger: capturingLogger().logger, resolvers, settings });
    cleanup.push(() => trace.stop());
    trace.tap.frame(station, 'in', '[2,"s1","StartTransaction",{"connectorId":1,"idTag":"T1","meterStart":0,"timestamp":"2026-11-20T09:00:00Z"}]');
    await trace.flush();
    // The handler commits the session on this thread before its answer goes out.
    storage.sqlite.run(
      `INSERT INTO sessions (id, charge_point_id, transaction_id, ocpp_evse_id, token_country_code, token_party_id, status, last_updated_ms, machine_version, snapshot)
       VALUES ('S-1', 'CP-W', '77', 1, 'NL', 'DYN', 'ACTIVE', 0, 1, '{}')`,
    );
    trace.tap.frame(station, 'out', '[3,"s1",{"transactionId":77,"idTagInfo":{"status":"Accepted"}}]');
    trace.tap.frame(station, 'in', '[2,"m1","MeterValues",{"connectorId":1,"transactionId":77,"meterValue":[]}]');
    await trace.flush();
    const rows = storage.trace.page({ sessionId: 'S-1', guestSessionIds: [] }, { limit: 10, offset: 0 }).items;
    expect(rows.map((r) => `${r.action} ${r.status}`)).toEqual(['StartTransaction CALL', 'StartTransaction CALLRESULT', 'MeterValues CALL']);
  });

  test('the timer’s batches are held and committed together within about a second; an explicit flush commits what is held', async () => {
    const { storage } = fileStorage();
    const trace = createTraceRecorder({ repo: storage.trace, transact: storage.transact, clock: systemClock, logger: capturingLogger().logger, resolvers, settings: { ...settings, flushMs: 20 } });
    cleanup.push(() => trace.stop());
    heartbeats(trace.tap, 3);
    // The timer's batches go to the worker, which holds them and commits them within its hold (1 s), unasked.
    await eventually(() => expect(storage.trace.count()).toBe(6), 3000);
    heartbeats(trace.tap, 1);
    await trace.flush();
    expect(storage.trace.count()).toBe(8);
    // While the worker runs it checkpoints the WAL; the service's connection only past 10,000 pages.
    expect(storage.sqlite.query('PRAGMA wal_autocheckpoint').get()).toEqual({ wal_autocheckpoint: 10_000 });
    trace.stop();
    expect(storage.sqlite.query('PRAGMA wal_autocheckpoint').get()).toEqual({ wal_autocheckpoint: 1000 });
  });

  test('stop() commits what is left before it returns, and ends the worker', async () => {
    const { storage } = fileStorage();
    const trace = createTraceRecorder({ repo: storage.trace, transact: storage.transact, clock: systemClock, logger: capturingLogger().logger, resolvers, settings });
    heartbeats(trace.tap, 5);
    trace.stop();
    expect(storage.trace.count()).toBe(10);
    // After stop, nothing more is recorded.
    heartbeats(trace.tap, 1);
    await trace.flush();
    expect(storage.trace.count()).toBe(10);
  });

  test('prune() deletes in the worker and answers how many rows went', async () => {
    const { storage } = fileStorage();
    const clock = new ManualClock('2026-11-20T09:00:00Z');
    const trace = createTraceRecorder({ repo: storage.trace, transact: storage.transact, clock, logger: capturingLogger().logger, resolvers, settings: { retentionHours: 1, maxRows: 3 } });
    cleanup.push(() => trace.stop());
    heartbeats(trace.tap, 1);
    clock.advance(2 * 3600_000);
    heartbeats(trace.tap, 1);
    // The flush before the prune writes all four rows and caps them at three; the prune then takes the old one left.
    expect(await trace.prune()).toEqual({ old: 1, excess: 0 });
    expect(storage.trace.count()).toBe(2);
  });

  test('a crashed worker is logged, its flush rejects, and the service carries on', async () => {
    const { storage, dir } = fileStorage();
    const { logger, lines } = capturingLogger();
    // A database the worker cannot open: it throws outside any handler, which ends the thread.
    const repo = { ...storage.trace, path: join(dir, 'no-such-dir', 'x.sqlite') };
    const trace = createTraceRecorder({ repo, transact: storage.transact, clock: systemClock, logger, resolvers, settings });
    cleanup.push(() => trace.stop());
    heartbeats(trace.tap, 2);
    await expect(trace.flush()).rejects.toThrow(/crashed/);
    await eventually(() => expect(lines.some((l) => l.level === 'error' && /protocol trace writer crashed/.test(l.msg))).toBe(true));
    // Within the restart delay no new worker starts: batches are dropped, the caller told so.
    heartbeats(trace.tap, 1);
    await expect(trace.flush()).rejects.toThrow(/not running/);
    expect(storage.trace.count()).toBe(0);
  });

  test('past maxBacklog uncommitted records new ones are dropped, counted and logged: the station path never waits on the trace', async () => {
    const { storage } = fileStorage();
    const { logger, lines } = capturingLogger();
    const dropped: number[] = [];
    const limited = { ...settings, maxBacklog: 4 };
    const trace = createTraceRecorder({ repo: storage.trace, transact: storage.transact, clock: systemClock, logger, resolvers, settings: limited, onDropped: (n) => dropped.push(n) });
    cleanup.push(() => trace.stop());
    heartbeats(trace.tap, 3);
    const first = trace.flush();
    // Four records handed to the worker and not yet committed: no room.
    heartbeats(trace.tap, 1);
    await first;
    heartbeats(trace.tap, 1);
    await trace.flush();
    expect(storage.trace.count()).toBe(6);
    expect(dropped).toEqual([2, 2]);
    expect(lines.filter((l) => /records dropped/.test(l.msg)).length).toBe(2);
    // It falls behind only on a busy core: the worker's thread yields to the station path (Linux: nice per thread).
    if (process.platform === 'linux') expect(threadNices()).toContain(19);
  });

  test('the trace has a file of its own: its writer never holds the service’s write lock; rows an earlier version kept in the service’s file move there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dynamo-trace-file-'));
    cleanup.push(() => removeDir(dir));
    const path = join(dir, 'dynamo.sqlite');
    createStorage(path).close();
    // As an earlier version left it: a row in the service's own table, no trace file.
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${traceFileOf(path)}${suffix}`, { force: true });
    const old = new Database(path);
    old.run(`INSERT INTO protocol_trace (at_ms, protocol, direction, charge_point_id, action, status) VALUES (1, 'ocpp', 'in', 'CP-OLD', 'Heartbeat', 'CALL')`);
    old.close();
    const storage = createStorage(path);
    cleanup.push(() => storage.close());
    expect(storage.trace.page({ chargePointId: 'CP-OLD' }, { limit: 10, offset: 0 }).items.map((r) => r.action)).toEqual(['Heartbeat']);
    expect(storage.sqlite.query('SELECT count(*) AS n FROM main.protocol_trace').get()).toEqual({ n: 0 });

    // The trace writer's connection inside a write: the service still commits at once (it would wait out its busy timeout and fail).
    const writerDb = new Database(path);
    cleanup.push(() => writerDb.close());
    const writer = traceRepo(writerDb, 'writer');
    writerDb.run('BEGIN');
    writer.insert({ atMs: 2, protocol: 'ocpp', direction: 'in', chargePointId: 'CP-NEW', action: 'Heartbeat', status: 'CALL' });
    const started = performance.now();
    storage.transact(() => storage.sqlite.run('UPDATE charge_points SET last_seen_at = 0 WHERE 0'));
    expect(performance.now() - started).toBeLessThan(1000);
    writerDb.run('COMMIT');
    expect(storage.trace.count()).toBe(2);
  });

  test('an in-memory database (no second connection possible) is written on the calling thread', async () => {
    const storage = createStorage(':memory:');
    cleanup.push(() => storage.close());
    const trace = createTraceRecorder({ repo: storage.trace, transact: storage.transact, clock: systemClock, logger: capturingLogger().logger, resolvers, settings });
    cleanup.push(() => trace.stop());
    heartbeats(trace.tap, 2);
    await trace.flush();
    expect(storage.trace.count()).toBe(4);
    expect(await trace.prune()).toEqual({ old: 0, excess: 0 });
  });
});
