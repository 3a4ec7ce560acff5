/** The top of the receipt: who issued it (operator, number, date), then where and when the charging took place. */
import type { ReceiptAddress, ReceiptData } from './receipt-data.ts';
import { formatDuration, formatEnergy, formatLocalDate, formatLocalDateTime } from './receipt-format.ts';
import { ACCENT, Canvas, CONTENT_WIDTH, LEFT, MUTED, RIGHT } from './receipt-layout.ts';
import { BODY, BODY_BOLD, keyValue, LABEL, SMALL, TITLE } from './receipt-styles.ts';

function addressLines(address: ReceiptAddress): string[] {
  const cityLine = [address.postalCode, address.city].filter(Boolean).join(' ');
  return [address.street, address.state ? `${cityLine}, ${address.state}` : cityLine, address.country].filter(
    (line) => line.trim() !== '',
  );
}

/** Operator on the left, "Receipt" with number and date on the right, a rule below. */
export function drawHeader(c: Canvas, data: ReceiptData): void {
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
export function drawDetails(c: Canvas, data: ReceiptData): void {
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
