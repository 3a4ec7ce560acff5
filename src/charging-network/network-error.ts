/**
 * Expected failures of reads and changes to our network and the tokens partners push. The error renderer
 * (src/http/error-renderer.ts) shows them per protocol: OCPI 2001 / 2003 / 2004 / 403, REST 400 / 403 / 404 / 409.
 */
export class NetworkError extends Error {
  constructor(
    readonly kind: 'invalid' | 'not-found' | 'conflict' | 'forbidden',
    message: string,
    /** What was not found, so OCPI can say "unknown location" (2003) or "unknown token" (2004). */
    readonly subject: 'location' | 'token' | 'other' = 'other',
  ) {
    super(message);
  }
}
