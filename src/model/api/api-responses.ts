import { t, type DocumentDecoration, type TSchema } from 'elysia';

/**
 * Response bodies the operator API shares, and OpenAPI response objects for routes whose answer the route's
 * `response` map cannot describe: the plugin renders a void schema as an invalid `content` and any string schema
 * as text/plain, so a 204 and a PDF are written out here and given as the route's `detail.responses`.
 */

/** Every operator API failure (http/error-renderer.ts): `{ error, message }`, sometimes with more fields. */
export const ApiErrorBody = t.Object(
  {
    error: t.String({ description: 'Machine-readable code: not_found, invalid_request, unauthorized, conflict, …' }),
    message: t.String(),
  },
  { title: 'ApiError', additionalProperties: true, examples: [{ error: 'not_found', message: 'No location LOC1' }] },
);

/** A TypeBox schema is a JSON schema: the OpenAPI types just do not know its TypeBox-only members. */
type SchemaObject = NonNullable<Extract<NonNullable<DocumentDecoration['requestBody']>, { content: unknown }>['content'][string]['schema']>;
type ResponseObject = { description: string; content?: Record<string, { schema: SchemaObject }> };
const asSchema = (schema: TSchema) => schema as unknown as SchemaObject;

/** A JSON response object for `detail.responses`. */
export const jsonResponse = (description: string, schema: TSchema): ResponseObject => ({
  description,
  content: { 'application/json': { schema: asSchema(schema) } },
});

/** 204 No Content. */
export const noContent = (description: string): ResponseObject => ({ description });

/** A binary body of one media type (a PDF, say). */
export const binaryResponse = (description: string, mediaType: string): ResponseObject => ({
  description,
  content: { [mediaType]: { schema: { type: 'string', format: 'binary' } } },
});

/** The answer of a DELETE that answers 204 or 404 with an {@link ApiErrorBody}. */
export const deleteResponses = (deleted: string, missing: string) => ({
  204: noContent(deleted),
  401: jsonResponse('No or an unknown API key', ApiErrorBody),
  404: jsonResponse(missing, ApiErrorBody),
});
