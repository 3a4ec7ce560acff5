/**
 * The receipt of a guest (card-paid) charging session as an A4 PDF, drawn with pdf-lib.
 *
 * Pure: no clock, no randomness, no I/O beyond reading the DejaVu Sans TTFs once (then cached). The same
 * ReceiptData gives the same bytes, so a golden file can hold the output:
 *  - the document is created with `updateMetadata: false` (pdf-lib would otherwise stamp `new Date()` into
 *    CreationDate/ModDate), and every Info entry is set from the data, dates from `issuedAt` (or the session end);
 *  - the trailer /ID is derived from the receipt number (pdf-lib writes none by default; readers and PDF/A like
 *    one, and it must not be random);
 *  - pdf-lib's font subset tags come from its per-document RNG, which is seeded with a constant;
 *  - `save({ useObjectStreams: false })` writes a classic xref table: larger by a few hundred bytes, but readable
 *    by every PDF consumer and easy to diff.
 * The fonts are embedded as subsets (only the glyphs used), because Helvetica & co. are WinAnsi only and
 * could not print Greek or Cyrillic names and addresses.
 */
import { createHash } from 'node:crypto';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, PDFHexString, type PDFFont } from 'pdf-lib';
import { drawLines, drawSummary } from './receipt-charges.ts';
import type { ReceiptData } from './receipt-data.ts';
import { drawDetails, drawHeader } from './receipt-header.ts';
import { Canvas, CONTENT_WIDTH, fitText, type Fonts, leading, MARGIN_BOTTOM, MUTED, PAGE_WIDTH } from './receipt-layout.ts';

const FONT_FILES = {
  regular: 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
  bold: 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
} as const;

interface FontBytes {
  regular: Uint8Array;
  bold: Uint8Array;
}

let fontBytes: Promise<FontBytes> | undefined;

/** Reads the two TTFs once per process; a failed read is not cached, so the next render tries again. */
function loadFontBytes(): Promise<FontBytes> {
  fontBytes ??= (async () => {
    const read = (file: string) => Bun.file(Bun.resolveSync(file, import.meta.dir)).bytes();
    const [regular, bold] = await Promise.all([read(FONT_FILES.regular), read(FONT_FILES.bold)]);
    return { regular, bold };
  })().catch((error: unknown) => {
    fontBytes = undefined;
    throw error;
  });
  return fontBytes;
}

const PRODUCER = 'Dynamo CSMS (pdf-lib 1.17.1)';

/** Renders the receipt; the same data always gives the same bytes. */
export async function renderReceipt(data: ReceiptData): Promise<Uint8Array> {
  const bytes = await loadFontBytes();
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  // Ligatures off: a "fi" glyph would come back from text extraction (and copy-paste) as something else.
  const embed = (font: Uint8Array) => doc.embedFont(font, { subset: true, features: { liga: false } });
  const fonts: Fonts = { regular: await embed(bytes.regular), bold: await embed(bytes.bold) };

  setMetadata(doc, data);
  const canvas = new Canvas(doc, fonts);
  drawHeader(canvas, data);
  drawDetails(canvas, data);
  drawLines(canvas, data);
  drawSummary(canvas, data);
  drawFooters(doc, fonts, data);

  return doc.save({ useObjectStreams: false });
}

function setMetadata(doc: PDFDocument, data: ReceiptData): void {
  const issued = new Date(data.issuedAt ?? data.session.endUtc);
  if (Number.isNaN(issued.getTime())) throw new RangeError(`not an ISO instant: ${data.issuedAt ?? data.session.endUtc}`);
  doc.setTitle(`Receipt ${data.receiptNumber}`);
  doc.setAuthor(data.operator.name);
  doc.setSubject(`Charging session at ${data.location.name}`);
  doc.setCreator('Dynamo CSMS');
  doc.setProducer(PRODUCER);
  doc.setLanguage('en');
  doc.setCreationDate(issued);
  doc.setModificationDate(issued);
  const id = createHash('sha256').update(`dynamo-csms receipt\n${data.receiptNumber}`).digest('hex').slice(0, 32);
  // Both halves equal: the "original" and "this version" identifiers of a document written once.
  doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of(id), PDFHexString.of(id)]);
}

/** A small line at the bottom of every page: the time zone the times are in, and a thank-you. */
function drawFooters(doc: PDFDocument, fonts: Fonts, data: ReceiptData): void {
  const pages = doc.getPages();
  const font: PDFFont = fonts.regular;
  const size = 8;
  const lines = [
    `Times are local to the charging location (${data.location.timeZone}).`,
    `Thank you for charging with ${data.operator.name} · ${data.operator.website}`,
  ];
  pages.forEach((page, index) => {
    const all = pages.length > 1 ? [...lines, `Receipt ${data.receiptNumber} · page ${index + 1} of ${pages.length}`] : lines;
    all.forEach((text, i) => {
      const shown = fitText(text, font, size, CONTENT_WIDTH);
      const y = MARGIN_BOTTOM - 26 - i * leading(size);
      page.drawText(shown, { x: PAGE_WIDTH / 2 - font.widthOfTextAtSize(shown, size) / 2, y, size, font, color: MUTED });
    });
  });
}
