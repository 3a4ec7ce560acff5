/** A connection URL without its password, for messages and logs; `invalid` names it when it does not parse. */
export function redactUrl(url: string, invalid: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return invalid;
  }
}
