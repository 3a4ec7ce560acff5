import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import type { OcppVersion } from '../../model/ocpp-version.ts';
import { CallError, type CallErrorKind } from './call-errors.ts';

/** Which CALLERROR a failing JSON-schema keyword maps to (OCPP-J §4.2.3; the same table ocpp-rpc uses). */
const kindOf: Record<string, CallErrorKind> = {
  required: 'Occurrence',
  minItems: 'Occurrence',
  maxItems: 'Occurrence',
  type: 'TypeConstraintViolation',
  enum: 'PropertyConstraintViolation',
  pattern: 'PropertyConstraintViolation',
  additionalProperties: 'PropertyConstraintViolation',
  maxLength: 'PropertyConstraintViolation',
  minLength: 'PropertyConstraintViolation',
  maximum: 'PropertyConstraintViolation',
  minimum: 'PropertyConstraintViolation',
  format: 'PropertyConstraintViolation',
};

/** The compiled schemas of one action: its CALL payload and its CALLRESULT payload. */
export interface ActionSchemas {
  req: ValidateFunction;
  conf: ValidateFunction | undefined;
}

/**
 * Read as files, not imported: a JSON `import` of these makes Bun hand ocpp-rpc's own later `require` of the
 * same file a module object instead of the array, which silently breaks ocpp-rpc's validators.
 */
function compile(file: string) {
  const schemas = JSON.parse(readFileSync(Bun.resolveSync(`ocpp-rpc/lib/schemas/${file}`, import.meta.dir), 'utf8')) as object[];
  // multipleOf 0.1 (1.6 charging limits): 10.7 / 0.1 is 106.99999999999999 in floating point, which exact
  // division would refuse; a precision of 1e-6 takes it as the one-decimal value it is (as ocpp-rpc does).
  // The official schemas are not checked against the JSON-schema meta-schema at every start (a few hundred ms).
  const ajv = new Ajv({ strictSchema: false, allErrors: false, multipleOfPrecision: 6, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema(schemas);
  // Known actions only: a station sending made-up action names must not grow this map.
  const cache = new Map<string, ActionSchemas>();
  return (action: string): ActionSchemas | undefined => {
    const cached = cache.get(action);
    if (cached) return cached;
    const req = ajv.getSchema(`urn:${action}.req`);
    if (!req) return undefined;
    const schemas = { req, conf: ajv.getSchema(`urn:${action}.conf`) };
    cache.set(action, schemas);
    return schemas;
  };
}

/** The official OCPP JSON schemas (shipped by the ocpp-rpc package), compiled once per action on first use. */
const validators: Record<OcppVersion, (action: string) => ActionSchemas | undefined> = {
  'ocpp1.6': compile('ocpp1_6.json'),
  'ocpp2.0.1': compile('ocpp2_0_1.json'),
};

/** An action's compiled schemas, looked up once per CALL; undefined when the version has no such action. */
export function schemasOf(version: OcppVersion, action: string): ActionSchemas | undefined {
  return validators[version](action);
}

/**
 * Throws a CallError naming the first violation of `validate` (undefined: the schema is missing).
 * `mayHoldUnsafeNumbers` false: the payload's text showed no number beyond ±(2^53 − 1) (frame.ts), none is looked for.
 */
export function check(validate: ValidateFunction | undefined, payload: unknown, version: OcppVersion, action: string, mayHoldUnsafeNumbers = true) {
  if (!validate) throw new CallError('NotImplemented', `${action} is not an OCPP ${version.slice(4)} action`);
  if (validate(payload)) {
    if (!mayHoldUnsafeNumbers) return;
    const beyond = unsafeNumberAt(payload);
    if (beyond !== undefined)
      throw new CallError('PropertyConstraintViolation', `${beyond || '(payload)'} is beyond ±${Number.MAX_SAFE_INTEGER}`, { keyword: 'maximum', path: beyond });
    return;
  }
  const first = validate.errors?.[0] as ErrorObject;
  const where = first.instancePath || '(payload)';
  throw new CallError(kindOf[first.keyword] ?? 'Format', `${where} ${first.message ?? 'is invalid'}`, { keyword: first.keyword, path: first.instancePath });
}

/**
 * The path of the first number no integer column can hold exactly (|n| > 2^53 − 1, e.g. a meterStart of 1e94,
 * which the schemas' "integer" lets through), if any: no meter, id or limit is that large, and PostgreSQL's bigint
 * would refuse it where SQLite would silently keep an approximation.
 */
function unsafeNumberAt(value: unknown): string | undefined {
  if (typeof value === 'number') return Math.abs(value) > Number.MAX_SAFE_INTEGER ? '' : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  // No entry arrays, no index strings (for…in over an array makes one per item), a path only for the number found.
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unsafeNumberAt(value[i]);
      if (found !== undefined) return `/${i}${found}`;
    }
    return undefined;
  }
  for (const key in value) {
    const found = unsafeNumberAt((value as Record<string, unknown>)[key]);
    if (found !== undefined) return `/${key}${found}`;
  }
  return undefined;
}

/** Throws a CallError naming the first violation; `kind` is 'req' for CALL payloads, 'conf' for CALLRESULTs. */
export function validatePayload(version: OcppVersion, action: string, kind: 'req' | 'conf', payload: unknown) {
  check(schemasOf(version, action)?.[kind], payload, version, action);
}
