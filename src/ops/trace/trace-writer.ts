/**
 * Turns queued trace records into rows, in the trace worker (src/composition/trace-worker.ts), never on the socket or request
 * path: this is where frames are parsed, answers paired with their CALLs (action, duration), sessions and
 * partners named, and payloads redacted.
 */
import type { TraceRepo, TraceRow } from '../../storage/sqlite/trace.repo.ts';
import { sessionOfOcpi, transactionOf } from './trace-links.ts';
import { tracePayload, traceFrame } from './trace-redaction.ts';

export interface FrameRecord {
  kind: 'frame';
  atMs: number;
  /** performance.now() as the frame crossed the socket, for the CALL→answer duration. */
  perfMs: number;
  chargePointId: string;
  direction: 'in' | 'out';
  text: string;
}

export interface OcpiRecord {
  kind: 'ocpi';
  atMs: number;
  direction: 'in' | 'out';
  /** Inbound: the authenticated partner; outbound: resolved from `to`/url when written. */
  partnerId?: string | undefined;
  to?: { country_code: string; party_id: string } | undefined;
  method: string;
  url: string;
  module: string;
  requestId?: string | undefined;
  correlationId?: string | undefined;
  httpStatus?: number | undefined;
  ocpiStatus?: number | undefined;
  durationMs: number;
  request?: unknown;
  response?: unknown;
  /** No HTTP answer came (network error, timeout). */
  error?: string | undefined;
}

export interface PaymentRecord {
  kind: 'payment';
  atMs: number;
  provider: string;
  operation: string;
  request: { idempotencyKey?: string };
  result?: { ok: boolean; kind?: string; code?: string; declineCode?: string } | undefined;
  error?: string | undefined;
  durationMs: number;
}

export type TraceRecord = FrameRecord | OcpiRecord | PaymentRecord;

export interface TraceResolvers {
  sessionOfTransaction(chargePointId: string, transactionId: string): string | undefined;
  /** Called once per batch that has outgoing OCPI calls; returns the resolver for that batch. */
  partnersForBatch(): (url: string, to: OcpiRecord['to']) => string | undefined;
}

/** A row built from a record, and the id it got once inserted. */
interface PendingRow extends TraceRow {
  id?: number;
}

interface OpenCall {
  /** The CALL's row: until it is inserted its session can still be set on it; after, it is linked by id. */
  row: { id?: number; pending?: PendingRow };
  action: string;
  perfMs: number;
  transactionId: string | undefined;
  sessionId: string | undefined;
}

/** CALLs waiting for their answer; a station that never answers must not grow this forever. */
const MAX_OPEN_CALLS = 50_000;

/**
 * Two phases, so that the write transaction holds SQLite's single write lock only for the inserts: `prepare`
 * parses, pairs, links and redacts (reads only: the session look-ups), `commit` inserts the rows and links
 * CALLs written by an earlier batch to the session their answer named.
 */
export function traceWriter(repo: TraceRepo, resolvers: TraceResolvers) {
  const open = new Map<string, OpenCall>();
  /** CALL rows already inserted whose session an answer in this batch named. */
  let links: { id: number; sessionId: string }[] = [];
  /** Open CALLs whose row is in this batch (their `pending` is dropped once inserted). */
  let opened: OpenCall['row'][] = [];

  function frameRow(r: FrameRecord, rows: PendingRow[]) {
    const frame = readFrame(r.text);
    const base = { atMs: r.atMs, protocol: 'ocpp' as const, direction: r.direction, chargePointId: r.chargePointId, payload: traceFrame(r.text, frame) };
    if (!Array.isArray(frame) || typeof frame[1] !== 'string' || ![2, 3, 4].includes(frame[0])) {
      rows.push({ ...base, action: 'unknown', status: 'MALFORMED' });
      return;
    }
    const [type, messageId] = frame as [number, string];
    const session = (tx: string | undefined) => (tx === undefined ? undefined : resolvers.sessionOfTransaction(r.chargePointId, tx));
    if (type === 2) {
      const action = typeof frame[2] === 'string' ? frame[2] : 'unknown';
      const transactionId = transactionOf(frame[3]);
      const sessionId = session(transactionId);
      const row: PendingRow = { ...base, action, messageId, status: 'CALL', sessionId };
      rows.push(row);
      const ref = { pending: row };
      opened.push(ref);
      if (open.size >= MAX_OPEN_CALLS) open.delete(open.keys().next().value!);
      open.set(`${r.chargePointId}\u0000${r.direction}\u0000${messageId}`, { row: ref, action, perfMs: r.perfMs, transactionId, sessionId });
      return;
    }
    // An answer travels the other way from its CALL.
    const key = `${r.chargePointId}\u0000${r.direction === 'in' ? 'out' : 'in'}\u0000${messageId}`;
    const call = open.get(key);
    open.delete(key);
    // StartTransaction (1.6) names its transaction only in the answer; a CALL written before its handler committed
    // the session is linked now.
    const sessionId = call?.sessionId ?? session(call?.transactionId ?? (type === 3 ? transactionOf(frame[2]) : undefined));
    if (call && !call.sessionId && sessionId) {
      if (call.row.pending) call.row.pending.sessionId = sessionId;
      else if (call.row.id !== undefined) links.push({ id: call.row.id, sessionId });
    }
    rows.push({
      ...base,
      action: call?.action ?? 'unknown',
      messageId,
      status: type === 3 ? 'CALLRESULT' : 'CALLERROR',
      errorCode: type === 4 && typeof frame[2] === 'string' ? frame[2] : undefined,
      durationMs: call ? round(r.perfMs - call.perfMs) : undefined,
      sessionId,
    });
  }

  function ocpiRow(r: OcpiRecord, partnerOf: ReturnType<TraceResolvers['partnersForBatch']> | undefined): TraceRow {
    return {
      atMs: r.atMs,
      protocol: 'ocpi',
      direction: r.direction,
      partnerId: r.partnerId ?? partnerOf?.(r.url, r.to),
      sessionId: sessionOfOcpi(r.url, r.request),
      action: r.module,
      method: r.method,
      url: r.url,
      messageId: r.requestId,
      correlationId: r.correlationId,
      status: r.httpStatus === undefined ? 'NO_RESPONSE' : String(r.httpStatus),
      errorCode: r.error,
      httpStatus: r.httpStatus,
      ocpiStatus: r.ocpiStatus,
      durationMs: round(r.durationMs),
      payload: tracePayload({ request: r.request ?? null, response: r.response ?? null }),
    };
  }

  function paymentRow(r: PaymentRecord): TraceRow {
    const key = r.request.idempotencyKey;
    const outcome = r.error ? 'exception' : r.result?.ok ? 'ok' : (r.result?.kind ?? 'unknown');
    return {
      atMs: r.atMs,
      protocol: 'payment',
      direction: 'out',
      guestSessionId: typeof key === 'string' ? /(?:^|:)guest:([^:]+):/.exec(key)?.[1] : undefined,
      action: r.operation,
      method: r.provider,
      messageId: key,
      status: outcome,
      errorCode: r.error ?? r.result?.declineCode ?? r.result?.code,
      durationMs: round(r.durationMs),
      payload: tracePayload({ provider: r.provider, request: r.request, result: r.result ?? null }),
    };
  }

  /** One record into rows (a frame's answer may also link an earlier CALL). */
  function add(r: TraceRecord, rows: PendingRow[], partnerOf: () => ReturnType<TraceResolvers['partnersForBatch']>) {
    if (r.kind === 'frame') frameRow(r, rows);
    else if (r.kind === 'ocpi') rows.push(ocpiRow(r, r.direction === 'out' && !r.partnerId ? partnerOf() : undefined));
    else rows.push(paymentRow(r));
  }

  return {
    /** Phase one, outside any write transaction: the rows of a batch, in queue order. */
    prepare(batch: Iterable<TraceRecord>): PendingRow[] {
      let partnerOf: ReturnType<TraceResolvers['partnersForBatch']> | undefined;
      const batchPartners = () => (partnerOf ??= resolvers.partnersForBatch());
      const rows: PendingRow[] = [];
      for (const r of batch) add(r, rows, batchPartners);
      return rows;
    },
    /** Phase two, inside the caller's transaction: inserts the rows and links earlier CALLs. */
    commit(rows: PendingRow[]) {
      let committed = false;
      try {
        for (const row of rows) row.id = repo.insert(row);
        for (const link of links) repo.linkSession(link.id, link.sessionId);
        committed = true;
      } finally {
        // A failed batch is rolled back by the caller: its CALLs can no longer be linked.
        for (const ref of opened) {
          if (committed) ref.id = ref.pending!.id;
          ref.pending = undefined;
        }
        links = [];
        opened = [];
      }
    },
    /** Both phases, the caller holding the transaction (the in-thread writer of a `:memory:` database). */
    write(batch: TraceRecord[]) {
      this.commit(this.prepare(batch));
    },
  };
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

const HEAD = /^\[\s*([234])\s*,\s*"([^"\\]*)"\s*(?:,\s*"([^"\\]*)")?/;
/** Only these frames need their payload read here (the transaction link, a possible secret); the rest are stored as text. */
const NEEDS_PAYLOAD = /transactionId|authoriz|password|secret|api[-_]?key|"token"|sealed/i;

/**
 * The frame's type, id and action, read from its head with a regex when nothing else is needed: parsing every
 * Heartbeat and StatusNotification in full would be most of the trace's cost under load.
 */
function readFrame(text: string): unknown {
  const head = HEAD.exec(text);
  if (head && text.trimEnd().endsWith(']') && !NEEDS_PAYLOAD.test(text)) {
    const type = Number(head[1]);
    if (type === 2 && head[3] !== undefined) return [2, head[2], head[3]];
    if (type === 3) return [3, head[2]];
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
