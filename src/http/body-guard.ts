import { ParseError } from 'elysia';

/**
 * Limits a request body must meet before anything parses it. A JSON body nested 100,000 deep costs seconds of
 * JSON.parse and schema recursion (and gigabytes) on the one thread that also serves every station; counting
 * brackets in the raw text costs microseconds. OCPI objects we receive (tokens, commands, credentials) are small;
 * the operator API takes whole locations with their EVSEs.
 */
export interface BodyLimits {
  maxBytes: number;
  /** Nesting of arrays and objects; our deepest object (a tariff inside a CDR) is under 10. */
  maxDepth: number;
  /** Array elements and object members (commas), a bound on the work of parsing and validating. */
  maxElements: number;
}

export const OCPI_BODY_LIMITS: BodyLimits = { maxBytes: 64 * 1024, maxDepth: 32, maxElements: 5_000 };
export const API_BODY_LIMITS: BodyLimits = { maxBytes: 1024 * 1024, maxDepth: 32, maxElements: 50_000 };
/** Bun's own cap (for bodies streamed without Content-Length): the largest family limit. */
export const MAX_REQUEST_BODY_BYTES = API_BODY_LIMITS.maxBytes;

/** A body refused before parsing; the error renderer answers it (REST: this status; OCPI: 400 + 2001). */
export class BodyRefused extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}

/** Properties JavaScript calls when it turns an object into a string (a JSON body cannot hold Symbol.toPrimitive). */
const TO_PRIMITIVE = new Set(['toString', 'valueOf']);

/**
 * onRequest hook: size first (from Content-Length, then the text actually read), then a bracket count over the raw
 * text, then the parse. Elysia silently drops an unparseable JSON body where the body is optional, so broken JSON
 * is refused here (OCPI 2.2.1: invalid JSON → 400). A parse hook would avoid the second parse, but the OpenAPI
 * plugin then stops documenting request bodies; with these limits the second parse is cheap.
 */
export async function guardBody({ request }: { request: Request }) {
  if (request.method === 'GET' || request.method === 'HEAD' || !request.body) return;
  const limits = new URL(request.url).pathname.startsWith('/ocpi') ? OCPI_BODY_LIMITS : API_BODY_LIMITS;
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > limits.maxBytes) throw tooLarge(limits);
  if (!(request.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json')) return;
  const text = await request.clone().text();
  if (text.length > limits.maxBytes) throw tooLarge(limits);
  if (text.trim() === '') return;
  scanJson(text, limits);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ParseError();
  }
  const path = objectTurningIntoString(value, '');
  if (path !== undefined)
    throw new BodyRefused(400, `Invalid body: ${path || '(root)'}: Expected a plain value, found an object with its own toString/valueOf`);
}

function tooLarge(limits: BodyLimits) {
  return new BodyRefused(413, `Request body is larger than ${limits.maxBytes} bytes`);
}

/** One pass over the raw text, skipping strings: refuses deep nesting and too many elements before JSON.parse. */
function scanJson(text: string, limits: BodyLimits): void {
  let depth = 0;
  let elements = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped, whatever it is
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limits.maxDepth) throw new BodyRefused(400, `Request body is nested deeper than ${limits.maxDepth} levels`);
    } else if (c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x2c && ++elements > limits.maxElements)
      throw new BodyRefused(400, `Request body has more than ${limits.maxElements} elements`);
  }
}

/**
 * A string field given `{"toString":"x"}` makes Elysia's validation error itself throw (it formats the value into
 * its message), which would end as a 500. Such an object is never a valid field of ours, so it is refused here,
 * named by its path. The walk is bounded by the element count scanJson allowed.
 */
function objectTurningIntoString(value: unknown, path: string): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = objectTurningIntoString(value[i], `${path}/${i}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [key, member] of Object.entries(value)) {
    if (TO_PRIMITIVE.has(key)) return path;
    const found = objectTurningIntoString(member, `${path}/${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}
