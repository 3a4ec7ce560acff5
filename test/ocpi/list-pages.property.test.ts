/**
 * Pages of the Locations list stay exact whatever happens between them, property-based. fast-check generates what
 * an operator and two eMSPs do — locations created, replaced, unpublished for some tokens' holders, deleted and
 * created again, tokens pushed and changed, time passing — against the real server; after each run every page a
 * partner may ask for (any offset and limit, with or without a date_from/date_to window) is compared with a plain
 * model: the locations in creation order that this partner may see, filtered on last_updated. The server keeps
 * running from run to run and the model follows it, so the lists grow long and offsets large.
 *
 * Replay a failure with the seed printed at the start: `PROPERTY_SEED=<seed> bun test test/ocpi/list-pages.property`.
 * PROPERTY_RUNS sets the number of runs (default 25).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import fc from 'fast-check';
import { aLocation, anEvse } from '../support/mothers/network.ts';
import { nextLink, ocpiData, pathOf } from '../support/mothers/ocpi.ts';
import { aDriverToken, partnerPool, pushToken, type Partner } from '../support/mothers/partners.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

const seed = process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : Math.floor(Math.random() * 2 ** 31);
const numRuns = Number(process.env.PROPERTY_RUNS ?? 25);
console.log(`list pages property: seed ${seed}, ${numRuns} runs — replay with PROPERTY_SEED=${seed} bun test test/ocpi/list-pages.property`);

const LOCATIONS = '/ocpi/cpo/2.2.1/locations';
const IDS = Array.from({ length: 40 }, (_, i) => `PL-${String(i).padStart(2, '0')}`);
const GROUPS = ['FLEET-A', 'FLEET-B'] as const;
const UIDS = ['CARD-1', 'CARD-2', 'CARD-3'] as const;

type Entry = { group_id: string } | { uid: string; type: 'RFID' };
interface Modelled {
  id: string;
  name: string;
  /** Creation order: a replaced location keeps its place, one created again after deletion goes last. */
  order: number;
  publish: boolean;
  allowedTo: Entry[];
  lastUpdatedMs: number;
}

const partners = partnerPool();
const clock = new ManualClock('2027-03-01T08:00:00.000Z');
let cpo: TestServer;
let emsps: Partner[];
/** What the server should hold: the locations, and each partner's tokens (uid → group). */
const model = { locations: new Map<string, Modelled>(), created: 0, tokens: new Map<Partner, Map<string, string | undefined>>() };

beforeAll(async () => {
  cpo = startTestServer({ clock });
  emsps = [await partners.registered(cpo, { partyId: 'EMA' }), await partners.registered(cpo, { partyId: 'EMB' })];
  for (const emsp of emsps) model.tokens.set(emsp, new Map());
});
afterAll(async () => {
  await cpo.stop();
  partners.stopAll();
  removeDir(cpo.dir);
});

type Op =
  | { kind: 'put'; id: string; publish: boolean; allowedTo: Entry[]; name: number }
  | { kind: 'delete'; id: string }
  | { kind: 'token'; partner: 0 | 1; uid: string; group: string | undefined }
  | { kind: 'tick'; seconds: number };

const entryArb: fc.Arbitrary<Entry> = fc.oneof(
  fc.constantFrom(...GROUPS).map((group_id) => ({ group_id })),
  fc.constantFrom(...UIDS).map((uid) => ({ uid, type: 'RFID' as const })),
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('put' as const), id: fc.constantFrom(...IDS), publish: fc.boolean(), allowedTo: fc.array(entryArb, { maxLength: 2 }), name: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), id: fc.constantFrom(...IDS) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('token' as const), partner: fc.constantFrom(0 as const, 1 as const), uid: fc.constantFrom(...UIDS), group: fc.option(fc.constantFrom(...GROUPS), { nil: undefined }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('tick' as const), seconds: fc.integer({ min: 0, max: 3 }) }) },
);

async function apply(op: Op) {
  if (op.kind === 'tick') return clock.advance(op.seconds * 1000);
  if (op.kind === 'token') {
    const emsp = emsps[op.partner]!;
    await pushToken(cpo, emsp, aDriverToken(emsp, { uid: op.uid, ...(op.group ? { group_id: op.group } : {}) }));
    return void model.tokens.get(emsp)!.set(op.uid, op.group);
  }
  if (op.kind === 'delete') {
    const response = await cpo.api('DELETE', `/api/v1/locations/${op.id}`);
    expect(response.status).toBe(model.locations.has(op.id) ? 204 : 404);
    return void model.locations.delete(op.id);
  }
  // publish_allowed_to only where publish is false (OCPI 2.2.1 Locations).
  const allowedTo = op.publish ? [] : op.allowedTo;
  const body = aLocation({ publish: op.publish, name: `Site ${op.id} v${op.name}`, evses: [anEvse(`${op.id}-E1`)], ...(allowedTo.length > 0 ? { publish_allowed_to: allowedTo } : {}) });
  const response = await cpo.api('PUT', `/api/v1/locations/${op.id}`, body);
  expect(response.status).toBe(model.locations.has(op.id) ? 200 : 201);
  const previous = model.locations.get(op.id);
  model.locations.set(op.id, { id: op.id, name: body.name as string, order: previous?.order ?? model.created++, publish: op.publish, allowedTo, lastUpdatedMs: Date.parse(response.body.last_updated) });
}

/** The model's answer: what `emsp` may see, oldest first, inside the window, as id, name and last_updated. */
function expected(emsp: Partner, window: { fromMs?: number; toMs?: number }) {
  const tokens = model.tokens.get(emsp)!;
  const holds = (entry: Entry) => ('group_id' in entry ? [...tokens.values()].includes(entry.group_id) : tokens.has(entry.uid));
  return [...model.locations.values()]
    .filter((l) => l.publish || l.allowedTo.some(holds))
    .filter((l) => (window.fromMs === undefined || l.lastUpdatedMs >= window.fromMs) && (window.toMs === undefined || l.lastUpdatedMs < window.toMs))
    .sort((a, b) => a.order - b.order)
    .map((l) => ({ id: l.id, name: l.name, last_updated: stamp(l.lastUpdatedMs) }));
}

const served = (locations: { id: string; name: string; last_updated: string }[]) => locations.map(({ id, name, last_updated }) => ({ id, name, last_updated }));

const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface Query {
  partner: 0 | 1;
  offset: number;
  limit: number;
  /** Indexes into the stamps the model holds (and one second past each), or none. */
  from?: number | undefined;
  to?: number | undefined;
}
const queryArb: fc.Arbitrary<Query> = fc.record({
  partner: fc.constantFrom(0 as const, 1 as const),
  offset: fc.nat(45),
  limit: fc.integer({ min: 1, max: 12 }),
  from: fc.option(fc.nat(100), { nil: undefined }),
  to: fc.option(fc.nat(100), { nil: undefined }),
});

/** One page, as the server answers it and as the model says it must be. */
async function checkPage(query: Query) {
  const emsp = emsps[query.partner]!;
  const stamps = [...new Set([...model.locations.values()].flatMap((l) => [l.lastUpdatedMs, l.lastUpdatedMs + 1000]))].sort((a, b) => a - b);
  const pick = (i: number | undefined) => (i === undefined || stamps.length === 0 ? undefined : stamps[i % stamps.length]);
  const window = { fromMs: pick(query.from), toMs: pick(query.to) };
  const params = new URLSearchParams({ offset: String(query.offset), limit: String(query.limit) });
  if (window.fromMs !== undefined) params.set('date_from', stamp(window.fromMs));
  if (window.toMs !== undefined) params.set('date_to', stamp(window.toMs));
  const response = await cpo.ocpi('GET', `${LOCATIONS}?${params}`, emsp.token);
  const all = expected(emsp, window);
  const page = all.slice(query.offset, query.offset + query.limit);
  expect({ page: served(ocpiData(response)), total: response.headers.get('x-total-count') }).toEqual({ page, total: String(all.length) });
  const link = nextLink(response.headers);
  const next = query.offset + page.length;
  expect(link === undefined ? undefined : Object.fromEntries(new URL(link).searchParams)).toEqual(
    page.length > 0 && next < all.length ? { ...Object.fromEntries(params), offset: String(next), limit: String(query.limit) } : undefined,
  );
}

/** Following Link from the first page reaches exactly the model's list, each location once and as last written. */
async function checkCrawl(emsp: Partner, limit: number) {
  const crawled: ReturnType<typeof served> = [];
  let path: string | undefined = `${LOCATIONS}?limit=${limit}`;
  while (path !== undefined) {
    const response = await cpo.ocpi('GET', path, emsp.token);
    crawled.push(...served(ocpiData(response)));
    const link = nextLink(response.headers);
    path = link === undefined ? undefined : pathOf(link);
  }
  expect(crawled).toEqual(expected(emsp, {}));
}

describe('Locations pages against a model', () => {
  test('after any operations, every page, window and crawl is what the model says', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 25 }), fc.array(queryArb, { minLength: 6, maxLength: 6 }), fc.integer({ min: 1, max: 7 }), async (ops, queries, crawlLimit) => {
        for (const op of ops) await apply(op);
        for (const query of queries) await checkPage(query);
        for (const emsp of emsps) await checkCrawl(emsp, crawlLimit);
      }),
      { seed, numRuns },
    );
  }, 120_000);

  test("a page holds each location in the bytes of the location's own GET (both are the schema's served form)", async () => {
    const emsp = emsps[0]!;
    await apply({ kind: 'put', id: 'PL-00', publish: true, allowedTo: [], name: 9 });
    const response = await fetch(`${cpo.url}${LOCATIONS}?limit=12`, { headers: { authorization: `Token ${Buffer.from(emsp.token).toString('base64')}` } });
    const text = await response.text();
    const ids = (JSON.parse(text).data as { id: string }[]).map((l) => l.id);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      const own = await (await fetch(`${cpo.url}${LOCATIONS}/${id}`, { headers: { authorization: `Token ${Buffer.from(emsp.token).toString('base64')}` } })).text();
      const object = own.slice('{"data":'.length, own.indexOf(',"status_code":'));
      expect(text).toContain(object);
    }
  });

  test('after a restart the lists are built again from the database and answer the same', async () => {
    cpo = await cpo.restart();
    for (const emsp of emsps) await checkCrawl(emsp, 5);
    await checkPage({ partner: 0, offset: 3, limit: 4 });
    await checkPage({ partner: 1, offset: 0, limit: 12, from: 0 });
  });
});
