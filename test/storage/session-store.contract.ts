/**
 * SessionStore: what a charging session keeps besides its actor snapshot — the OCPI Session it renders, its one
 * CDR, and the look-ups OCPP needs (actors/session/sessions.ts). Partners page through Sessions and CDRs of the
 * tokens they own (OCPI 2.2.1 transport_and_format, pagination: date_from inclusive, date_to exclusive).
 *
 * A session's snapshot context carries `id`, `chargePointId`, `transactionId`, `ocppEvseId` and `lastUpdated`,
 * its `value` is the state: the store indexes sessions by them (see mothers.ts, aSessionSnapshot).
 */
import { describe, expect, test } from 'bun:test';
import type { RenderedPage, SessionStore, Transact } from '../../src/storage/ports.ts';
import { objectsOf } from '../../src/storage/rendered-page.ts';
import { freshPerTest, type AdapterUnderTest } from './adapter-fixture.ts';
import { aCdr, aSession, aSessionSnapshot, T0, type SessionState } from './mothers.ts';

const HOUR = 3600_000;
const NL_TST = { countryCode: 'NL', partyId: 'TST' };
const DE_ABC = { countryCode: 'DE', partyId: 'ABC' };
const everything = { offset: 0, limit: 100 };

export function describeSessionStoreContract(name: string, makeAdapter: () => AdapterUnderTest<SessionStore> & { transact: Transact }) {
  describe(`SessionStore contract: ${name}`, () => {
    const fixture = freshPerTest(makeAdapter);
    const store = () => fixture().adapter;
    const saveSession = (id: string, more: Omit<Parameters<typeof aSessionSnapshot>[0], 'id'> = {}) => store().snapshots.save(id, 1, aSessionSnapshot({ id, ...more }), new Date(T0));
    /** A session with its Session published, as the session actor commits it (snapshot, then view). */
    const publish = (id: string, lastUpdatedMs: number, owner = NL_TST) => {
      saveSession(id, { lastUpdatedMs });
      store().saveView(id, aSession(id, lastUpdatedMs, owner));
    };
    /** Pages hold the objects as served. */
    const parsed = (page: RenderedPage) => objectsOf<{ id: string }>(page);
    const sessionIds = (page: RenderedPage) => parsed(page).map((s) => s.id);

    describe('snapshots and views', () => {
      test('a session snapshot loads back with its machine version; an unknown one loads nothing', () => {
        const snapshot = aSessionSnapshot({ id: 's-1' });
        store().snapshots.save('s-1', 4, snapshot, new Date(T0));
        expect(store().snapshots.load('s-1')).toEqual({ machineVersion: 4, snapshot });
        expect(store().snapshots.load('s-2')).toBeUndefined();
      });

      test('saving a snapshot again replaces it', () => {
        saveSession('s-1', { state: 'pending' });
        saveSession('s-1', { state: 'active' });
        expect(store().snapshots.load('s-1')?.snapshot).toMatchObject({ value: 'active' });
      });

      test('the rendered Session reads back as saved; a later one replaces it; none clears it', () => {
        saveSession('s-1');
        expect(store().viewOf('s-1')).toBeUndefined();
        store().saveView('s-1', aSession('s-1', T0));
        store().saveView('s-1', aSession('s-1', T0 + HOUR));
        expect(store().viewOf('s-1')).toEqual(aSession('s-1', T0 + HOUR));
        store().saveView('s-1', undefined);
        expect(store().viewOf('s-1')).toBeUndefined();
        expect(store().viewOf('unknown')).toBeUndefined();
      });
    });

    describe('meter history', () => {
      const entries = [
        { seq: 1, kind: 'reading', at: '2026-03-01T10:00:00.250Z', energyKwh: '1.5', powerKw: '7.2', currentA: '31.4' },
        { seq: 2, kind: 'charging', at: '2026-03-01T10:00:00.250Z', charging: false },
        { seq: 3, kind: 'sample', at: '2026-03-01T09:59:00Z', charging: true },
      ] as const;

      test("a session's entries read back as appended, in seq order, apart from other sessions'", () => {
        store().readings.append('s-1', entries.slice(0, 2));
        store().readings.append('s-2', [{ seq: 1, kind: 'reading', at: '2026-03-01T11:00:00Z' }]);
        store().readings.append('s-1', entries.slice(2));
        expect(store().readings.of('s-1')).toEqual([...entries]);
        expect(store().readings.of('s-2')).toEqual([{ seq: 1, kind: 'reading', at: '2026-03-01T11:00:00Z' }]);
        expect(store().readings.of('s-3')).toEqual([]);
      });

      test('an entry is stored once: appending its seq again is refused', () => {
        store().readings.append('s-1', entries.slice(0, 1));
        expect(() => store().readings.append('s-1', [{ seq: 1, kind: 'reading', at: '2026-03-01T10:05:00Z' }])).toThrow();
        expect(store().readings.of('s-1')).toEqual([entries[0]]);
      });
    });

    describe('OCPP look-ups', () => {
      test("idByTransaction finds the session of a station's transaction, and only that station's", () => {
        saveSession('s-1', { chargePointId: 'CP-1', transactionId: 'T-42' });
        expect(store().idByTransaction('CP-1', 'T-42')).toBe('s-1');
        expect(store().idByTransaction('CP-2', 'T-42')).toBeUndefined();
        expect(store().idByTransaction('CP-1', 'T-43')).toBeUndefined();
      });

      test('runningOn finds the pending or active session on an EVSE', () => {
        for (const state of ['pending', 'active'] as const) {
          saveSession(`s-${state}`, { chargePointId: `CP-${state}`, ocppEvseId: 2, state });
          expect(store().runningOn(`CP-${state}`, 2)).toBe(`s-${state}`);
          expect(store().runningOn(`CP-${state}`, 1)).toBeUndefined();
        }
      });

      test('a reservation waiting for its driver and a completed session are not running', () => {
        for (const state of ['reserved', 'completed'] as SessionState[]) saveSession(`s-${state}`, { chargePointId: `CP-${state}`, state });
        expect(store().runningOn('CP-reserved', 1)).toBeUndefined();
        expect(store().runningOn('CP-completed', 1)).toBeUndefined();
      });

      test('a session stops running when its snapshot says it completed', () => {
        saveSession('s-1', { state: 'active' });
        saveSession('s-1', { state: 'completed' });
        expect(store().runningOn('CP-1', 1)).toBeUndefined();
      });

      test('runningOn follows every write of the EVSE after a look-up: a start, a stop, the next start', () => {
        expect(store().runningOn('CP-1', 1)).toBeUndefined();
        saveSession('s-1', { state: 'pending' });
        expect(store().runningOn('CP-1', 1)).toBe('s-1');
        saveSession('s-1', { state: 'completed' });
        expect(store().runningOn('CP-1', 1)).toBeUndefined();
        saveSession('s-2', { state: 'active' });
        expect(store().runningOn('CP-1', 1)).toBe('s-2');
      });

      test('a session seen running inside a transaction that rolls back is not running after it', () => {
        expect(() =>
          fixture().transact(() => {
            saveSession('s-1', { state: 'active' });
            expect(store().runningOn('CP-1', 1)).toBe('s-1');
            throw new Error('rolled back');
          }),
        ).toThrow('rolled back');
        expect(store().runningOn('CP-1', 1)).toBeUndefined();
      });

      test('ocpp16TransactionId gives a retransmitted StartTransaction the same integer, any other start a new one', () => {
        const start = { chargePointId: 'CP-1', connectorId: 1, idTag: 'TAG-1', timestamp: '2025-03-01T10:00:00Z', meterStart: 1200 };
        const id = store().ocpp16TransactionId(start);
        expect(Number.isInteger(id) && id > 0).toBe(true);
        expect(store().ocpp16TransactionId({ ...start })).toBe(id);
        const others = [{ chargePointId: 'CP-2' }, { connectorId: 2 }, { idTag: 'TAG-2' }, { timestamp: '2025-03-01T10:00:01Z' }, { meterStart: 1201 }].map((change) =>
          store().ocpp16TransactionId({ ...start, ...change }),
        );
        expect(new Set([id, ...others]).size).toBe(6);
      });

      test('a TransactionEvent is seen once marked, for that station, transaction and seqNo only; marking twice is harmless', () => {
        expect(store().seenTransactionEvent('CP-1', 'T-1', 0)).toBe(false);
        store().markTransactionEvent('CP-1', 'T-1', 0);
        store().markTransactionEvent('CP-1', 'T-1', 0);
        expect(store().seenTransactionEvent('CP-1', 'T-1', 0)).toBe(true);
        expect(store().seenTransactionEvent('CP-1', 'T-1', 1)).toBe(false);
        expect(store().seenTransactionEvent('CP-1', 'T-2', 0)).toBe(false);
        expect(store().seenTransactionEvent('CP-2', 'T-1', 0)).toBe(false);
      });
    });

    describe('CDRs', () => {
      test('a session gets its CDR once: a second insert is refused and the first stays', () => {
        saveSession('s-1', { state: 'completed' });
        expect(store().insertCdr(aCdr('cdr-1', 's-1', T0))).toBe(true);
        expect(store().insertCdr(aCdr('cdr-2', 's-1', T0 + HOUR))).toBe(false);
        expect(store().cdrOf('s-1')).toEqual(aCdr('cdr-1', 's-1', T0));
      });

      test('a session without a CDR has none', () => {
        saveSession('s-1');
        expect(store().cdrOf('s-1')).toBeUndefined();
      });
    });

    describe('pages for partners', () => {
      test('only sessions with a rendered Session are listed', () => {
        publish('s-1', T0);
        saveSession('s-2');
        publish('s-3', T0);
        store().saveView('s-3', undefined);
        expect(sessionIds(store().page(everything, 'all'))).toEqual(['s-1']);
      });

      test("a partner sees the Sessions of the parties it owns, whatever the letter case; 'all' sees every one", () => {
        publish('s-nl', T0, NL_TST);
        publish('s-de', T0, DE_ABC);
        publish('s-nl-lower', T0, { countryCode: 'nl', partyId: 'tst' });
        expect(sessionIds(store().page(everything, [{ countryCode: 'nl', partyId: 'tst' }])).toSorted()).toEqual(['s-nl', 's-nl-lower']);
        expect(sessionIds(store().page(everything, [DE_ABC, { countryCode: 'FR', partyId: 'XYZ' }]))).toEqual(['s-de']);
        expect(store().page(everything, 'all').total).toBe(3);
      });

      test('a partner owning no party sees nothing', () => {
        publish('s-1', T0);
        expect(store().page(everything, [])).toMatchObject({ count: 0, total: 0 });
        store().insertCdr(aCdr('cdr-1', 's-1'));
        expect(store().cdrsPage(everything, [])).toMatchObject({ count: 0, total: 0 });
      });

      test('the date window is on last_updated: date_from inclusive, date_to exclusive', () => {
        publish('before', T0 - 1);
        publish('from', T0);
        publish('inside', T0 + HOUR);
        publish('to', T0 + 2 * HOUR);
        const window = { ...everything, fromMs: T0, toMs: T0 + 2 * HOUR };
        expect(sessionIds(store().page(window, 'all')).toSorted()).toEqual(['from', 'inside']);
        expect(sessionIds(store().page({ ...everything, fromMs: T0 + HOUR }, 'all')).toSorted()).toEqual(['inside', 'to']);
        expect(sessionIds(store().page({ ...everything, toMs: T0 }, 'all'))).toEqual(['before']);
      });

      test("the window follows the latest rendered Session's last_updated", () => {
        publish('s-1', T0);
        store().saveView('s-1', aSession('s-1', T0 + 5 * HOUR));
        expect(sessionIds(store().page({ ...everything, fromMs: T0 + 5 * HOUR }, 'all'))).toEqual(['s-1']);
        expect(store().page({ ...everything, toMs: T0 + HOUR }, 'all').total).toBe(0);
      });

      test('offset and limit walk the matching Sessions in a stable order, each once; total counts them all', () => {
        for (let n = 0; n < 7; n++) publish(`s-${n}`, T0 + n * HOUR, n % 3 === 0 ? DE_ABC : NL_TST);
        const pages = [0, 2, 4].map((offset) => store().page({ offset, limit: 2 }, [NL_TST]));
        expect(pages.map((p) => p.total)).toEqual([4, 4, 4]);
        expect(pages.flatMap(sessionIds).toSorted()).toEqual(['s-1', 's-2', 's-4', 's-5']);
        expect(pages.flatMap(sessionIds)).toEqual(sessionIds(store().page(everything, [NL_TST])));
        expect(store().page({ offset: 10, limit: 2 }, [NL_TST])).toMatchObject({ count: 0, total: 4 });
      });

      test('CDR pages filter by owner and window the same way and page with offset and limit', () => {
        const owners = [NL_TST, DE_ABC, NL_TST, NL_TST, NL_TST];
        owners.forEach((owner, n) => {
          saveSession(`s-${n}`, { state: 'completed' });
          store().insertCdr(aCdr(`cdr-${n}`, `s-${n}`, T0 + n * HOUR, owner));
        });
        const mine = store().cdrsPage({ offset: 0, limit: 100, fromMs: T0 + HOUR, toMs: T0 + 4 * HOUR }, [{ countryCode: 'nl', partyId: 'tst' }]);
        expect(parsed(mine).map((c) => c.id).toSorted()).toEqual(['cdr-2', 'cdr-3']);
        expect(mine.total).toBe(2);
        const paged = [0, 2].map((offset) => store().cdrsPage({ offset, limit: 2 }, 'all'));
        expect(paged.map((p) => p.total)).toEqual([5, 5]);
        expect(paged.flatMap((p) => parsed(p).map((c) => c.id)).toSorted()).toEqual(['cdr-0', 'cdr-1', 'cdr-2', 'cdr-3']);
        expect(parsed(store().cdrsPage(everything, [DE_ABC]))).toEqual([aCdr('cdr-1', 's-1', T0 + HOUR, DE_ABC)]);
      });
    });

    describe("the operator's list", () => {
      test('list names every session, published or not, newest first, by limit and offset', () => {
        for (const id of ['s-1', 's-2', 's-3']) saveSession(id);
        store().saveView('s-2', aSession('s-2'));
        expect(store().list(10, 0)).toEqual(['s-3', 's-2', 's-1']);
        expect(store().list(1, 1)).toEqual(['s-2']);
        expect(store().list(10, 3)).toEqual([]);
      });

      test('a session saved again keeps its place in the list', () => {
        saveSession('s-1');
        saveSession('s-2');
        saveSession('s-1', { state: 'completed' });
        expect(store().list(10, 0)).toEqual(['s-2', 's-1']);
      });
    });
  });
}
