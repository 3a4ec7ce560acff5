/** What was charged and how it was paid: the table of priced dimensions, then payment and totals side by side. */
import type { ReceiptData, ReceiptLine } from './receipt-data.ts';
import { dimensionLabel, formatCard, formatMoney, formatPercent, formatQuantity, formatUnitPrice } from './receipt-format.ts';
import { ACCENT, Canvas, CONTENT_WIDTH, fitText, LEFT, leading, MARGIN_BOTTOM, MUTED, RIGHT, SHADE, type TextStyle } from './receipt-layout.ts';
import { BODY, KEY_VALUE_GAP, KEY_WIDTH, keyValue, LABEL } from './receipt-styles.ts';

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
export function drawLines(c: Canvas, data: ReceiptData): void {
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

/** Payment on the left, totals on the right, side by side under the table. */
export function drawSummary(c: Canvas, data: ReceiptData): void {
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
