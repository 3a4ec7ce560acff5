import { t, type TSchema } from 'elysia';
import { Type } from '@sinclair/typebox';
import type { Clock } from '../../lib/clock.ts';
import { ocpiDateTime } from '../../lib/clock.ts';
import { OcpiErrors } from './ocpi-error.ts';

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

/**
 * The envelope of a list whose objects come rendered from storage (`json`: their JSON joined by commas): the same
 * bytes `envelope` gives once Elysia has written it, with the objects put in as they are, not parsed and written
 * again.
 */
export function renderedListEnvelope(clock: Clock, json: string): { body: string; timestamp: string } {
  const timestamp = ocpiDateTime(clock.now());
  return { body: `{"data":[${json}],"status_code":1000,"status_message":"Success","timestamp":"${timestamp}"}`, timestamp };
}

/** A timestamp for documentation examples (the one of the spec's transport_and_format examples). */
const EXAMPLE_TIMESTAMP = '2015-06-30T21:59:59Z';

/** The first example of a schema, or of an array's items as a one-element array; undefined when there is none. */
function exampleOf(schema: TSchema): unknown {
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.type === 'array' && schema.items) {
    const item = exampleOf(schema.items as TSchema);
    return item === undefined ? undefined : [item];
  }
  return undefined;
}

/** The envelope schema for OpenAPI, wrapping the module's `data` schema; its example wraps the data's example. */
export function Envelope<T extends TSchema>(data: T) {
  const example = exampleOf(data);
  return t.Object(
    {
      data: t.Optional(data),
      status_code: Type.Integer(),
      status_message: t.Optional(t.String()),
      timestamp: t.String(),
    },
    example === undefined ? {} : { examples: [{ data: example, status_code: 1000, status_message: 'Success', timestamp: EXAMPLE_TIMESTAMP }] },
  );
}

const envelopeFields = {
  status_code: Type.Integer(),
  status_message: t.Optional(t.String()),
  timestamp: t.String(),
};

export const EmptyEnvelope = t.Object(envelopeFields, {
  examples: [{ status_code: 1000, status_message: 'Success', timestamp: EXAMPLE_TIMESTAMP }],
});

/**
 * An OCPI error answer as the error renderer writes it (http/error-renderer.ts): the envelope without `data`.
 * One schema; each documented case below differs only in its description and example.
 */
function ErrorEnvelope(description: string, examples: { status_code: number; status_message: string }[]) {
  return t.Object(
    {
      status_code: Type.Integer({
        minimum: 2000,
        maximum: 2999,
        description: '2000 generic client error, 2001 invalid or missing parameters, 2003 unknown location/EVSE/connector/session, 2004 unknown token',
      }),
      status_message: t.String(),
      timestamp: t.String(),
    },
    { title: 'OcpiErrorEnvelope', description, examples: examples.map((e) => ({ ...e, timestamp: EXAMPLE_TIMESTAMP })) },
  );
}

/** The OCPI error envelopes of our routes, by case (OCPI 2.2.1 transport_and_format, status codes). */
export const OcpiErrorResponses = {
  /** HTTP 401 + 2000: no Authorization header, an unknown token, or a token A on a functional module. */
  unauthorized: ErrorEnvelope('HTTP 401, status_code 2000: missing or unknown credentials token (or a registration token on a functional module)', [
    { status_code: 2000, status_message: OcpiErrors.unauthorized().message },
  ]),
  /** HTTP 400 + 2001: a body, parameter or routing header that does not meet the spec. */
  invalidParameters: ErrorEnvelope('HTTP 400, status_code 2001: invalid or missing parameters (body, path, query or OCPI routing headers)', [
    { status_code: 2001, status_message: 'Invalid body: /last_updated: Expected string' },
  ]),
  /** HTTP 404 + 2003: the location, EVSE or connector in the URL is not one the caller can see. */
  unknownLocation: ErrorEnvelope('HTTP 404, status_code 2003: unknown location, EVSE or connector', [
    { status_code: 2003, status_message: 'Unknown EVSE 3257 at location LOC1' },
  ]),
  /** HTTP 404 + 2004: the token is not one this partner pushed to us. */
  unknownToken: ErrorEnvelope('HTTP 404, status_code 2004: unknown token', [
    { status_code: 2004, status_message: 'Unknown token DE/TNM/12345678905880 (RFID)' },
  ]),
  /** HTTP 404 on a real-time authorization: the token (2004) or the location/EVSE asked about (2003) is unknown. */
  unknownTokenOrLocation: ErrorEnvelope('HTTP 404, status_code 2004: unknown token; status_code 2003: unknown location or EVSE in the LocationReferences', [
    { status_code: 2004, status_message: 'Unknown token 12345678905880 (RFID)' },
    { status_code: 2003, status_message: 'Unknown location LOC2' },
  ]),
  /** HTTP 404 + 2000: no ClientInfo for that party (the hub never reported it). */
  unknownClientInfo: ErrorEnvelope('HTTP 404, status_code 2000: no ClientInfo held for that party', [
    { status_code: 2000, status_message: 'No ClientInfo for NL/ALL' },
  ]),
  /** HTTP 403 + 2000: ClientInfo from a connection that is not a hub. */
  notAHub: ErrorEnvelope('HTTP 403, status_code 2000: only a hub reports ClientInfo', [
    { status_code: 2000, status_message: 'Only a connection with the role HUB reports ClientInfo' },
  ]),
  /** HTTP 404 on PUT charging_preferences: 2003 for a session not of the caller's tokens, 2001 as no EVSE of ours takes preferences. */
  chargingPreferencesRefused: ErrorEnvelope(
    'HTTP 404, status_code 2003: unknown session; status_code 2001: the EVSE does not accept charging preferences (none of ours is CHARGING_PREFERENCES_CAPABLE)',
    [
      { status_code: 2001, status_message: 'This EVSE does not accept charging preferences' },
      { status_code: 2003, status_message: 'Unknown session 101' },
    ],
  ),
} as const;
