/**
 * Tariffs an operator stores through the operator API, as partners pull them (OCPI 2.2.1 Tariffs, Sender
 * interface: the list, which a puller takes as the complete truth): every official example comes back as
 * sent, under our identity and with our own last_updated, and the list pages like every OCPI list.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { readdirSync } from 'node:fs';
import { asOurs, example, EXAMPLES_DIR, expectFreshStamp, withoutStamps } from '../support/mothers/examples.ts';
import { aTariff, putTariff } from '../support/mothers/network.ts';
import { expectOcpiError, nextLink, ocpiData, pathOf } from '../support/mothers/ocpi.ts';
import { partnerPool, type Partner } from '../support/mothers/partners.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

const TARIFFS = '/ocpi/cpo/2.2.1/tariffs';
const partners = partnerPool();
let cpo: TestServer;
let partner: Partner;
let since: number;

beforeAll(async () => {
  since = Date.now();
  cpo = startTestServer();
  partner = await partners.registered(cpo);
});
afterAll(async () => {
  await cpo.stop();
  partners.stopAll();
  removeDir(cpo.dir);
});

/** Several examples share an id ("12", "20", "16"), so each is stored under its own: EX-<number> / EX-PUT. */
const TARIFF_EXAMPLES = readdirSync(EXAMPLES_DIR)
  .filter((name) => /^tariff_.*\.json$/.test(name))
  .sort()
  .map((name) => ({ name, id: `EX-${/^tariff_(\d+|put)_/.exec(name)![1]!.toUpperCase()}` }));

/** What we serve for an example stored under `id`: same content, our identity; last_updated is compared apart. */
const served = (fixture: any, id: string) => withoutStamps({ ...asOurs(fixture), id, country_code: 'NL', party_id: 'DYN' });

async function ocpiList(query = 'limit=100') {
  const response = await cpo.ocpi('GET', `${TARIFFS}?${query}`, partner.token);
  return { data: ocpiData(response) as any[], headers: response.headers, total: Number(response.headers.get('x-total-count')) };
}

describe('the official Tariff examples', () => {
  test('there are 18 of them (no tariff_7), tariff_put_example included', () => {
    expect(TARIFF_EXAMPLES).toHaveLength(18);
    expect(TARIFF_EXAMPLES.map((e) => e.id)).toContain('EX-PUT');
    expect(new Set(TARIFF_EXAMPLES.map((e) => e.id)).size).toBe(18);
  });

  test.each(TARIFF_EXAMPLES)('$name is stored and served back as sent (operator API and OCPI list)', async ({ name, id }) => {
    const fixture = example(name);
    const stored = await cpo.api('PUT', `/api/v1/tariffs/${id}`, { ...asOurs(fixture), id });
    expect(stored.status).toBe(201);
    expect(withoutStamps(stored.body)).toEqual(served(fixture, id));
    // Ours, not the example's (tariff_put_example has none at all: we set it).
    expectFreshStamp(stored.body.last_updated, since);

    const api = await cpo.api('GET', `/api/v1/tariffs/${id}`);
    expect(api.status).toBe(200);
    expect(api.body).toEqual(stored.body);
    const { data } = await ocpiList();
    expect(data.filter((t) => t.id === id)).toEqual([stored.body]);
  });

  test('an example PUT with its own id only (country and party left to us) works too, and a second PUT replaces it', async () => {
    const first = example('tariff_1_simple_2hour.json');
    const second = example('tariff_2_alt_text.json');
    expect(second.id).toBe(first.id);
    const created = await cpo.api('PUT', `/api/v1/tariffs/${first.id}`, asOurs(first));
    expect(created.status).toBe(201);
    expect(withoutStamps(created.body)).toEqual(served(first, '12'));
    const replaced = await cpo.api('PUT', `/api/v1/tariffs/${second.id}`, asOurs(second));
    expect(replaced.status).toBe(200);
    expect(withoutStamps(replaced.body)).toEqual(served(second, '12'));
    expect((await cpo.api('GET', '/api/v1/tariffs/12')).body).toEqual(replaced.body);
    const { data } = await ocpiList();
    expect(data.filter((t) => t.id === '12')).toEqual([replaced.body]);
  });

  test('a tariff under another party\'s country_code or party_id, or with a body id differing from the URL, is refused', async () => {
    const fixture = example('tariff_3_alt_url.json');
    for (const [body, field] of [
      [{ ...fixture, id: 'FOREIGN-1' }, 'country_code'],
      [{ ...asOurs(fixture), id: 'FOREIGN-1', party_id: 'ALL' }, 'party_id'],
      [{ ...asOurs(fixture), id: 'SOMETHING-ELSE' }, 'id'],
    ] as const) {
      const response = await cpo.api('PUT', '/api/v1/tariffs/FOREIGN-1', body);
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('invalid_request');
      expect(response.body.message).toContain(field);
    }
    expect((await cpo.api('GET', '/api/v1/tariffs/FOREIGN-1')).status).toBe(404);
  });

  test('a tariff without elements is refused naming the field, and nothing is stored', async () => {
    const response = await cpo.api('PUT', '/api/v1/tariffs/EMPTY-1', aTariff({ elements: [] }));
    expect(response.status).toBe(400);
    expect(response.body.message).toContain('elements');
    expect((await cpo.api('GET', '/api/v1/tariffs/EMPTY-1')).status).toBe(404);
    expect((await ocpiList()).data.map((t) => t.id)).not.toContain('EMPTY-1');
  });
});

describe('paging through the tariff list', () => {
  /** Every tariff id in creation order (the examples first, as stored above, then these). */
  let all: { id: string; last_updated: string }[];

  beforeAll(async () => {
    for (let n = 1; n <= 21; n++) await putTariff(cpo, `PAGE-${String(n).padStart(2, '0')}`, aTariff());
    const everything = await cpo.api('GET', '/api/v1/tariffs?limit=1000');
    all = everything.body;
    expect(all.length).toBeGreaterThan(25 + 10);
  });

  test('the default page is 25; following Link yields every tariff once, and the last page has no Link', async () => {
    const ids: string[] = [];
    let next: string | undefined = TARIFFS;
    let pages = 0;
    while (next) {
      const response = await cpo.ocpi('GET', next, partner.token);
      const data = ocpiData(response) as any[];
      pages++;
      expect(response.headers.get('x-total-count')).toBe(String(all.length));
      expect(response.headers.get('x-limit')).toBe('25');
      const link = nextLink(response.headers);
      if (link) {
        expect(data).toHaveLength(25);
        expect(link.startsWith(`${cpo.config.publicUrl}${TARIFFS}?`)).toBe(true);
      }
      ids.push(...data.map((t) => t.id));
      next = link && pathOf(link);
      if (pages > 10) throw new Error('the Link chain does not end');
    }
    expect(pages).toBe(Math.ceil(all.length / 25));
    expect(ids).toEqual(all.map((t) => t.id));
  });

  test('limit=1000 is capped at 100 (X-Limit 100); offset past the end is an empty last page', async () => {
    const capped = await ocpiList('limit=1000');
    expect(capped.headers.get('x-limit')).toBe('100');
    expect(capped.data.length).toBe(Math.min(100, all.length));
    const beyond = await ocpiList(`offset=${all.length}`);
    expect(beyond.data).toEqual([]);
    expect(beyond.total).toBe(all.length);
    expect(beyond.headers.get('link')).toBeNull();
    const partial = await ocpiList('offset=5&limit=3');
    expect(partial.data.map((t) => t.id)).toEqual(all.slice(5, 8).map((t) => t.id));
    expect(Object.fromEntries(new URL(nextLink(partial.headers)!).searchParams)).toEqual({ offset: '8', limit: '3' });
  });

  test('date_from is inclusive and date_to exclusive on last_updated, and the Link keeps them', async () => {
    const latest = all.map((t) => t.last_updated).sort().at(-1)!;
    const atLatest = all.filter((t) => t.last_updated === latest).length;
    expect((await ocpiList(`date_from=${latest}`)).total).toBe(atLatest);
    expect((await ocpiList(`date_to=${latest}`)).total).toBe(all.length - atLatest);
    const filtered = await cpo.ocpi('GET', `${TARIFFS}?date_from=2020-01-01T00:00:00Z&date_to=2999-01-01T00:00:00Z&limit=2`, partner.token);
    expect(filtered.headers.get('x-total-count')).toBe(String(all.length));
    const params = new URL(nextLink(filtered.headers)!).searchParams;
    expect(Object.fromEntries(params)).toEqual({ date_from: '2020-01-01T00:00:00Z', date_to: '2999-01-01T00:00:00Z', offset: '2', limit: '2' });
  });

  test.each(['limit=abc', 'limit=0', 'offset=-1', `date_from=${encodeURIComponent('2024-01-01T00:00:00+01:00')}`])(
    '%s is HTTP 400 with OCPI 2001',
    async (query) => {
      expectOcpiError(await cpo.ocpi('GET', `${TARIFFS}?${query}`, partner.token), 400, 2001);
    },
  );

  test('a deleted tariff leaves the list and the count', async () => {
    const before = await ocpiList('limit=100');
    expect((await cpo.api('DELETE', '/api/v1/tariffs/PAGE-21')).status).toBe(204);
    expect((await cpo.api('GET', '/api/v1/tariffs/PAGE-21')).status).toBe(404);
    const after = await ocpiList('limit=100');
    expect(after.total).toBe(before.total - 1);
    expect(after.data.map((t) => t.id)).toEqual(before.data.map((t) => t.id).filter((id) => id !== 'PAGE-21'));
  });
});
