import { afterAll, expect, test } from 'bun:test';
import { Leases } from '../../src/cluster/leases.ts';
import { connectRedis } from '../../src/cluster/redis.ts';
import { keepTime } from '../../src/cluster/timekeeper.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { REDIS_URL } from '../support/cluster-nodes.ts';
import { eventually } from '../support/eventually.ts';

// Two nodes in one process, each with its own Redis connection and timekeeper lease; their shared timers recorded.
const prefix = `test-${crypto.randomUUID()}`;
const logger = createLogger('silent');
const opened: { close(): unknown }[] = [];
afterAll(async () => {
  const redis = await connectRedis(REDIS_URL, prefix, logger);
  for (const thing of opened.reverse()) await thing.close();
  for await (const keys of redis.commands.scanIterator({ MATCH: `${prefix}:*` })) if (keys.length) await redis.commands.del(keys);
  await redis.close();
});

async function node(name: string) {
  const redis = await connectRedis(REDIS_URL, prefix, logger);
  const runs: string[] = [];
  const leases: Leases = new Leases(redis, 'timekeeper', name, 300, () => keeper.lost(), logger);
  const keeper = keepTime({ leases, timers: { resume: (recent) => runs.push(recent ? 'rescan' : 'resume'), stop: () => runs.push('stop') }, rescanMs: 600, logger });
  opened.push(redis, leases, { close: () => keeper.stop() });
  return { redis, runs, keeper };
}

test('one node at a time keeps the shared timers: it resumes them, rescans, and stops them when the lease goes to another node', async () => {
  const a = await node('A');
  await eventually(() => expect(a.runs).toEqual(['resume']));
  const b = await node('B');
  await eventually(() => expect(a.runs).toEqual(['resume', 'rescan']));
  expect(b.runs).toEqual([]);
  expect(b.keeper.holding).toBe(false);

  // A paused past its lease wakes to find it B's: A stops what it armed, B resumes everything from the record.
  await a.redis.commands.set(`${prefix}:lease:timekeeper:timekeeper`, '999|B', { PX: 300 });
  await eventually(() => expect(a.runs.at(-1)).toBe('stop'));
  await eventually(() => expect(b.runs[0]).toBe('resume'));
  expect(a.keeper.holding).toBe(false);
});
