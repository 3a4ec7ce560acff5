/** A refusal the API renders: HTTP status, machine-readable reason, message. */
export class GuestRefusal extends Error {
  constructor(
    readonly status: 400 | 402 | 404 | 409 | 502,
    readonly reason: string,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
  }
}
