/**
 * A page of OCPI objects as they are served: each object's stored JSON, joined by commas — the inside of a JSON
 * array, as UTF-8 bytes that go into an answer as they are — with how many objects it holds and how many the whole
 * list (or window) holds.
 */
export interface RenderedPage {
  json: Uint8Array;
  count: number;
  total: number;
}

const utf8 = new TextDecoder();

/** The page's objects, parsed: for readers that work on them rather than pass them on (the operator's lists). */
export function objectsOf<T>(page: RenderedPage): T[] {
  return JSON.parse(`[${utf8.decode(page.json)}]`) as T[];
}
