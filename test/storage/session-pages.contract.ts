/**
 * SessionStore pages, property-based: whatever sessions become visible, hidden, visible again (in any order), get
 * their CDR, or are written by a transaction that then fails, every page of Sessions and CDRs — for one party, several,
 * all or none; at any offset and limit; inside any date window — is the slice of a plain model: the rows in the
 * order they were created, of those parties, on last_updated in [date_from, date_to). Runs share one store that
 * keeps growing (thousands of sessions per party), so pages come from deep inside long lists.
 *
 * Replay a failure with the seed printed at the start: `PROPERTY_SEED=<seed> bun test test/storage/sqlite.contract`.
 * PROPERTY_RUNS sets the number of runs (default 15).
 */
import { describe, expect, test } from 'bun:test';
import fc from 'fast-check';
import type { Owner, PageFilter, RenderedPage, SessionStore, Transact } from '../../src/storage/ports.ts';
import { objectsOf } from '../../src/storage/rendered-page.ts';
import { freshPerTest, type AdapterUnderTest } from './adapter-fixture.ts';
import { aCdr, aSession, aSessionSnapshot, T0 } from './mothers.ts';

const seed = process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : Math.floor(Math.random() * 2 ** 31);
const numRuns = Number(process.env.PROPERTY_RUNS ?? 15);

const PARTIES: Owner[] = [
  { countryCode: 'NL', partyId: 'TST' },
  { countryCode: 'DE', partyId: 'ABC' },
  { countryCode: 'FR', partyId: 'XYZ' },
];
/** Who asks: one party, two, every row, or a partner with no role. */
const VIEWERS: (Owner[] | 'all')[] = [[PARTIES[0]!], [PARTIES[1]!], [PARTIES[0]!, PARTIES[2]!], 'all', []];
const MINUTE = 60_000;

interface Row {
  /** Creation order (the row's seq). */
  order: number;
  owner: Owner;
  lastUpdatedMs: number;
}

type Op =
  /** New sessions, rendered one by one in the given order (reversed: each one lands before the ones shown already). */
  | { kind: 'batch'; count: number; party: number; reversed: boolean; minutes: number }
  | { kind: 'show'; pick: number; party: number; minutes: number }
  | { kind: 'hide'; pick: number }
  /** Sessions created one after the other hidden together: whole blocks of a list empty out. */
  | { kind: 'hideRun'; pick: number; count: number }
  /** The same, shown again last first: a thousand land in one place in the middle of a list. */
  | { kind: 'showRun'; pick: number; count: number; party: number; minutes: number }
  | { kind: 'cdr'; pick: number; minutes: number }
  | { kind: 'rolledBack'; party: number; minutes: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('batch' as const), count: fc.integer({ min: 1, max: 1400 }), party: fc.nat(2), reversed: fc.boolean(), minutes: fc.nat(600) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('hideRun' as const), pick: fc.nat(), count: fc.integer({ min: 1, max: 1200 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('showRun' as const), pick: fc.nat(), count: fc.integer({ min: 1, max: 1200 }), party: fc.nat(2), minutes: fc.nat(600) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('show' as const), pick: fc.nat(), party: fc.nat(2), minutes: fc.nat(600) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('hide' as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('cdr' as const), pick: fc.nat(), minutes: fc.nat(600) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rolledBack' as const), party: fc.nat(2), minutes: fc.nat(600) }) },
);

interface Query {
  viewer: number;
  offset: number;
  limit: number;
  from?: number | undefined;
  to?: number | undefined;
}
const queryArb: fc.Arbitrary<Query> = fc.record({
  viewer: fc.nat(VIEWERS.length - 1),
  offset: fc.nat(3000),
  limit: fc.integer({ min: 1, max: 100 }),
  from: fc.option(fc.nat(600), { nil: undefined }),
  to: fc.option(fc.nat(600), { nil: undefined }),
});

export function describeSessionPagesContract(name: string, makeAdapter: () => AdapterUnderTest<SessionStore> & { transact: Transact }) {
  describe(`SessionStore pages against a model: ${name}`, () => {
    const fixture = freshPerTest(makeAdapter);

    test('every page of Sessions and CDRs, for any parties, offset, limit and window, is the model\'s slice', async () => {
      console.log(`session pages property: seed ${seed}, ${numRuns} runs — replay with PROPERTY_SEED=${seed} bun test test/storage/sqlite.contract`);
      const { adapter: store, transact } = fixture();
      const sessions = new Map<string, Row & { shown: boolean }>();
      const cdrs = new Map<string, Row>();
      let created = 0;

      const create = (id: string) => {
        store.snapshots.save(id, 1, aSessionSnapshot({ id }), new Date(T0));
        sessions.set(id, { order: created++, owner: PARTIES[0]!, lastUpdatedMs: T0, shown: false });
      };
      const show = (id: string, party: number, minutes: number) => {
        const owner = PARTIES[party]!;
        store.saveView(id, aSession(id, T0 + minutes * MINUTE, owner));
        Object.assign(sessions.get(id)!, { owner, lastUpdatedMs: T0 + minutes * MINUTE, shown: true });
      };
      const picked = (pick: number) => [...sessions.keys()][pick % sessions.size];

      const apply = (op: Op) => {
        if (op.kind === 'batch') {
          const ids = Array.from({ length: op.count }, (_, i) => `s-${created + i}`);
          for (const id of ids) create(id);
          (op.reversed ? ids.toReversed() : ids).forEach((id, i) => show(id, op.party, op.minutes + (i % 37)));
        } else if (op.kind === 'rolledBack') {
          const id = `s-${created}`;
          expect(() =>
            transact(() => {
              store.snapshots.save(id, 1, aSessionSnapshot({ id }), new Date(T0));
              store.saveView(id, aSession(id, T0 + op.minutes * MINUTE, PARTIES[op.party]));
              throw new Error('the commit fails');
            }),
          ).toThrow('the commit fails');
        } else if (sessions.size > 0) {
          const id = picked(op.pick)!;
          const row = sessions.get(id)!;
          const hide = (key: string) => {
            store.saveView(key, undefined);
            sessions.get(key)!.shown = false;
          };
          if (op.kind === 'show') show(id, op.party, op.minutes);
          else if (op.kind === 'hide') hide(id);
          else if (op.kind === 'hideRun' || op.kind === 'showRun') {
            const run = [...sessions.keys()].slice(op.pick % sessions.size, (op.pick % sessions.size) + op.count);
            if (op.kind === 'hideRun') run.forEach(hide);
            else run.toReversed().forEach((key, i) => show(key, op.party, op.minutes + (i % 41)));
          }
          else if (row.shown) {
            const inserted = store.insertCdr(aCdr(`cdr-${id}`, id, T0 + op.minutes * MINUTE, row.owner));
            expect(inserted).toBe(!cdrs.has(id));
            if (inserted) cdrs.set(id, { order: cdrs.size, owner: row.owner, lastUpdatedMs: T0 + op.minutes * MINUTE });
          }
        }
      };

      const expected = (rows: Map<string, Row>, viewer: Owner[] | 'all', filter: PageFilter, idOf: (key: string) => string) => {
        const mine = (owner: Owner) => viewer === 'all' || viewer.some((o) => o.countryCode === owner.countryCode && o.partyId === owner.partyId);
        const listed = [...rows]
          .filter(([, row]) => !('shown' in row) || row.shown)
          .filter(([, row]) => mine(row.owner))
          .filter(([, row]) => (filter.fromMs === undefined || row.lastUpdatedMs >= filter.fromMs) && (filter.toMs === undefined || row.lastUpdatedMs < filter.toMs))
          .sort(([, a], [, b]) => a.order - b.order)
          .map(([key]) => idOf(key));
        return { ids: listed.slice(filter.offset, filter.offset + filter.limit), total: listed.length };
      };
      const served = (page: RenderedPage) => ({ ids: objectsOf<{ id: string }>(page).map((o) => o.id), total: page.total });

      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 12 }), fc.array(queryArb, { minLength: 8, maxLength: 8 }), async (ops, queries) => {
          for (const op of ops) apply(op);
          for (const q of queries) {
            const window = (minutes: number | undefined) => (minutes === undefined ? undefined : T0 + minutes * MINUTE);
            const filter: PageFilter = { offset: q.offset % 1500, limit: q.limit, fromMs: window(q.from), toMs: window(q.to) };
            const viewer = VIEWERS[q.viewer]!;
            expect(served(store.page(filter, viewer))).toEqual(expected(sessions, viewer, filter, (id) => id));
            expect(served(store.cdrsPage(filter, viewer))).toEqual(expected(cdrs, viewer, filter, (id) => `cdr-${id}`));
          }
        }),
        { seed, numRuns },
      );
    }, 120_000);
  });
}
