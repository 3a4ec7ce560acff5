/**
 * What the protocol trace may store. Unlike log redaction (src/lib/logger.ts `redact`), which masks every key that
 * mentions a token, the trace keeps what an operator needs to read an exchange — OCPP idTags, OCPI `cdr_token`,
 * `authorization_reference`, Token objects — and masks only values that open something:
 * - keys naming a secret (Authorization, password, secret, API key; `token` when it is a string: the OCPI
 *   credentials token, in either direction);
 * - OCPP configuration writes of one (1.6 ChangeConfiguration `AuthorizationKey`, 2.0.1 SetVariables
 *   `BasicAuthPassword`), where the name is in one field and the secret in another.
 */
const SECRET_KEY = /^authorization$|password|secret|api[-_]?key|^authorizationkey$|^sealed/i;
const SECRET_NAME = /password|secret|authorizationkey|api[-_]?key|token/i;
/** A frame without any of these words cannot hold one of the secrets above: stored as it came, unparsed. */
const MAY_HOLD_SECRET = /"authorization"|authorizationkey|password|secret|api[-_]?key|"token"|sealed/i;
export const REDACTED = '[redacted]';
/** Payloads beyond this are cut: OCPP frames are a few kB, a page of OCPI locations can be a MB. */
export const MAX_PAYLOAD_CHARS = 64 * 1024;

export function redactTrace(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > 12) return '[truncated]';
  if (Array.isArray(value)) return value.map((v) => redactTrace(v, depth + 1));
  const object = value as Record<string, unknown>;
  const named = configurationName(object);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(object)) {
    if (v != null && (SECRET_KEY.test(key) || (key.toLowerCase() === 'token' && typeof v === 'string'))) out[key] = REDACTED;
    else if (named && (key === 'value' || key === 'attributeValue') && v != null) out[key] = REDACTED;
    else out[key] = redactTrace(v, depth + 1);
  }
  return out;
}

/** 1.6 `{key, value}` and 2.0.1 `{variable: {name}, attributeValue}` naming a secret. */
function configurationName(o: Record<string, unknown>): boolean {
  if (typeof o.key === 'string' && 'value' in o) return SECRET_NAME.test(o.key);
  const variable = o.variable as { name?: unknown } | undefined;
  return 'attributeValue' in o && typeof variable?.name === 'string' && SECRET_NAME.test(variable.name);
}

/** JSON text of a redacted value, cut to {@link MAX_PAYLOAD_CHARS}. */
export function tracePayload(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return capped(JSON.stringify(redactTrace(value)));
}

/**
 * An OCPP frame as stored: the text as it crossed the socket when no secret can be in it (no parse, no
 * re-serialisation on the common path), else the parsed frame redacted.
 */
export function traceFrame(text: string, parsed: unknown): string {
  if (!MAY_HOLD_SECRET.test(text)) return capped(text);
  return parsed === undefined ? capped(text.replace(/("[^"]*(?:password|secret|token|authoriz)[^"]*"\s*:\s*)"[^"]*"/gi, `$1"${REDACTED}"`)) : tracePayload(parsed)!;
}

function capped(json: string): string {
  if (json.length <= MAX_PAYLOAD_CHARS) return json;
  return JSON.stringify({ truncated: true, length: json.length, head: json.slice(0, MAX_PAYLOAD_CHARS) });
}
