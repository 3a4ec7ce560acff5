/** The receipt's text styles, and the muted key / value row that the details and the payment share. */
import { Canvas, MUTED, type TextStyle } from './receipt-layout.ts';

export const TITLE: TextStyle = { size: 18, bold: true };
export const LABEL: TextStyle = { size: 7.5, bold: true, color: MUTED };
export const BODY: TextStyle = { size: 10 };
export const BODY_BOLD: TextStyle = { size: 10, bold: true };
export const KEY: TextStyle = { size: 9, color: MUTED };
export const SMALL: TextStyle = { size: 8.5, color: MUTED };

export const KEY_WIDTH = 64;
export const KEY_VALUE_GAP = 2;

/** A muted key and its (wrapped) value beside it; returns the height used. */
export function keyValue(c: Canvas, x: number, top: number, width: number, key: string, value: string, style: TextStyle = BODY): number {
  // Baselines aligned: the key is smaller than the value, so it starts lower by the size difference.
  c.text(key, x, top - style.size, KEY);
  return c.paragraph(value, x + KEY_WIDTH, top, width - KEY_WIDTH, style) + KEY_VALUE_GAP;
}
