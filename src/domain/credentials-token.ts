/**
 * The strings a partner may mean by `Authorization: Token <value>`. OCPI 2.2.1 mandates Base64 of the token,
 * but 2.1.1/2.2 peers still send it raw, and a raw token can itself be valid Base64. So both the value as sent
 * and its decoding are candidates; the caller matches them against stored tokens, never guessing which form
 * was meant.
 */
export function tokenCandidates(authorization: string | null | undefined): string[] {
  const match = /^Token\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) return [];
  const sent = match[1];
  const decoded = decodeBase64Strict(sent);
  return decoded && decoded !== sent ? [sent, decoded] : [sent];
}

/** Standard-alphabet Base64 (RFC 4648 §4) that round-trips and decodes to printable ASCII; else undefined. */
function decodeBase64Strict(value: string): string | undefined {
  if (value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  const bytes = Buffer.from(value, 'base64');
  if (bytes.toString('base64') !== value) return undefined;
  const text = bytes.toString('utf8');
  return /^[\x21-\x7e]+$/.test(text) ? text : undefined;
}

/** Outbound header value: always the 2.2.1 Base64 form. */
export function tokenHeader(token: string): string {
  return `Token ${Buffer.from(token, 'utf8').toString('base64')}`;
}
