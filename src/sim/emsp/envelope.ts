/**
 * The OCPI 2.2.1 response envelope `{data?, status_code, status_message, timestamp}`, which every answer of the
 * simulated eMSP uses, errors included (transport and format, "Response format").
 */
import { ocpiDateTime } from '../../lib/clock.ts';

export const OcpiStatus = {
  success: 1000,
  clientError: 2000,
  invalidParameters: 2001,
  notEnoughInformation: 2002,
  unknownLocation: 2003,
  unknownToken: 2004,
  serverError: 3000,
  clientApiUnusable: 3001,
  unsupportedVersion: 3002,
  noMatchingEndpoints: 3003,
} as const;

/** Thrown by handlers to answer with an error envelope; the request pipeline turns it into the response. */
export class OcpiProblem extends Error {
  constructor(
    readonly httpStatus: number,
    readonly statusCode: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export const problems = {
  invalid: (message: string) => new OcpiProblem(400, OcpiStatus.invalidParameters, message),
  unauthorized: (message = 'Unknown or missing credentials token') => new OcpiProblem(401, OcpiStatus.clientError, message),
  notFound: (message: string, statusCode: number = OcpiStatus.clientError) => new OcpiProblem(404, statusCode, message),
  /** Credentials POST when registered, PUT/DELETE when not (OCPI 2.2.1 credentials). */
  methodNotAllowed: (message: string) => new OcpiProblem(405, OcpiStatus.clientError, message),
};

export function ok(data?: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return envelopeResponse(init.status ?? 200, OcpiStatus.success, 'Success', data, init.headers);
}

export function failure(problem: OcpiProblem): Response {
  return envelopeResponse(problem.httpStatus, problem.statusCode, problem.message, problem.data);
}

function envelopeResponse(httpStatus: number, statusCode: number, message: string, data: unknown, headers: Record<string, string> = {}) {
  const body = {
    ...(data === undefined ? {} : { data }),
    status_code: statusCode,
    status_message: message,
    timestamp: ocpiDateTime(new Date()),
  };
  return Response.json(body, { status: httpStatus, headers });
}
