/**
 * Expected ways a credentials handshake can fail. Each protocol adapter renders them in its own terms
 * (OCPI: 405 / 2001 / 3001 / 3002 / 3003; operator API: 409 / 502).
 */
export type RegistrationFailure =
  | 'already-registered'
  | 'invalid-credentials'
  | 'not-registered'
  | 'client-api-unusable'
  | 'unsupported-version'
  | 'no-matching-endpoints';

export class RegistrationError extends Error {
  constructor(
    readonly reason: RegistrationFailure,
    message: string,
  ) {
    super(message);
  }
}
