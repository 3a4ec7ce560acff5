/**
 * `bun dev` as a developer meets it: src/dev.ts spawned with its simulation (stations, the simulated eMSP,
 * drivers) on a temporary database, and /dev opened in headless Chromium (Debian's, playwright-core) at
 * 1,400 px. What the page shows comes through the same /dev/events stream the browser reads: the eMSP panel's
 * CDR figures, newest first, every time on the simulated clock, and no table wider than its panel.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { DevSnapshot } from '../../src/dev/page/dev-snapshot.ts';
import type { DevEmspView } from '../../src/dev/page/emsp-view.ts';
import { eventually } from '../support/eventually.ts';
import { removeDir } from '../support/server.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(import.meta.dir, '..', '.artifacts');
const ROOT = join(import.meta.dir, '../..');
const KEY = 'dev-admin-key-change-me-0000000000';

let dir: string;
let dev: ReturnType<typeof Bun.spawn>;
let url: string;
let browser: Browser | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dynamo-dev-'));
  // A port that was free a moment ago (dev.ts prints its URL but reads PORT like the server does).
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() });
  const port = probe.port;
  await probe.stop(true);
  url = `http://127.0.0.1:${port}`;
  dev = Bun.spawn(['bun', 'src/dev.ts', '--stations', '4', '--factor', '600', '--arrival-rate', '60', '--seed', '2'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, DATABASE_PATH: join(dir, 'dev.sqlite') },
    stdout: 'ignore',
    stderr: 'pipe',
  });
});

afterAll(async () => {
  await browser?.close();
  dev?.kill('SIGTERM');
  await dev?.exited;
  if (dir) removeDir(dir);
});

const snapshot = async () => (await (await fetch(`${url}/dev/snapshot`)).json()) as DevSnapshot;

test(
  'the eMSP panel shows CDR figures newest first, times on the simulated clock, nothing clipped at 1,400 px',
  async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set CHROMIUM_PATH.`);
    // The simulated eMSP has received a few CDRs (×600: an hour of charging takes six seconds).
    await eventually(async () => expect(((await snapshot()).emsp as DevEmspView | null)?.cdr_count ?? 0).toBeGreaterThanOrEqual(3), 60_000, 250);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'en-GB', timezoneId: 'Europe/London' });
    await page.goto(`${url}/dev`);
    await page.waitForSelector('[data-emsp-cdr-id]', { timeout: 10_000 });

    const rows = await page.locator('[data-emsp-cdr-id]').evaluateAll((trs) =>
      trs.map((tr) => ({ id: tr.getAttribute('data-emsp-cdr-id')!, cells: [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()) })),
    );
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const { cells } of rows) {
      const [, energy, total, ended] = cells;
      expect(energy).toMatch(/^\d[\d.,]* kWh$/);
      expect(total).toMatch(/^€\d+\.\d\d$/); // the simulated network charges in euros
      expect(ended).toMatch(/\d\d:\d\d:\d\d$/);
    }
    // Newest first: the CSMS lists its CDRs oldest first, and the eMSP gets them in that order.
    const ours = ((await (await fetch(`${url}/api/v1/cdrs?limit=1000`, { headers: { authorization: `Bearer ${KEY}` } })).json()) as { id: string }[]).map((c) => c.id);
    const order = rows.map((r) => ours.indexOf(r.id));
    expect(order).not.toContain(-1);
    expect(order).toEqual([...order].sort((a, b) => b - a));

    // One clock: the footer says the times are simulated, at the run's factor.
    expect(await page.locator('#updated').textContent()).toContain('simulated time (×600');

    // Every table fits its panel: no column pushed out of sight behind a scroll bar.
    const overflowing = await page.locator('.table-wrap').evaluateAll((wraps) =>
      wraps.filter((w) => w.scrollWidth > w.clientWidth + 1).map((w) => `${w.closest('section')?.id}: ${w.scrollWidth} > ${w.clientWidth}`),
    );
    expect(overflowing).toEqual([]);
    // Nor is any text cut short with an ellipsis: addresses, delivery objects, tile lines all show in full.
    const cut = await page.locator('td, .location-head > *, .tile .uid, .tile .meta').evaluateAll((els) =>
      els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent),
    );
    expect(cut).toEqual([]);
    // The EVSE ids on the tiles are the CPO's (bun dev: GB/GWY), not the simulated eMSP's.
    const evseIds = (await snapshot()).locations.flatMap((l) => l.evses.map((e) => e.evse_id));
    expect(evseIds.length).toBeGreaterThan(0);
    for (const id of evseIds) expect(id).toMatch(/^GB\*GWY\*E\d+$/);
    expect(await page.locator('.tile .meta').allTextContents()).toContainEqual(expect.stringContaining('GB*GWY*E'));

    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'dev-page-1400.png');
    await page.screenshot({ path: file, fullPage: true });
    copyFileSync(file, '/tmp/dev-page-1400.png');
  },
  90_000,
);
