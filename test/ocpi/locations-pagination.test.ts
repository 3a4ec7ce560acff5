/**
 * Paging through many locations the way an eMSP crawls them (OCPI 2.2.1 transport_and_format, pagination):
 * follow `Link: <…>; rel="next"` to the end, trust X-Total-Count and X-Limit, filter on last_updated with
 * date_from (inclusive) and date_to (exclusive), and get a 2001 for parameters that make no sense.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { advanceToNextSecond } from '../support/mothers/examples.ts';
import { aLocation, anEvse, putLocation } from '../support/mothers/network.ts';
import { expectOcpiError, nextLink, ocpiData, pathOf } from '../support/mothers/ocpi.ts';
import { partnerPool, type Partner } from '../support/mothers/partners.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

const LOCATIONS = '/ocpi/cpo/2.2.1/locations';
const PUBLIC_URL = 'https://csms.example.com';
const partners = partnerPool();
let cpo: TestServer;
/** The server's clock: stamps (second precision) move to a later second when the test says so, not after a real wait. */
const clock = new ManualClock('2026-11-20T12:00:00.000Z');
let partner: Partner;
/** Every location of `cpo`, in creation order, with the last_updated we were given back. */
const created: { id: string; lastUpdated: string }[] = [];

const siteId = (batch: string, n: number) => `${batch}-${String(n).padStart(3, '0')}`;
async function createSite(server: TestServer, id: string) {
  const location = await putLocation(server, id, aLocation({ name: `Site ${id}`, evses: [anEvse(`${id}-E1`)] }));
  return { id, lastUpdated: location.last_updated as string };
}

beforeAll(async () => {
  cpo = startTestServer({ clock });
  partner = await partners.registered(cpo);
  for (let n = 1; n <= 260; n++) created.push(await createSite(cpo, siteId('A', n)));
});
afterAll(async () => {
  await cpo.stop();
  partners.stopAll();
  removeDir(cpo.dir);
});

/** Follows next links from `path` to the last page; every page is checked as it comes. */
async function crawl(server: TestServer, token: string, path: string) {
  const pages: { ids: string[]; total: number; limit: string | null; link: string | undefined }[] = [];
  let next: string | undefined = path;
  while (next !== undefined) {
    const response = await server.ocpi('GET', next, token);
    const data = ocpiData(response) as any[];
    const link = nextLink(response.headers);
    pages.push({ ids: data.map((l) => l.id), total: Number(response.headers.get('x-total-count')), limit: response.headers.get('x-limit'), link });
    if (link !== undefined) expect(link.startsWith(`${server.config.publicUrl}${LOCATIONS}?`)).toBe(true);
    next = link === undefined ? undefined : pathOf(link);
    if (pages.length > 400) throw new Error('the Link chain does not end');
  }
  return { pages, ids: pages.flatMap((p) => p.ids) };
}

describe('crawling 260 locations', () => {
  test('the default page is 25; following Link reaches every location once, oldest first, and the last page has no Link', async () => {
    const { pages, ids } = await crawl(cpo, partner.token, LOCATIONS);
    expect(pages.map((p) => p.ids.length)).toEqual([25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 10]);
    expect(ids).toEqual(created.map((c) => c.id));
    expect(new Set(ids).size).toBe(260);
    for (const page of pages) {
      expect(page.total).toBe(260);
      expect(page.limit).toBe('25');
    }
    expect(pages.at(-1)!.link).toBeUndefined();
    // Each next link asks for the page after this one, with the page size of this one.
    const first = new URL(pages[0]!.link!);
    expect(first.origin + first.pathname).toBe(`${cpo.config.publicUrl}${LOCATIONS}`);
    expect(Object.fromEntries(first.searchParams)).toEqual({ offset: '25', limit: '25' });
  });

  test('limit=1000 is capped at 100: 100 items, X-Limit 100, and a Link for the next 100', async () => {
    const response = await cpo.ocpi('GET', `${LOCATIONS}?limit=1000`, partner.token);
    const data = ocpiData(response) as any[];
    expect(data.map((l) => l.id)).toEqual(created.slice(0, 100).map((c) => c.id));
    expect(response.headers.get('x-limit')).toBe('100');
    expect(response.headers.get('x-total-count')).toBe('260');
    const link = new URL(nextLink(response.headers)!);
    expect(Object.fromEntries(link.searchParams)).toEqual({ offset: '100', limit: '100' });

    const { pages, ids } = await crawl(cpo, partner.token, `${LOCATIONS}?limit=1000`);
    expect(pages.map((p) => p.ids.length)).toEqual([100, 100, 60]);
    expect(ids).toEqual(created.map((c) => c.id));
  });

  test('an explicit offset and limit give that slice; offset past the end is an empty page without Link', async () => {
    const slice = await cpo.ocpi('GET', `${LOCATIONS}?offset=250&limit=7`, partner.token);
    expect((ocpiData(slice) as any[]).map((l) => l.id)).toEqual(created.slice(250, 257).map((c) => c.id));
    expect(Object.fromEntries(new URL(nextLink(slice.headers)!).searchParams)).toEqual({ offset: '257', limit: '7' });

    const last = await cpo.ocpi('GET', `${LOCATIONS}?offset=257&limit=7`, partner.token);
    expect((ocpiData(last) as any[]).length).toBe(3);
    expect(last.headers.get('link')).toBeNull();

    for (const offset of [260, 1000]) {
      const beyond = await cpo.ocpi('GET', `${LOCATIONS}?offset=${offset}`, partner.token);
      expect(ocpiData(beyond)).toEqual([]);
      expect(beyond.headers.get('x-total-count')).toBe('260');
      expect(beyond.headers.get('x-limit')).toBe('25');
      expect(beyond.headers.get('link')).toBeNull();
    }
  });

  test.each([
    ['limit=abc', 'limit'],
    ['limit=0', 'limit'],
    ['limit=-5', 'limit'],
    ['limit=2.5', 'limit'],
    ['limit=1e2', 'limit'],
    ['offset=-1', 'offset'],
    ['offset=abc', 'offset'],
    ['offset=1e%2B308', 'offset'],
    ['offset=1e+21', 'offset'],
    ['offset=9007199254740993', 'offset'],
    [`date_from=${encodeURIComponent('2024-01-01T00:00:00+01:00')}`, 'date_from'],
    [`date_to=${encodeURIComponent('2024-01-01T00:00:00+00:00')}`, 'date_to'],
    ['date_from=yesterday', 'date_from'],
  ])('%s is HTTP 400 with OCPI 2001 naming the field', async (query, field) => {
    const response = await cpo.ocpi('GET', `${LOCATIONS}?${query}`, partner.token);
    expectOcpiError(response, 400, 2001);
    expect(response.body.status_message).toContain(`/${field}`);
  });
});

describe('Link is built on PUBLIC_URL', () => {
  let behindProxy: TestServer;
  let proxied: Partner;

  beforeAll(async () => {
    behindProxy = startTestServer({ env: { PUBLIC_URL } });
    proxied = await partners.registeredDirectly(behindProxy, { partyId: 'PRX' });
    for (let n = 1; n <= 30; n++) await createSite(behindProxy, siteId('P', n));
  });
  afterAll(async () => {
    await behindProxy.stop();
    removeDir(behindProxy.dir);
  });

  test('the next link names the public origin, not the address the request came to', async () => {
    const response = await behindProxy.ocpi('GET', LOCATIONS, proxied.token);
    expect(nextLink(response.headers)).toBe(`${PUBLIC_URL}${LOCATIONS}?offset=25&limit=25`);
  });

  test('Host and X-Forwarded-* headers do not change it', async () => {
    const headers = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http', forwarded: 'host=evil.example;proto=http' };
    const response = await behindProxy.ocpi('GET', `${LOCATIONS}?limit=10`, proxied.token, undefined, { headers });
    expect(ocpiData(response)).toHaveLength(10);
    const link = nextLink(response.headers)!;
    expect(link.startsWith(`${PUBLIC_URL}${LOCATIONS}?`)).toBe(true);
    expect(link).not.toContain('evil.example');
  });

  test('the default public URL (no PUBLIC_URL set) is used as well, not the 127.0.0.1 the test called', async () => {
    const response = await cpo.ocpi('GET', LOCATIONS, partner.token, undefined, { headers: { 'x-forwarded-host': 'evil.example' } });
    expect(nextLink(response.headers)).toBe(`${cpo.config.publicUrl}${LOCATIONS}?offset=25&limit=25`);
    expect(cpo.config.publicUrl).not.toContain('127.0.0.1');
  });
});

describe('date_from (inclusive) and date_to (exclusive) on last_updated', () => {
  const batchA = () => created.filter((c) => c.id.startsWith('A-'));
  const batchB = () => created.filter((c) => c.id.startsWith('B-'));
  let lastA: string;
  let firstB: string;

  beforeAll(async () => {
    lastA = batchA().map((c) => c.lastUpdated).sort().at(-1)!;
    advanceToNextSecond(clock, lastA); // stamps have second precision: the second batch must land in a later second
    for (let n = 1; n <= 12; n++) created.push(await createSite(cpo, siteId('B', n)));
    firstB = batchB().map((c) => c.lastUpdated).sort()[0]!;
  });

  async function total(query: string) {
    const response = await cpo.ocpi('GET', `${LOCATIONS}?${query}&limit=100`, partner.token);
    ocpiData(response);
    return Number(response.headers.get('x-total-count'));
  }
  const count = (predicate: (ms: number) => boolean) => created.filter((c) => predicate(Date.parse(c.lastUpdated))).length;

  test('the two batches are a clock second apart', () => {
    expect(Date.parse(firstB)).toBeGreaterThan(Date.parse(lastA));
    expect(created).toHaveLength(272);
  });

  test('date_from is inclusive, date_to exclusive', async () => {
    const a = Date.parse(lastA);
    const b = Date.parse(firstB);
    expect(await total(`date_from=${firstB}`)).toBe(12);
    expect(await total(`date_to=${firstB}`)).toBe(260);
    // The stamp of the last A location itself is inside date_from and outside date_to.
    expect(await total(`date_from=${lastA}`)).toBe(count((ms) => ms >= a));
    expect(count((ms) => ms === a)).toBeGreaterThan(0);
    expect(await total(`date_to=${lastA}`)).toBe(count((ms) => ms < a));
    expect(await total(`date_from=${lastA}&date_to=${firstB}`)).toBe(count((ms) => ms >= a && ms < b));
    expect(await total(`date_from=${firstB}&date_to=${firstB}`)).toBe(0);
    expect(await total('')).toBe(272);
  });

  test('the filtered items are exactly those in range', async () => {
    const response = await cpo.ocpi('GET', `${LOCATIONS}?date_from=${firstB}`, partner.token);
    expect((ocpiData(response) as any[]).map((l) => l.id)).toEqual(batchB().map((c) => c.id));
    for (const location of ocpiData(response) as any[]) expect(Date.parse(location.last_updated)).toBeGreaterThanOrEqual(Date.parse(firstB));
  });

  test('a DateTime without Z, or with fractional seconds, is UTC (not the server\'s local time)', async () => {
    expect(await total(`date_from=${firstB.replace(/Z$/, '')}`)).toBe(12);
    expect(await total(`date_to=${firstB.replace(/Z$/, '')}`)).toBe(260);
    expect(await total(`date_from=${firstB.replace(/Z$/, '.000Z')}`)).toBe(12);
    expect(await total(`date_from=${firstB.replace(/Z$/, '.001Z')}`)).toBe(count((ms) => ms > Date.parse(firstB)));
  });

  test('the next links keep date_from and date_to, and the crawl stays inside the range', async () => {
    const query = `date_from=${lastA}&date_to=${firstB}`;
    const inRange = created.filter((c) => c.lastUpdated >= lastA && c.lastUpdated < firstB).map((c) => c.id);
    const wide = `date_from=2020-01-01T00:00:00Z&date_to=${firstB}`;
    const { pages, ids } = await crawl(cpo, partner.token, `${LOCATIONS}?${wide}`);
    expect(ids).toEqual(batchA().map((c) => c.id));
    for (const page of pages) {
      expect(page.total).toBe(260);
      if (page.link) {
        const params = new URL(page.link).searchParams;
        expect(params.get('date_from')).toBe('2020-01-01T00:00:00Z');
        expect(params.get('date_to')).toBe(firstB);
      }
    }
    const narrow = await crawl(cpo, partner.token, `${LOCATIONS}?${query}&limit=1`);
    expect(narrow.ids).toEqual(inRange);
  });
});

describe('a stable order while crawling', () => {
  test('a location changed between two pages keeps its place, so the crawl neither skips nor repeats', async () => {
    const order = created.map((c) => c.id);
    const firstPage = ocpiData(await cpo.ocpi('GET', `${LOCATIONS}?limit=100`, partner.token)) as any[];
    // The operator renames a location on the first page and one on the second while the eMSP crawls.
    await putLocation(cpo, 'A-010', aLocation({ name: 'Renamed during the crawl', evses: [anEvse('A-010-E1')] }));
    await putLocation(cpo, 'A-150', aLocation({ name: 'Renamed during the crawl', evses: [anEvse('A-150-E1')] }));
    const rest = await crawl(cpo, partner.token, `${LOCATIONS}?offset=100&limit=100`);
    expect([...firstPage.map((l) => l.id), ...rest.ids]).toEqual(order);
    const whole = await crawl(cpo, partner.token, LOCATIONS);
    expect(whole.ids).toEqual(order);
  });
});

