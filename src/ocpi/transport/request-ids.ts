/**
 * X-Request-ID and X-Correlation-ID are echoed on every response, generated when the caller sent none
 * (OCPI 2.2.1 transport_and_format, "Unique message IDs"); useful on the operator API too.
 */
export function requestIdHeaders(headers: Headers): Record<string, string> {
  return {
    'x-request-id': headers.get('x-request-id') ?? crypto.randomUUID(),
    'x-correlation-id': headers.get('x-correlation-id') ?? crypto.randomUUID(),
  };
}
