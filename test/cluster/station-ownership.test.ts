import { afterAll, expect, test } from 'bun:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Leases } from '../../src/cluster/leases.ts';
import { NodeBus } from '../../src/cluster/node-bus.ts';
import { connectRedis, type RedisLink } from '../../src/cluster/redis.ts';
import { StaleOwnership, StationOwnership } from '../../src/cluster/station-ownership.ts';
import { onStationOwner } from '../../src/cluster/station-router.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { createStorage } from '../../src/storage/storage.ts';
import { REDIS_URL } from '../support/cluster-nodes.ts';
import { eventually } from '../support/eventually.ts';
import { removeDir } from '../support/server.ts';

// Two nodes in one process: each with its own Redis connections, leases and bus, over one database file.
const dir = mkdtempSync(join(tmpdir(), 'dynamo-ownership-'));
const storage = createStorage(join(dir, 'dynamo.sqlite'));
const prefix = `test-${crypto.randomUUID()}`;
const logger = createLogger('silent');
const opened: { close(): unknown }[] = [];
afterAll(async () => {
  for (const thing of opened.reverse()) await thing.close();
  storage.close();
  removeDir(dir);
});

async function node(name: string) {
  const redis = await connectRedis(REDIS_URL, prefix, logger);
  const bus = new NodeBus(redis, name, logger);
  await bus.start();
  const leases: Leases = new Leases(redis, 'station', name, 300, (id, epoch) => ownership.lose(id, epoch + 1), logger);
  const ownership = new StationOwnership({ leases, bus, epochs: storage.stationEpochs, transact: storage.transact, logger });
  const lost: string[] = [];
  ownership.onLost = (id) => lost.push(id);
  opened.push(redis, { close: () => bus.close() }, leases);
  return { redis, bus, leases, ownership, lost };
}
const a = await node('A');
const b = await node('B');
const keys = async (redis: RedisLink) => {
  const found: string[] = [];
  for await (const batch of redis.commands.scanIterator({ MATCH: `${prefix}:*` })) found.push(...batch);
  return found;
};

test('a newer claim fences the older owner in the database at once, and the older owner is told', async () => {
  const first = await a.ownership.claim('CP-1');
  expect(storage.stationEpochs.current('CP-1')).toBe(first);
  expect(() => a.ownership.fence('CP-1')).not.toThrow();
  const second = await b.ownership.claim('CP-1');
  expect(second).toBeGreaterThan(first);
  // Before A hears of it: the database already refuses A's writes.
  expect(() => a.ownership.fence('CP-1')).toThrow(StaleOwnership);
  expect(() => b.ownership.fence('CP-1')).not.toThrow();
  await eventually(() => expect(a.lost).toEqual(['CP-1']));
  expect(a.ownership.holds('CP-1')).toBe(false);
  expect(await a.ownership.ownerNode('CP-1')).toBe('B');
  // A write from a node that never held the station (an operator action there) is not a stale owner's.
  expect(() => a.ownership.fence('CP-OTHER')).not.toThrow();
});

test('a holder that missed the announcement finds out on its next renewal', async () => {
  await a.ownership.claim('CP-2');
  // Another node's claim that A is not told of (as when A was paused while it was announced).
  await b.leases.claim('CP-2', storage.stationEpochs.current('CP-2') ?? 0);
  await eventually(() => expect(a.lost).toContain('CP-2'));
  expect(a.ownership.holds('CP-2')).toBe(false);
});

test('Redis losing its data: the holder takes its lease back, and a later claim still gets a newer epoch than the database holds', async () => {
  const epoch = await a.ownership.claim('CP-3');
  await a.redis.commands.del(await keys(a.redis));
  await eventually(async () => expect(await a.ownership.ownerNode('CP-3')).toBe('A'));
  expect(a.ownership.holds('CP-3')).toBe(true);
  // Lost again, and this time B claims before A renews: the database's epoch is the floor.
  await a.redis.commands.del(await keys(a.redis));
  const next = await b.ownership.claim('CP-3');
  expect(next).toBeGreaterThan(epoch);
  expect(() => a.ownership.fence('CP-3')).toThrow(StaleOwnership);
});

test('a write for a station runs on its holder; a holder that lost it meanwhile is refused, and the new one writes it', async () => {
  const route = (n: typeof a) =>
    onStationOwner(n.ownership, n.bus, 1_000)('test-write', async ({ chargePointId }: { chargePointId: string }) => {
      // As every write of a station's actors does, in its transaction.
      n.ownership.fence(chargePointId);
      return n.bus.node;
    });
  const [onA, onB] = [route(a), route(b)];
  await a.ownership.claim('CP-4');
  expect(await onB({ chargePointId: 'CP-4' })).toBe('A');
  // B claims it while A, not told yet, writes for it as its holder (a removal on A, say): B writes instead.
  await b.ownership.claim('CP-4');
  expect(a.ownership.holds('CP-4')).toBe(true);
  expect(await onA({ chargePointId: 'CP-4' })).toBe('B');
  // Nobody holds it: whoever asks writes.
  expect(await onA({ chargePointId: 'CP-NONE' })).toBe('A');
});

test('a delivery channel is held by one node at a time; the other gets it once the holder lets go', async () => {
  const deliveriesA = new Leases(a.redis, 'delivery', 'A', 300, () => {}, logger);
  const deliveriesB = new Leases(b.redis, 'delivery', 'B', 300, () => {}, logger);
  opened.push(deliveriesA, deliveriesB);
  expect(await deliveriesA.acquire('partner-1')).toBeDefined();
  expect(await deliveriesB.acquire('partner-1')).toBeUndefined();
  expect(await deliveriesA.acquire('partner-1')).toBeDefined();
  await deliveriesA.release('partner-1');
  expect(await deliveriesB.acquire('partner-1')).toBeDefined();
  expect(await deliveriesA.acquire('partner-1')).toBeUndefined();
});
