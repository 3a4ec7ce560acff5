/**
 * X-Request-ID and X-Correlation-ID are echoed on every response, generated when the caller sent none
 * (OCPI 2.2.1 transport_and_format, "Unique message IDs"); useful on the operator API too.
 */
export interface RequestIds {
  'x-request-id': string;
  'x-correlation-id': string;
}

export function requestIdHeaders(headers: Headers): RequestIds {
  return {
    'x-request-id': headers.get('x-request-id') ?? crypto.randomUUID(),
    'x-correlation-id': headers.get('x-correlation-id') ?? crypto.randomUUID(),
  };
}
