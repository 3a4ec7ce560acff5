import { ParseError } from 'elysia';

/**
 * Elysia silently drops an unparseable JSON body when the route's body is optional (it then looks absent).
 * Broken JSON is a client error wherever it arrives (OCPI 2.2.1: invalid JSON → HTTP 400), so a JSON body is
 * checked on a copy before routing. (A parse hook would do it too, but the OpenAPI plugin then stops
 * documenting request bodies.)
 */
export async function rejectBrokenJson({ request }: { request: Request }) {
  if (request.method === 'GET' || request.method === 'HEAD' || !request.body) return;
  if (!(request.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json')) return;
  const text = await request.clone().text();
  if (text.trim() === '') return;
  try {
    JSON.parse(text);
  } catch {
    throw new ParseError();
  }
}
