import { ParseError } from 'elysia';

/**
 * Elysia silently drops an unparseable JSON body when the route's body is optional (it then looks absent).
 * Broken JSON is a client error wherever it arrives (OCPI 2.2.1: invalid JSON → HTTP 400), so parse it
 * ourselves; an empty body is left to Elysia (absent).
 */
export async function strictJson({ request, contentType }: { request: Request; contentType: string }) {
  if (!contentType.toLowerCase().startsWith('application/json')) return undefined;
  const text = await request.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ParseError();
  }
}
