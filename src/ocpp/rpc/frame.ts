import { CallError } from './call-errors.ts';

export type Frame =
  | { type: 'call'; id: string; action: string; payload: unknown; mayHoldUnsafeNumbers: boolean }
  | { type: 'result'; id: string; payload: unknown }
  | { type: 'error'; id: string; code: string; description: string; details: unknown };

/** A frame we could not accept; `id` is set when it could be read, so the CALLERROR can answer it. */
export class BadFrame extends CallError {
  constructor(
    readonly id: string | undefined,
    kind: ConstructorParameters<typeof CallError>[0],
    message: string,
  ) {
    super(kind, message);
  }
}

/**
 * A JSON number beyond ±(2^53 − 1) is written with 16 or more digits in a row, or with an exponent: text without
 * either holds none (schema-validation.ts then skips looking for one; text that only looks so is looked through).
 */
const UNSAFE_NUMBER_TEXT = /\d{16}|\d[eE][+-]?\d/;

/** Message ids are strings of at most 36 characters (OCPP-J §4.1.3). */
const readId = (value: unknown) => (typeof value === 'string' && value.length > 0 && value.length <= 36 ? value : undefined);

/** Parses one OCPP-J text frame; never throws anything but BadFrame, whatever the input. */
export function parseFrame(text: string): Frame {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    throw new BadFrame(undefined, 'RpcFrameworkError', 'Frame is not valid JSON');
  }
  if (!Array.isArray(message)) throw new BadFrame(undefined, 'RpcFrameworkError', 'Frame is not a JSON array');
  const [type, rawId] = message;
  const id = readId(rawId);
  if (id === undefined) throw new BadFrame(undefined, 'RpcFrameworkError', 'Message id missing, not a string or longer than 36 characters');
  if (type === 2) {
    const [, , action, payload] = message;
    if (message.length !== 4 || typeof action !== 'string' || action === '')
      throw new BadFrame(id, 'Format', 'CALL must be [2, id, action, payload]');
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) throw new BadFrame(id, 'Format', 'CALL payload must be an object');
    return { type: 'call', id, action, payload, mayHoldUnsafeNumbers: UNSAFE_NUMBER_TEXT.test(text) };
  }
  if (type === 3) {
    if (message.length !== 3) throw new BadFrame(id, 'Format', 'CALLRESULT must be [3, id, payload]');
    return { type: 'result', id, payload: message[2] };
  }
  if (type === 4) {
    const [, , code, description, details] = message;
    if (typeof code !== 'string') throw new BadFrame(id, 'Format', 'CALLERROR must be [4, id, code, description, details]');
    return { type: 'error', id, code, description: typeof description === 'string' ? description : '', details: details ?? {} };
  }
  throw new BadFrame(id, 'MessageTypeNotSupported', `Message type ${JSON.stringify(type)} is not supported`);
}

export const callFrame = (id: string, action: string, payload: unknown) => JSON.stringify([2, id, action, payload]);
export const resultFrame = (id: string, payload: unknown) => JSON.stringify([3, id, payload]);
export const errorFrame = (id: string, code: string, description: string, details: unknown = {}) =>
  JSON.stringify([4, id, code, description.slice(0, 255), details]);
