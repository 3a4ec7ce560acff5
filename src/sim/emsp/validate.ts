/**
 * Light checks of what the CPO sends us, enough to answer a broken request with OCPI 2001 naming the field
 * rather than storing junk. The full schemas live in src/model/ocpi; the simulator only uses them as types.
 */
import { problems } from './envelope.ts';

type Fields<T> = readonly (keyof T & string)[];

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The body as a `T` when it is an object carrying every one of `required`; else a 2001 problem. */
export function requireObject<T>(body: unknown, what: string, required: Fields<T>): T {
  if (!isObject(body)) throw problems.invalid(`${what}: the body must be a JSON object`);
  const missing = required.find((field) => body[field] === undefined || body[field] === null);
  if (missing) throw problems.invalid(`${what}: ${missing} is required`);
  return body as T;
}

/** A PATCH body: any subset of the object, but `last_updated` always (OCPI 2.2.1, PUT/PATCH rules). */
export function requirePatch<T>(body: unknown, what: string): Partial<T> & { last_updated: string } {
  const patch = requireObject<{ last_updated: string }>(body, what, ['last_updated']);
  if (typeof patch.last_updated !== 'string') throw problems.invalid(`${what}: last_updated must be a DateTime`);
  return patch as Partial<T> & { last_updated: string };
}

/**
 * Client-owned objects: the owner and id in the URL must be the ones in the body (OCPI 2.2.1 advises 2001).
 * Ids are CiStrings, compared case-insensitively.
 */
export function requireSameIds(what: string, pairs: [field: string, inUrl: string, inBody: unknown][]) {
  for (const [field, inUrl, inBody] of pairs) {
    if (inBody !== undefined && (typeof inBody !== 'string' || inBody.toUpperCase() !== inUrl.toUpperCase()))
      throw problems.invalid(`${what}: ${field} ${String(inBody)} in the body differs from ${inUrl} in the URL`);
  }
}

/** Fields that must be strings (ids we key on and compare), else a 2001 problem. */
export function requireStrings<T extends object>(body: T, what: string, fields: readonly (keyof T & string)[]) {
  const bad = fields.find((field) => typeof body[field] !== 'string');
  if (bad) throw problems.invalid(`${what}: ${bad} must be a string`);
}
