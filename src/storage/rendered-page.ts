/**
 * A page of OCPI objects as they are served: each object's stored JSON, joined by commas — the inside of a JSON
 * array, which goes into an answer as it is — with how many objects it holds and how many the whole list (or
 * window) holds.
 */
export interface RenderedPage {
  json: string;
  count: number;
  total: number;
}

/** The page's objects, parsed: for readers that work on them rather than pass them on (the operator's lists). */
export function objectsOf<T>(page: RenderedPage): T[] {
  return JSON.parse(`[${page.json}]`) as T[];
}
