/**
 * Text placement on a pdf-lib page: a cursor that moves down the page, left/right-aligned text, word wrapping
 * that measures with the embedded font, rules and filled boxes. Coordinates are PDF points from the bottom-left
 * corner; `y` passed around here is a baseline.
 */
import { rgb, type PDFDocument, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';

/** A4 in points. */
export const PAGE_WIDTH = 595.28;
export const PAGE_HEIGHT = 841.89;
export const MARGIN_X = 56;
export const MARGIN_TOP = 56;
export const MARGIN_BOTTOM = 64;
export const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X;
export const LEFT = MARGIN_X;
export const RIGHT = PAGE_WIDTH - MARGIN_X;

export const INK = rgb(0.1, 0.1, 0.12);
export const MUTED = rgb(0.42, 0.44, 0.48);
export const RULE = rgb(0.8, 0.81, 0.84);
export const SHADE = rgb(0.95, 0.96, 0.97);
export const ACCENT = rgb(0.06, 0.39, 0.55);

export interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

export interface TextStyle {
  size: number;
  bold?: boolean;
  color?: RGB;
}

/** Line height for a font size. */
export const leading = (size: number) => size * 1.35;

/**
 * Breaks text into lines no wider than `maxWidth`: at spaces where it can, inside a word only when the word alone
 * is too wide (a long reference or e-mail address). Explicit newlines are kept.
 */
export function wrapText(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const width = (s: string) => font.widthOfTextAtSize(s, size);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/ +/).filter((w) => w !== '')) {
      const candidate = line ? `${line} ${word}` : word;
      if (width(candidate) <= maxWidth) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      line = '';
      let rest = word;
      // A word wider than the line on its own: cut it where it fills the line.
      while (width(rest) > maxWidth) {
        const chars = Array.from(rest);
        let cut = 1;
        while (cut < chars.length && width(chars.slice(0, cut + 1).join('')) <= maxWidth) cut++;
        lines.push(chars.slice(0, cut).join(''));
        rest = chars.slice(cut).join('');
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}

/** Shortens text with an ellipsis until it fits `maxWidth` (for single-line table cells). */
export function fitText(text: string, font: PDFFont, size: number, maxWidth: number): string {
  if (font.widthOfTextAtSize(text, size) <= maxWidth) return text;
  const chars = Array.from(text);
  while (chars.length > 0 && font.widthOfTextAtSize(`${chars.join('')}…`, size) > maxWidth) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}

/** A page sequence with a cursor; `ensure` starts a new page when the next block would run into the bottom margin. */
export class Canvas {
  page: PDFPage;
  /** The top of the free space on the current page. */
  y: number;

  constructor(
    private readonly doc: PDFDocument,
    readonly fonts: Fonts,
  ) {
    this.page = doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
    this.y = PAGE_HEIGHT - MARGIN_TOP;
  }

  font(style: TextStyle): PDFFont {
    return style.bold ? this.fonts.bold : this.fonts.regular;
  }

  width(text: string, style: TextStyle): number {
    return this.font(style).widthOfTextAtSize(text, style.size);
  }

  /** Makes sure `height` points are free below the cursor, else continues on a new page. */
  ensure(height: number): void {
    if (this.y - height >= MARGIN_BOTTOM) return;
    this.page = this.doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
    this.y = PAGE_HEIGHT - MARGIN_TOP;
  }

  /** Draws one line of text with its baseline at `y`, left-aligned at `x` or right-aligned to `x`. */
  text(text: string, x: number, y: number, style: TextStyle, align: 'left' | 'right' | 'center' = 'left'): void {
    if (text === '') return;
    const font = this.font(style);
    const w = font.widthOfTextAtSize(text, style.size);
    const left = align === 'right' ? x - w : align === 'center' ? x - w / 2 : x;
    this.page.drawText(text, { x: left, y, size: style.size, font, color: style.color ?? INK });
  }

  /**
   * Draws wrapped text in a box whose top is `top`, left edge `x`, `maxWidth` wide; returns the height used.
   * Does not move the cursor (columns are laid out side by side).
   */
  paragraph(text: string, x: number, top: number, maxWidth: number, style: TextStyle, align: 'left' | 'right' = 'left'): number {
    const lines = wrapText(text, this.font(style), style.size, maxWidth);
    const lineHeight = leading(style.size);
    lines.forEach((line, i) => {
      // The first baseline sits one ascent (≈ size) below the top.
      this.text(line, align === 'right' ? x + maxWidth : x, top - style.size - i * lineHeight, style, align);
    });
    return lines.length * lineHeight;
  }

  /** The height `paragraph` would use for this text. */
  measure(text: string, maxWidth: number, style: TextStyle): number {
    return wrapText(text, this.font(style), style.size, maxWidth).length * leading(style.size);
  }

  rule(y: number, from = LEFT, to = RIGHT, thickness = 0.6, color: RGB = RULE): void {
    this.page.drawLine({ start: { x: from, y }, end: { x: to, y }, thickness, color });
  }

  box(x: number, y: number, width: number, height: number, color: RGB): void {
    this.page.drawRectangle({ x, y, width, height, color });
  }
}
