/**
 * OutboxStore: work that must happen exactly once after a change commits. Each channel's delivery actor
 * (actors/partner/deliveries.ts) asks for the next due row, carries it out, and records the outcome; it sleeps
 * until `nextAttemptAt` when nothing is due. Rows of one object go out in the order they were made.
 */
import { describe, expect, test } from 'bun:test';
import type { OutboxStore } from '../../src/storage/ports.ts';
import { freshPerTest, type AdapterUnderTest } from './adapter-fixture.ts';
import { aDelivery, T0 } from './mothers.ts';

const SECOND = 1000;

export function describeOutboxStoreContract(name: string, makeAdapter: () => AdapterUnderTest<OutboxStore>) {
  describe(`OutboxStore contract: ${name}`, () => {
    const fixture = freshPerTest(makeAdapter);
    const outbox = () => fixture().adapter;
    const dueIds = (channel: string, nowMs: number) => {
      // What the delivery actor sees when every due row succeeds at once.
      const ids: number[] = [];
      for (let row = outbox().nextDue(channel, nowMs); row; row = outbox().nextDue(channel, nowMs)) {
        ids.push(row.id);
        outbox().delivered(row.id, nowMs);
      }
      return ids;
    };

    test('a new row is pending, due at once, with no attempts and everything it was given', () => {
      const delivery = aDelivery('emsp-1', 'session:1', { method: 'PATCH', body: { kwh: 2.25, note: 'Zoë ⚡', tags: [1, null] } });
      const id = outbox().enqueue(delivery, T0);
      expect(outbox().nextDue('emsp-1', T0)).toEqual({
        id,
        ...delivery,
        status: 'pending',
        attempts: 0,
        createdAtMs: T0,
        firstFailedAtMs: null,
        nextAttemptAtMs: T0,
        lastError: null,
        deliveredAtMs: null,
        responseLocation: null,
        to: null,
      });
    });

    test('a row for a party behind the connection names it (in capitals, as CiStrings compare)', () => {
      const id = outbox().enqueue(aDelivery('hub-1', 'session:1', { to: { country_code: 'de', party_id: 'abc' } }), T0);
      expect(outbox().nextDue('hub-1', T0)).toMatchObject({ id, to: { country_code: 'DE', party_id: 'ABC' } });
    });

    test('a row without a module carries an absolute URL (a command result) and no body when it has none', () => {
      const id = outbox().enqueue(aDelivery('emsp-1', 'command:1', { method: 'POST', module: null, path: 'https://emsp.example/cb/1', body: null }), T0);
      expect(outbox().nextDue('emsp-1', T0)).toMatchObject({ id, module: null, path: 'https://emsp.example/cb/1', body: null });
    });

    test('every enqueue gets a new id', () => {
      const ids = [1, 2, 3].map(() => outbox().enqueue(aDelivery('emsp-1', 'session:1'), T0));
      expect(new Set(ids).size).toBe(3);
    });

    test('nothing is due on an empty or unknown channel', () => {
      expect(outbox().nextDue('emsp-1', T0)).toBeUndefined();
      expect(outbox().nextAttemptAt('emsp-1')).toBeUndefined();
    });

    test('a row is never due before it was made', () => {
      outbox().enqueue(aDelivery('emsp-1', 'session:1'), T0);
      expect(outbox().nextDue('emsp-1', T0 - 1)).toBeUndefined();
    });

    test('a row made to wait is due at its time, not before; it holds back later rows of its object only', () => {
      const held = outbox().enqueue(aDelivery('emsp-1', 'session:1', { method: 'PATCH' }), T0, T0 + 15 * SECOND);
      const other = outbox().enqueue(aDelivery('emsp-1', 'session:2'), T0);
      expect(outbox().nextAttemptAt('emsp-1')).toBe(T0);
      expect(dueIds('emsp-1', T0 + 15 * SECOND - 1)).toEqual([other]);
      expect(outbox().nextAttemptAt('emsp-1')).toBe(T0 + 15 * SECOND);
      expect(outbox().nextDue('emsp-1', T0 + 15 * SECOND)).toMatchObject({ id: held, createdAtMs: T0, nextAttemptAtMs: T0 + 15 * SECOND });
    });

    test("latest is the object's newest row on the channel for the party, whatever its status", () => {
      const abc = { country_code: 'DE', party_id: 'ABC' };
      const first = outbox().enqueue(aDelivery('emsp-1', 'session:1'), T0);
      expect(outbox().latest('emsp-1', 'session:1', null)?.id).toBe(first);
      const second = outbox().enqueue(aDelivery('emsp-1', 'session:1', { method: 'PATCH' }), T0);
      outbox().enqueue(aDelivery('emsp-1', 'session:2'), T0);
      outbox().enqueue(aDelivery('emsp-2', 'session:1'), T0);
      const forAbc = outbox().enqueue(aDelivery('emsp-1', 'session:1', { to: { country_code: 'de', party_id: 'abc' } }), T0);
      outbox().delivered(second, T0 + SECOND);
      expect(outbox().latest('emsp-1', 'session:1', null)).toMatchObject({ id: second, method: 'PATCH', status: 'delivered', deliveredAtMs: T0 + SECOND });
      expect(outbox().latest('emsp-1', 'session:1', abc)).toMatchObject({ id: forAbc, to: abc });
      expect(outbox().latest('emsp-1', 'session:3', null)).toBeUndefined();
      expect(outbox().latest('emsp-1', 'session:1', { country_code: 'DE', party_id: 'XYZ' })).toBeUndefined();
    });

    test('rewrite gives a pending row new content, and a new due time when asked; a delivered row stays as it went', () => {
      const id = outbox().enqueue(aDelivery('emsp-1', 'session:1', { method: 'PATCH', body: { kwh: 1 } }), T0, T0 + 15 * SECOND);
      expect(outbox().rewrite(id, { method: 'PATCH', body: { kwh: 2 } })).toBe(true);
      expect(outbox().latest('emsp-1', 'session:1', null)).toMatchObject({ id, method: 'PATCH', body: { kwh: 2 }, nextAttemptAtMs: T0 + 15 * SECOND, createdAtMs: T0 });
      expect(outbox().rewrite(id, { method: 'PUT', body: { kwh: 3 }, nextAttemptAtMs: T0 + SECOND })).toBe(true);
      expect(outbox().nextDue('emsp-1', T0 + SECOND)).toMatchObject({ id, method: 'PUT', body: { kwh: 3 } });
      outbox().delivered(id, T0 + SECOND);
      expect(outbox().rewrite(id, { method: 'PATCH', body: { kwh: 4 } })).toBe(false);
      expect(outbox().latest('emsp-1', 'session:1', null)).toMatchObject({ status: 'delivered', body: { kwh: 3 } });
    });

    test('a channel sees only its own rows', () => {
      outbox().enqueue(aDelivery('emsp-1', 'session:1'), T0);
      const other = outbox().enqueue(aDelivery('emsp-2', 'session:1'), T0);
      expect(dueIds('emsp-2', T0)).toEqual([other]);
    });

    test('due rows come oldest first, across objects', () => {
      const ids = ['session:1', 'session:2', 'session:1', 'cdr:9'].map((key, i) => outbox().enqueue(aDelivery('emsp-1', key), T0 + i));
      expect(dueIds('emsp-1', T0 + 10)).toEqual(ids);
    });

    test('a newer row of an object never overtakes an older pending one, even while the older waits for a retry', () => {
      const older = outbox().enqueue(aDelivery('emsp-1', 'session:1'), T0);
      const newer = outbox().enqueue(aDelivery('emsp-1', 'session:1'), T0);
      const otherObject = outbox().enqueue(aDelivery('emsp-1', 'session:2'), T0);
      outbox().failed(older, 'HTTP 503', T0 + 30 * SECOND, T0);
      expect(dueIds('emsp-1', T0 + SECOND)).toEqual([otherObject]);
      expect(dueIds('emsp-1', T0 + 30 * SECOND)).toEqual([older, newer]);
    });

    test('rows for a held party wait untouched, in order, without holding up anyone else; due again once released', () => {
      const abc = { country_code: 'DE', party_id: 'ABC' };
      const xyz = { country_code: 'DE', party_id: 'XYZ' };
      const first = outbox().enqueue(aDelivery('hub-1', 'session:1', { to: abc }), T0);
      const second = outbox().enqueue(aDelivery('hub-1', 'session:1', { to: abc }), T0);
      const other = outbox().enqueue(aDelivery('hub-1', 'session:2', { to: xyz }), T0);
      const broadcast = outbox().enqueue(aDelivery('hub-1', 'location:1'), T0);
      const held = [{ country_code: 'de', party_id: 'abc' }];
      expect(outbox().nextAttemptAt('hub-1', held)).toBe(T0);
      const seen: number[] = [];
      for (let row = outbox().nextDue('hub-1', T0, held); row; row = outbox().nextDue('hub-1', T0, held)) {
        seen.push(row.id);
        outbox().delivered(row.id, T0);
      }
      expect(seen).toEqual([other, broadcast]);
      expect(outbox().nextAttemptAt('hub-1', held)).toBeUndefined();
      expect(outbox().list('hub-1', ['pending'], 10)).toEqual([expect.objectContaining({ id: second, attempts: 0 }), expect.objectContaining({ id: first, attempts: 0 })]);
      expect(dueIds('hub-1', T0 + 3600 * SECOND)).toEqual([first, second]);
    });

    test('one object goes to each party in its own order: a row waiting for one party holds up none for another', () => {
      const forAbc = outbox().enqueue(aDelivery('hub-1', 'location:1', { to: { country_code: 'DE', party_id: 'ABC' } }), T0);
      const forXyz = outbox().enqueue(aDelivery('hub-1', 'location:1', { to: { country_code: 'DE', party_id: 'XYZ' } }), T0);
      outbox().failed(forAbc, 'HTTP 503', T0 + 60 * SECOND, T0);
      expect(dueIds('hub-1', T0)).toEqual([forXyz]);
    });

    test('failed() counts the attempt, keeps the error and moves the next attempt; the row stays pending', () => {
      const id = outbox().enqueue(aDelivery('emsp-1', 'session:1'), T0);
      expect(outbox().nextDue('emsp-1', T0)).toMatchObject({ id, firstFailedAtMs: null });
      outbox().failed(id, 'HTTP 503', T0 + 5 * SECOND, T0 + SECOND);
      outbox().failed(id, 'timeout', T0 + 20 * SECOND, T0 + 5 * SECOND);
      expect(outbox().nextDue('emsp-1', T0 + 20 * SECOND - 1)).toBeUndefined();
      // Its age counts from the first failure, not from when it was queued (it may have waited for a held party).
      expect(outbox().nextDue('emsp-1', T0 + 20 * SECOND)).toMatchObject({ id, status: 'pending', attempts: 2, lastError: 'timeout', nextAttemptAtMs: T0 + 20 * SECOND, firstFailedAtMs: T0 + SECOND });
    });

    test("nextAttemptAt is the earliest pending row's next attempt, whether due or not", () => {
      const a = outbox().enqueue(aDelivery('emsp-1', 'session:1'), T0);
      const b = outbox().enqueue(aDelivery('emsp-1', 'session:2'), T0 + SECOND);
      outbox().failed(a, 'HTTP 503', T0 + 60 * SECOND, T0);
      expect(outbox().nextAttemptAt('emsp-1')).toBe(T0 + SECOND);
      outbox().delivered(b, T0 + 2 * SECOND);
      expect(outbox().nextAttemptAt('emsp-1')).toBe(T0 + 60 * SECOND);
      outbox().delivered(a, T0 + 60 * SECOND);
      expect(outbox().nextAttemptAt('emsp-1')).toBeUndefined();
    });

    test('a delivered row is never due again and keeps when it went and the response location', () => {
      const id = outbox().enqueue(aDelivery('emsp-1', 'cdr:1', { method: 'POST' }), T0);
      outbox().failed(id, 'HTTP 503', T0 + SECOND, T0);
      outbox().delivered(id, T0 + 2 * SECOND, 'https://emsp.example/cdrs/1');
      expect(outbox().nextDue('emsp-1', T0 + 365 * 24 * 3600 * SECOND)).toBeUndefined();
      expect(outbox().list('emsp-1', ['delivered'], 10)).toEqual([
        expect.objectContaining({ id, status: 'delivered', attempts: 2, deliveredAtMs: T0 + 2 * SECOND, lastError: null, responseLocation: 'https://emsp.example/cdrs/1' }),
      ]);
    });

    test('a delivered row cannot be retried', () => {
      const id = outbox().enqueue(aDelivery('emsp-1', 'session:1'), T0);
      outbox().delivered(id, T0);
      expect(outbox().retry('emsp-1', id, T0 + SECOND)).toBe(false);
      expect(outbox().nextDue('emsp-1', T0 + SECOND)).toBeUndefined();
    });

    test("a dead-lettered row leaves the queue, keeps its error, and lets its object's later rows through", () => {
      const dead = outbox().enqueue(aDelivery('emsp-1', 'session:1'), T0);
      const next = outbox().enqueue(aDelivery('emsp-1', 'session:1'), T0);
      outbox().deadLetter(dead, 'HTTP 400: unknown location');
      expect(dueIds('emsp-1', T0)).toEqual([next]);
      expect(outbox().list('emsp-1', ['dead'], 10)).toEqual([expect.objectContaining({ id: dead, status: 'dead', attempts: 1, lastError: 'HTTP 400: unknown location' })]);
    });

    test('retry brings a dead row back: pending, due at the given time, attempts from zero', () => {
      const id = outbox().enqueue(aDelivery('emsp-1', 'session:1'), T0);
      outbox().deadLetter(id, 'HTTP 400');
      expect(outbox().retry('emsp-1', id, T0 + 60 * SECOND)).toBe(true);
      expect(outbox().nextDue('emsp-1', T0 + 60 * SECOND - 1)).toBeUndefined();
      expect(outbox().nextDue('emsp-1', T0 + 60 * SECOND)).toMatchObject({ id, status: 'pending', attempts: 0, nextAttemptAtMs: T0 + 60 * SECOND });
    });

    test('retry makes a pending row waiting for its backoff due now', () => {
      const id = outbox().enqueue(aDelivery('emsp-1', 'session:1'), T0);
      outbox().failed(id, 'HTTP 503', T0 + 3600 * SECOND, T0);
      expect(outbox().retry('emsp-1', id, T0 + SECOND)).toBe(true);
      expect(outbox().nextDue('emsp-1', T0 + SECOND)?.id).toBe(id);
    });

    test("retry refuses another channel's row and an unknown row", () => {
      const id = outbox().enqueue(aDelivery('emsp-1', 'session:1'), T0);
      outbox().deadLetter(id, 'HTTP 400');
      expect(outbox().retry('emsp-2', id, T0)).toBe(false);
      expect(outbox().retry('emsp-1', id + 1000, T0)).toBe(false);
      expect(outbox().list('emsp-1', ['dead'], 10).map((r) => r.id)).toEqual([id]);
    });

    test("cancelAll cancels the channel's pending rows only: delivered and dead rows and other channels stay", () => {
      const delivered = outbox().enqueue(aDelivery('emsp-1', 'session:1'), T0);
      outbox().delivered(delivered, T0);
      const dead = outbox().enqueue(aDelivery('emsp-1', 'session:2'), T0);
      outbox().deadLetter(dead, 'HTTP 400');
      const pending = [outbox().enqueue(aDelivery('emsp-1', 'session:3'), T0), outbox().enqueue(aDelivery('emsp-1', 'session:4'), T0)];
      outbox().failed(pending[1]!, 'HTTP 503', T0 + 60 * SECOND, T0);
      const elsewhere = outbox().enqueue(aDelivery('emsp-2', 'session:1'), T0);
      outbox().cancelAll('emsp-1');
      expect(outbox().nextDue('emsp-1', T0 + 3600 * SECOND)).toBeUndefined();
      expect(outbox().nextAttemptAt('emsp-1')).toBeUndefined();
      expect(outbox().list('emsp-1', ['cancelled'], 10).map((r) => r.id).toSorted()).toEqual(pending.toSorted());
      expect(outbox().list('emsp-1', ['delivered', 'dead'], 10).map((r) => r.id).toSorted()).toEqual([delivered, dead].toSorted());
      expect(outbox().nextDue('emsp-2', T0)?.id).toBe(elsewhere);
    });

    test('a cancelled row cannot be retried', () => {
      const id = outbox().enqueue(aDelivery('emsp-1', 'session:1'), T0);
      outbox().cancelAll('emsp-1');
      expect(outbox().retry('emsp-1', id, T0)).toBe(false);
    });

    test("list returns the channel's rows in the asked statuses, newest first, at most `limit`", () => {
      const [first, dead, delivered, last] = [1, 2, 3, 4].map((n) => outbox().enqueue(aDelivery('emsp-1', `session:${n}`), T0 + n)) as [number, number, number, number];
      outbox().deadLetter(dead, 'HTTP 400');
      outbox().delivered(delivered, T0 + 10);
      outbox().enqueue(aDelivery('emsp-2', 'session:1'), T0);
      expect(outbox().list('emsp-1', ['pending', 'dead'], 10).map((r) => r.id)).toEqual([last, dead, first]);
      expect(outbox().list('emsp-1', ['pending', 'dead'], 2).map((r) => r.id)).toEqual([last, dead]);
      expect(outbox().list('emsp-1', [], 10)).toEqual([]);
    });

    test('channelsWithPending names every channel with a pending row once, due or waiting, and no other', () => {
      outbox().enqueue(aDelivery('emsp-1', 'session:1'), T0);
      outbox().enqueue(aDelivery('emsp-1', 'session:2'), T0);
      const waiting = outbox().enqueue(aDelivery('payments', 'guest:1', { module: null, path: 'capture' }), T0);
      outbox().failed(waiting, 'provider down', T0 + 3600 * SECOND, T0);
      const done = outbox().enqueue(aDelivery('emsp-2', 'session:1'), T0);
      outbox().delivered(done, T0);
      outbox().deadLetter(outbox().enqueue(aDelivery('emsp-3', 'session:1'), T0), 'HTTP 400');
      expect(outbox().channelsWithPending().toSorted()).toEqual(['emsp-1', 'payments']);
    });
  });
}
