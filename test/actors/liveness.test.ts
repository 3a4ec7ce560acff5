/**
 * Last-seen times are written in the background: a timed flush writes what was pending in slices of 50 stations,
 * one transaction per event-loop turn (19,500 in one transaction held the loop for tens of milliseconds), and a
 * station heard again meanwhile keeps its newest value; shutdown writes everything at once.
 */
import { expect, test } from 'bun:test';
import { Liveness } from '../../actors/charge-point/liveness.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { ManualClock } from '../support/manual-clock.ts';

function liveness() {
  const clock = new ManualClock('2026-12-06T10:00:00Z');
  const stored = new Map<string, string>();
  const transactions: number[] = [];
  let rows = 0;
  const live = new Liveness({
    store: { stored: (id) => stored.get(id), write: (entries) => void [...entries].forEach(([id, at]) => (rows += 1, stored.set(id, at))) },
    transact: (fn) => {
      const before = rows;
      const result = fn();
      transactions.push(rows - before);
      return result;
    },
    clock,
    logger: createLogger('silent'),
  });
  return { clock, stored, transactions, live };
}
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

test('a timed flush of 120 stations: 50 now, the rest in the next turns, the newest value of each', async () => {
  const { clock, stored, transactions, live } = liveness();
  for (let i = 0; i < 120; i++) live.seen(`CP-${i}`, 'T1');
  clock.advance(5_000);
  expect(transactions).toEqual([50]);
  // Heard again before its slice: its newer value goes with it.
  live.seen('CP-110', 'T2');
  expect(live.lastSeen('CP-110')).toBe('T2');
  await nextTurn();
  await nextTurn();
  expect(transactions).toEqual([50, 50, 20]);
  expect(stored.size).toBe(120);
  expect(stored.get('CP-110')).toBe('T2');
});

test('shutdown writes everything pending in one transaction', () => {
  const { stored, transactions, live } = liveness();
  for (let i = 0; i < 2_500; i++) live.seen(`CP-${i}`, 'T1');
  live.close();
  expect(transactions).toEqual([2_500]);
  expect(stored.size).toBe(2_500);
});
