import { describe, expect, test } from 'bun:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';
import type { ReceiptData } from '../../../src/domain/receipt/receipt-data.ts';
import { renderReceipt } from '../../../src/domain/receipt/receipt-pdf.ts';
import { pdfToPngs, pdfToText, pdfWordBoxes, pngSize, type WordBox } from './poppler.ts';
import { guestReceipt, stressReceipt } from './receipt-fixture.ts';

const GOLDEN = join(import.meta.dir, 'golden', 'receipt.pdf');
const inCi = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
/** `UPDATE_GOLDEN=1 bun test test/domain/receipt` rewrites the golden file; never in CI. */
const updateGolden = process.env.UPDATE_GOLDEN === '1' && !inCi;

const ascii = (bytes: Uint8Array) => new TextDecoder('latin1').decode(bytes);
const sha256 = (bytes: Uint8Array) => new Bun.CryptoHasher('sha256').update(bytes).digest('hex');
/** pdftotext output with runs of spaces (and the no-break spaces Intl uses) collapsed. */
const squash = (text: string) => text.replace(/[ \u00a0\u202f]+/g, ' ');

const guestPdf = renderReceipt(guestReceipt);

describe('receipt PDF bytes', () => {
  test('is a PDF: starts with %PDF- and ends with %%EOF', async () => {
    const pdf = await guestPdf;
    expect(ascii(pdf.subarray(0, 5))).toBe('%PDF-');
    expect(ascii(pdf.subarray(-8)).trimEnd().endsWith('%%EOF')).toBe(true);
  });

  test('the same data renders to the same bytes, twice in a row and from a deep copy', async () => {
    const first = await guestPdf;
    const second = await renderReceipt(guestReceipt);
    const copy = await renderReceipt(structuredClone(guestReceipt));
    expect(sha256(second)).toBe(sha256(first));
    expect(sha256(copy)).toBe(sha256(first));
  });

  test('the bytes do not depend on the process time zone or locale', async () => {
    const script = [
      `import { renderReceipt } from ${JSON.stringify(join(import.meta.dir, '../../../src/domain/receipt/receipt-pdf.ts'))};`,
      `import { guestReceipt } from ${JSON.stringify(join(import.meta.dir, 'receipt-fixture.ts'))};`,
      `const pdf = await renderReceipt(guestReceipt);`,
      `process.stdout.write(new Bun.CryptoHasher('sha256').update(pdf).digest('hex'));`,
    ].join('\n');
    const dir = await mkdtemp(join(tmpdir(), 'receipt-tz-'));
    try {
      const file = join(dir, 'render.ts');
      await Bun.write(file, script);
      const proc = Bun.spawn([process.execPath, file], {
        env: { ...process.env, TZ: 'Pacific/Kiritimati', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' },
        stdout: 'pipe',
        stderr: 'pipe',
      });
      const [hash, stderr, code] = await Promise.all([
        new Response(proc.stdout).text(),
        new Response(proc.stderr).text(),
        proc.exited,
      ]);
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(hash).toBe(sha256(await guestPdf));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('matches the golden file byte for byte (UPDATE_GOLDEN=1 rewrites it, except in CI)', async () => {
    const pdf = await guestPdf;
    if (updateGolden) await Bun.write(GOLDEN, pdf);
    const golden = Bun.file(GOLDEN);
    if (!(await golden.exists())) {
      throw new Error(`golden file missing: run UPDATE_GOLDEN=1 bun test test/domain/receipt to write ${GOLDEN}`);
    }
    const expected = await golden.bytes();
    if (sha256(expected) !== sha256(pdf)) {
      const actual = join(tmpdir(), 'receipt.actual.pdf');
      await Bun.write(actual, pdf);
      throw new Error(
        `receipt PDF differs from ${GOLDEN} (actual written to ${actual}); ` +
          'if the change is intended, rerun with UPDATE_GOLDEN=1 and commit the new golden file',
      );
    }
    expect(pdf.length).toBe(expected.length);
  });

  test('metadata is fixed by the data: dates from issuedAt, document ID from the receipt number', async () => {
    const pdf = await guestPdf;
    const doc = await PDFDocument.load(pdf, { updateMetadata: false });
    expect(doc.getCreationDate()?.toISOString()).toBe('2025-03-14T18:31:07.000Z');
    expect(doc.getModificationDate()?.toISOString()).toBe('2025-03-14T18:31:07.000Z');
    expect(doc.getTitle()).toBe('Receipt DYN-2025-000123');
    expect(doc.getAuthor()).toBe('Dynamo Charging');
    expect(doc.getProducer()).toStartWith('Dynamo CSMS');
    expect(doc.getPageCount()).toBe(1);
    const [width, height] = [doc.getPage(0).getWidth(), doc.getPage(0).getHeight()];
    expect([Math.round(width), Math.round(height)]).toEqual([595, 842]);

    const id = /\/ID \[ <([0-9a-f]{32})> <([0-9a-f]{32})> \]/.exec(ascii(pdf));
    expect(id).not.toBeNull();
    expect(id![1]).toBe(id![2]!);
    const otherNumber = await renderReceipt({ ...guestReceipt, receiptNumber: 'DYN-2025-000124' });
    const otherId = /\/ID \[ <([0-9a-f]{32})>/.exec(ascii(otherNumber))![1];
    expect(otherId).not.toBe(id![1]);
  });

  test('without issuedAt the session end dates the document', async () => {
    const { issuedAt: _, ...rest } = guestReceipt;
    const doc = await PDFDocument.load(await renderReceipt(rest), { updateMetadata: false });
    expect(doc.getCreationDate()?.toISOString()).toBe('2025-03-14T18:29:40.000Z');
  });

  test('rejects a session that ends before it starts, and an unknown time zone', async () => {
    const backwards = { ...guestReceipt, session: { ...guestReceipt.session, endUtc: '2025-03-14T15:00:00Z' } };
    await expect(renderReceipt(backwards)).rejects.toThrow(RangeError);
    const nowhere = { ...guestReceipt, location: { ...guestReceipt.location, timeZone: 'Mars/Olympus_Mons' } };
    await expect(renderReceipt(nowhere)).rejects.toThrow(RangeError);
  });
});

describe('receipt PDF text (pdftotext)', () => {
  test('holds the figures: operator, number, location, EVSE, local times, energy, lines, VAT, totals, payment', async () => {
    const text = squash(await pdfToText(await guestPdf, { layout: true }));
    for (const expected of [
      'Dynamo Charging',
      'www.dynamo-charging.example',
      'No. DYN-2025-000123',
      'Issued 14 Mar 2025',
      'BG*DYN*E000123*1',
      'Connector 1 · CCS (Combo 2), 150 kW',
      // 16:05Z and 18:29:40Z in Sofia (UTC+2 in March).
      'Start Fri 14 Mar 2025, 18:05 EET',
      'End Fri 14 Mar 2025, 20:29 EET',
      'Duration 2:25',
      'Energy 42.138 kWh',
      'Times are local to the charging location (Europe/Sofia).',
    ]) {
      expect(text).toContain(expected);
    }
    // One table row per tariff dimension: label, quantity, unit price, amount excl. VAT.
    expect(text).toMatch(/Energy 42\.138 kWh €0\.39 \/ kWh €16\.43\n/);
    expect(text).toMatch(/Charging time 1:45 €3\.00 \/ h €5\.25\n/);
    expect(text).toMatch(/Parking time 0:40 €6\.00 \/ h €3\.97\n/);
    expect(text).toMatch(/Session fee 1 session €1\.00 \/ session €1\.00\n/);
    expect(text).toMatch(/Total excl\. VAT €26\.65\n/);
    expect(text).toMatch(/VAT 20% €5\.33\n/);
    expect(text).toMatch(/Total incl\. VAT €31\.98\n/);
    expect(text).toMatch(/Paid with Visa •••• 4242/);
    expect(text).toMatch(/Amount €31\.98/);
    expect(text).toMatch(/Reference pi_3QxYzA2eZvKYlo2C1a2b3c4d/);
  });

  test('Cyrillic and Greek names and addresses round-trip through the embedded DejaVu Sans', async () => {
    const text = await pdfToText(await guestPdf);
    const lines = text.split('\n').map((line) => line.trim());
    for (const expected of [
      'Паркинг „Витоша“',
      'бул. Витоша 89',
      '1463 София',
      'България',
      'Λεωφόρος Κηφισίας 44',
      '151 25 Μαρούσι',
      'Ελλάδα',
      'VAT no. EL123456789',
    ]) {
      expect(lines).toContain(expected);
    }
  });

  test('every character on the page has a glyph in DejaVu Sans (no tofu boxes)', async () => {
    const regular = fontkit.create(await Bun.file(Bun.resolveSync('dejavu-fonts-ttf/ttf/DejaVuSans.ttf', import.meta.dir)).bytes());
    const bold = fontkit.create(await Bun.file(Bun.resolveSync('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf', import.meta.dir)).bytes());
    for (const data of [guestReceipt, stressReceipt]) {
      const text = await pdfToText(await renderReceipt(data));
      const missing = [...new Set(text.replace(/\s/g, ''))].filter((ch) => {
        const cp = ch.codePointAt(0)!;
        return !regular.hasGlyphForCodePoint(cp) || !bold.hasGlyphForCodePoint(cp);
      });
      expect(missing).toEqual([]);
    }
  });

  test('a zero-decimal currency, no card brand and no VAT rate print as such', async () => {
    const text = squash(await pdfToText(await renderReceipt(stressReceipt), { layout: true }));
    expect(text).toMatch(/Energy 1,234\.500 kWh JP¥55\.5 \/ kWh JP¥68,515\n/);
    expect(text).toMatch(/Charging time 26:15 JP¥1,575\n/);
    expect(text).toMatch(/Total incl\. VAT JP¥187,099\n/);
    expect(text).toMatch(/ VAT JP¥17,009\n/);
    expect(text).not.toMatch(/VAT \d+%/);
    expect(text).toContain('Paid with Card •••• 0005');
    // Sat 25 Oct 22:50Z is Sun 26 Oct 07:50 in Tokyo; the session runs over two local midnights.
    expect(text).toContain('Start Sun 26 Oct 2025, 07:50 GMT+9');
    expect(text).toContain('End Mon 27 Oct 2025, 10:05 GMT+9');
    expect(text).toContain('Duration 26:15');
  });
});

describe('receipt PDF layout', () => {
  const overlaps = (a: WordBox, b: WordBox) =>
    a.page === b.page && a.xMin < b.xMax - 0.5 && b.xMin < a.xMax - 0.5 && a.yMin < b.yMax - 0.5 && b.yMin < a.yMax - 0.5;

  for (const [name, data] of [
    ['the guest receipt', guestReceipt],
    ['a receipt with every text too long for its place', stressReceipt],
  ] as [string, ReceiptData][]) {
    test(`${name}: one A4 page, every word inside the margins, no two words overlapping`, async () => {
      const { pages, words } = await pdfWordBoxes(await renderReceipt(data));
      expect(pages).toHaveLength(1);
      expect(words.length).toBeGreaterThan(60);
      const outside = words.filter(
        (w) => w.xMin < 50 || w.xMax > pages[0]!.width - 50 || w.yMin < 50 || w.yMax > pages[0]!.height - 20,
      );
      expect(outside).toEqual([]);
      const clashes: string[] = [];
      words.forEach((a, i) => {
        for (const b of words.slice(i + 1)) if (overlaps(a, b)) clashes.push(`${a.text} × ${b.text}`);
      });
      expect(clashes).toEqual([]);
    });
  }

  test('renders with pdftoppm: one A4 page as PNG at 80 dpi', async () => {
    const pngs = await pdfToPngs(await guestPdf, 80);
    expect(pngs).toHaveLength(1);
    // A4 (595.28 × 841.89 pt) at 80 dpi, rounded up by pdftoppm.
    expect(pngSize(pngs[0]!)).toEqual({ width: 662, height: 936 });
    expect(pngs[0]!.length).toBeGreaterThan(20_000);
  });

  test('many lines continue on a second page with the table header repeated', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => ({
      dimension: 'ENERGY' as const,
      quantity: '1',
      unit: 'kWh',
      unitPriceExclVat: `0.${String(i + 10)}`,
      amountExclVat: `0.${String(i + 10)}`,
    }));
    const pdf = await renderReceipt({ ...guestReceipt, lines });
    const text = await pdfToText(pdf);
    const pageTexts = text.split('\f').filter((page) => page.trim() !== '');
    expect(pageTexts).toHaveLength(2);
    for (const page of pageTexts) {
      expect(page).toContain('Amount excl. VAT');
      expect(page).toContain('Receipt DYN-2025-000123 · page ');
    }
    expect(pageTexts[1]).toContain('Total incl. VAT');
    const { words } = await pdfWordBoxes(pdf);
    expect(words.filter((w) => w.text === '€0.49')).toHaveLength(2); // the €0.49 / kWh unit price and its amount
  });
});
