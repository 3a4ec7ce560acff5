/**
 * An OCPI failure carries both layers' codes (OCPI 2.2.1 transport_and_format, "HTTP status codes" and
 * "OCPI status codes"); the single error renderer in http/error-renderer.ts turns it into the envelope.
 */
export class OcpiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly ocpiStatus: number,
    message: string,
  ) {
    super(message);
  }
}

export const OcpiErrors = {
  unauthorized: (message = 'Missing or unknown credentials token') => new OcpiError(401, 2000, message),
  invalidParameters: (message: string) => new OcpiError(400, 2001, message),
  unknownLocation: (message: string) => new OcpiError(404, 2003, message),
} as const;
