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
import type { ReceiptAddress, ReceiptData, ReceiptLine } from './receipt-data.ts';
import {
  dimensionLabel,
  formatCard,
  formatDuration,
  formatEnergy,
  formatLocalDate,
  formatLocalDateTime,
  formatMoney,
  formatPercent,
  formatQuantity,
  formatUnitPrice,
} from './receipt-format.ts';
import {
  ACCENT,
  Canvas,
  CONTENT_WIDTH,
  fitText,
  type Fonts,
  LEFT,
  leading,
  MARGIN_BOTTOM,
  MUTED,
  PAGE_WIDTH,
  RIGHT,
  SHADE,
  type TextStyle,
} from './receipt-layout.ts';

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

const TITLE: TextStyle = { size: 18, bold: true };
const LABEL: TextStyle = { size: 7.5, bold: true, color: MUTED };
const BODY: TextStyle = { size: 10 };
const BODY_BOLD: TextStyle = { size: 10, bold: true };
const KEY: TextStyle = { size: 9, color: MUTED };
const SMALL: TextStyle = { size: 8.5, color: MUTED };

function addressLines(address: ReceiptAddress): string[] {
  const cityLine = [address.postalCode, address.city].filter(Boolean).join(' ');
  return [address.street, address.state ? `${cityLine}, ${address.state}` : cityLine, address.country].filter(
    (line) => line.trim() !== '',
  );
}

/** Operator on the left, "Receipt" with number and date on the right, a rule below. */
function drawHeader(c: Canvas, data: ReceiptData): void {
  const top = c.y;
  const rightWidth = 200;
  const leftWidth = CONTENT_WIDTH - rightWidth - 24;

  let left = c.paragraph(data.operator.name, LEFT, top, leftWidth, TITLE);
  left += 2;
  left += c.paragraph(data.operator.website, LEFT, top - left, leftWidth, { size: 10, color: ACCENT });
  const companyLines = [
    ...(data.operator.address ? addressLines(data.operator.address) : []),
    ...(data.operator.vatNumber ? [`VAT no. ${data.operator.vatNumber}`] : []),
  ];
  if (companyLines.length > 0) left += 4;
  for (const line of companyLines) left += c.paragraph(line, LEFT, top - left, leftWidth, SMALL);

  const rx = RIGHT - rightWidth;
  let right = c.paragraph('Receipt', rx, top, rightWidth, { ...TITLE, color: ACCENT }, 'right');
  right += 2;
  right += c.paragraph(`No. ${data.receiptNumber}`, rx, top - right, rightWidth, BODY_BOLD, 'right');
  const issued = formatLocalDate(data.issuedAt ?? data.session.endUtc, data.location.timeZone);
  right += c.paragraph(`Issued ${issued}`, rx, top - right, rightWidth, { size: 9, color: MUTED }, 'right');

  c.y = top - Math.max(left, right) - 14;
  c.rule(c.y, LEFT, RIGHT, 1.2, ACCENT);
  c.y -= 20;
}

/** Where (location, EVSE, connector) and when/how much (times, duration, energy), in two columns. */
function drawDetails(c: Canvas, data: ReceiptData): void {
  const gap = 28;
  const colWidth = (CONTENT_WIDTH - gap) / 2;
  const top = c.y;

  let left = c.paragraph('CHARGING LOCATION', LEFT, top, colWidth, LABEL) + 4;
  left += c.paragraph(data.location.name, LEFT, top - left, colWidth, { size: 11, bold: true }) + 1;
  for (const line of addressLines(data.location.address)) left += c.paragraph(line, LEFT, top - left, colWidth, BODY);
  left += 10;
  left += c.paragraph('CHARGE POINT', LEFT, top - left, colWidth, LABEL) + 4;
  left += keyValue(c, LEFT, top - left, colWidth, 'EVSE', data.evse.evseId);
  const connector = data.evse.connectorDescription
    ? `${data.evse.connectorId} · ${data.evse.connectorDescription}`
    : data.evse.connectorId;
  left += keyValue(c, LEFT, top - left, colWidth, 'Connector', connector);

  const rx = LEFT + colWidth + gap;
  const { timeZone } = data.location;
  let right = c.paragraph('CHARGING SESSION', rx, top, colWidth, LABEL) + 4;
  right += keyValue(c, rx, top - right, colWidth, 'Start', formatLocalDateTime(data.session.startUtc, timeZone));
  right += keyValue(c, rx, top - right, colWidth, 'End', formatLocalDateTime(data.session.endUtc, timeZone));
  right += keyValue(c, rx, top - right, colWidth, 'Duration', formatDuration(data.session.startUtc, data.session.endUtc));
  right += keyValue(c, rx, top - right, colWidth, 'Energy', formatEnergy(data.session.energyKwh), BODY_BOLD);

  c.y = top - Math.max(left, right) - 22;
}

const KEY_WIDTH = 64;

/** A muted key and its (wrapped) value beside it; returns the height used. */
function keyValue(c: Canvas, x: number, top: number, width: number, key: string, value: string, style: TextStyle = BODY): number {
  // Baselines aligned: the key is smaller than the value, so it starts lower by the size difference.
  c.text(key, x, top - style.size, KEY);
  return c.paragraph(value, x + KEY_WIDTH, top, width - KEY_WIDTH, style) + KEY_VALUE_GAP;
}

const COLUMNS = {
  description: LEFT + 8,
  quantity: LEFT + 250,
  unitPrice: LEFT + 360,
  amount: RIGHT - 8,
};
/** The most a cell may take, so neighbouring cells never touch (a too-long value ends in "…"). */
const CELL_WIDTHS = {
  description: 135,
  quantity: COLUMNS.quantity - COLUMNS.description - 135 - 10,
  unitPrice: COLUMNS.unitPrice - COLUMNS.quantity - 10,
  amount: COLUMNS.amount - COLUMNS.unitPrice - 10,
};
const ROW_HEIGHT = 24;
const HEADER_HEIGHT = 22;

function drawTableHeader(c: Canvas): void {
  c.box(LEFT, c.y - HEADER_HEIGHT, CONTENT_WIDTH, HEADER_HEIGHT, SHADE);
  const baseline = c.y - HEADER_HEIGHT / 2 - 3;
  const style: TextStyle = { size: 8.5, bold: true, color: MUTED };
  c.text('Description', COLUMNS.description, baseline, style);
  c.text('Quantity', COLUMNS.quantity, baseline, style, 'right');
  c.text('Unit price', COLUMNS.unitPrice, baseline, style, 'right');
  c.text('Amount excl. VAT', COLUMNS.amount, baseline, style, 'right');
  c.y -= HEADER_HEIGHT;
}

/** The price per tariff dimension, excl. VAT. */
function drawLines(c: Canvas, data: ReceiptData): void {
  c.ensure(HEADER_HEIGHT + ROW_HEIGHT);
  drawTableHeader(c);
  const rows: ReceiptLine[] = data.lines;
  if (rows.length === 0) {
    const baseline = c.y - ROW_HEIGHT / 2 - 3.5;
    c.text('No charges', COLUMNS.description, baseline, { size: 10, color: MUTED });
    c.y -= ROW_HEIGHT;
    c.rule(c.y);
  }
  for (const line of rows) {
    if (c.y - ROW_HEIGHT < MARGIN_BOTTOM) {
      c.ensure(HEADER_HEIGHT + ROW_HEIGHT);
      drawTableHeader(c);
    }
    const baseline = c.y - ROW_HEIGHT / 2 - 3.5;
    const quantity = formatQuantity(line.quantity, line.unit);
    const unitPrice =
      line.unitPriceExclVat === undefined ? '' : formatUnitPrice(line.unitPriceExclVat, line.unit, data.currency);
    const unitStyle: TextStyle = { size: 9.5, color: MUTED };
    const fit = (text: string, style: TextStyle, width: number) => fitText(text, c.font(style), style.size, width);
    const amount = formatMoney(line.amountExclVat, data.currency);
    c.text(fit(dimensionLabel(line.dimension), BODY, CELL_WIDTHS.description), COLUMNS.description, baseline, BODY);
    c.text(fit(quantity, BODY, CELL_WIDTHS.quantity), COLUMNS.quantity, baseline, BODY, 'right');
    c.text(fit(unitPrice, unitStyle, CELL_WIDTHS.unitPrice), COLUMNS.unitPrice, baseline, unitStyle, 'right');
    c.text(fit(amount, BODY, CELL_WIDTHS.amount), COLUMNS.amount, baseline, BODY, 'right');
    c.y -= ROW_HEIGHT;
    c.rule(c.y);
  }
  c.y -= 16;
}

const TOTALS_WIDTH = 230;
const KEY_VALUE_GAP = 2;

/** Payment on the left, totals on the right, side by side under the table. */
function drawSummary(c: Canvas, data: ReceiptData): void {
  const paymentWidth = CONTENT_WIDTH - TOTALS_WIDTH - 24;
  const payment = paymentRows(data);
  const paymentHeight =
    c.measure('PAYMENT', paymentWidth, LABEL) +
    4 +
    payment.reduce((h, [, value]) => h + c.measure(value, paymentWidth - KEY_WIDTH, BODY) + KEY_VALUE_GAP, 0);
  c.ensure(Math.max(paymentHeight, TOTALS_HEIGHT));
  const top = c.y;
  drawPayment(c, top, paymentWidth, payment);
  drawTotals(c, top, data);
  c.y = top - Math.max(paymentHeight, TOTALS_HEIGHT);
}

const TOTALS_HEIGHT = 2 * (leading(10) + 3) + 10 + leading(13);

/** Total excl. VAT, VAT, total incl. VAT, right-aligned under the amount column. */
function drawTotals(c: Canvas, top: number, data: ReceiptData): void {
  const { totals, currency } = data;
  const labelX = RIGHT - TOTALS_WIDTH;
  let y = top;
  const row = (label: string, amount: string, style: TextStyle, height: number) => {
    const baseline = y - style.size;
    c.text(label, labelX + 8, baseline, style);
    c.text(amount, COLUMNS.amount, baseline, style, 'right');
    y -= height;
  };
  row('Total excl. VAT', formatMoney(totals.exclVat, currency), BODY, leading(10) + 3);
  const vatLabel = data.vatRatePercent === undefined ? 'VAT' : `VAT ${formatPercent(data.vatRatePercent)}`;
  row(vatLabel, formatMoney(totals.vat, currency), BODY, leading(10) + 3);
  y -= 2;
  c.rule(y, labelX, RIGHT, 1, ACCENT);
  y -= 8;
  row('Total incl. VAT', formatMoney(totals.inclVat, currency), { size: 13, bold: true }, leading(13));
}

/** How it was paid: card brand and last four digits (when known) and the capture reference. */
function paymentRows(data: ReceiptData): [string, string][] {
  const { payment } = data;
  return [
    ['Paid with', formatCard(payment.brand, payment.last4) ?? 'Card'],
    ['Amount', formatMoney(data.totals.inclVat, data.currency)],
    ['Reference', payment.reference],
  ];
}

function drawPayment(c: Canvas, top: number, width: number, rows: [string, string][]): void {
  let used = c.paragraph('PAYMENT', LEFT, top, width, LABEL) + 4;
  for (const [key, value] of rows) used += keyValue(c, LEFT, top - used, width, key, value);
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
