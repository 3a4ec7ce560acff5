/**
 * Naming what a traced exchange belongs to, at write time (off the hot path): the charging session of an OCPI
 * Session/CDR push or of an OCPP transaction message, and the partner behind an outgoing OCPI call.
 */
import type { PartnerView } from '../../../actors/partner/partners.ts';

/** The session an OCPI exchange is about: Sessions module paths (push, charging preferences), a CDR's or command's `session_id`. */
export function sessionOfOcpi(url: string, body: unknown): string | undefined {
  const path = url.replace(/^[a-z]+:\/\/[^/]+/i, '').split('?')[0]!;
  // eMSP receiver: /sessions/{country_code}/{party_id}/{session_id}; CPO sender: /sessions/{session_id}/charging_preferences.
  const receiver = /\/sessions\/[^/]+\/[^/]+\/([^/]+)\/?$/.exec(path)?.[1];
  const preferences = /\/sessions\/([^/]+)\/charging_preferences\/?$/.exec(path)?.[1];
  const named = receiver ?? preferences;
  if (named) return safeDecode(named);
  const sessionId = (body as { session_id?: unknown } | null | undefined)?.session_id;
  return typeof sessionId === 'string' && /\/(cdrs|commands)\b/.test(path) ? sessionId : undefined;
}

/** An OCPP payload's transaction: 1.6 `transactionId` (StartTransaction's answer, MeterValues, Stop…), 2.0.1 `transactionInfo`. */
export function transactionOf(payload: unknown): string | undefined {
  if (payload === null || typeof payload !== 'object') return undefined;
  const p = payload as { transactionId?: unknown; transactionInfo?: { transactionId?: unknown } };
  const id = p.transactionId ?? p.transactionInfo?.transactionId;
  return typeof id === 'number' || typeof id === 'string' ? String(id) : undefined;
}

/**
 * The partner an outgoing call went to: the one owning the addressed role (functional modules name it), else the
 * one whose registered URLs share the longest prefix with the call's URL (versions, credentials, response_urls).
 */
export function partnerOfCall(partners: PartnerView[], url: string, to: { country_code: string; party_id: string } | undefined): string | undefined {
  const same = (a: string, b: string) => a.toUpperCase() === b.toUpperCase();
  if (to) {
    const owners = partners.filter((p) => p.roles?.some((r) => same(r.country_code, to.country_code) && same(r.party_id, to.party_id)));
    const owner = owners.find((p) => p.status === 'registered') ?? owners[0];
    if (owner) return owner.id;
  }
  let best: { id: string; length: number } | undefined;
  for (const partner of partners) {
    for (const known of [partner.versionsUrl, ...(partner.endpoints ?? []).map((e) => e.url)]) {
      if (!known) continue;
      const length = commonPrefix(known, url);
      // Same origin at least (scheme://host:port/), and the longest wins.
      if (length > originLength(url) && (!best || length > best.length)) best = { id: partner.id, length };
    }
  }
  return best?.id;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function originLength(url: string): number {
  return /^[a-z]+:\/\/[^/]+/i.exec(url)?.[0].length ?? url.length;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
