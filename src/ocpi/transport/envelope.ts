import { t, type TSchema } from 'elysia';
import type { Clock } from '../../lib/clock.ts';
import { ocpiDateTime } from '../../lib/clock.ts';

/** Every OCPI response body, errors included (OCPI 2.2.1 transport_and_format, "Response format"). */
export interface OcpiEnvelope<T> {
  data?: T;
  status_code: number;
  status_message?: string;
  timestamp: string;
}

export function envelope<T>(clock: Clock, data: T | undefined, statusCode = 1000, statusMessage = 'Success'): OcpiEnvelope<T> {
  return {
    ...(data === undefined ? {} : { data }),
    status_code: statusCode,
    status_message: statusMessage,
    timestamp: ocpiDateTime(clock.now()),
  };
}

/** The envelope schema for OpenAPI, wrapping the module's `data` schema. */
export function Envelope<T extends TSchema>(data: T) {
  return t.Object({
    data: t.Optional(data),
    status_code: t.Integer(),
    status_message: t.Optional(t.String()),
    timestamp: t.String(),
  });
}

export const EmptyEnvelope = t.Object({
  status_code: t.Integer(),
  status_message: t.Optional(t.String()),
  timestamp: t.String(),
});
