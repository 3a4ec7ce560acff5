/**
 * A batch of trace records as it travels from the main thread to the trace worker, built to cost the station path
 * as little as possible: per record five numbers `[kind, atMs, perfMs, idLength, textLength]` in a Float64Array
 * (handed over, not copied) and its strings appended to one text (one string to copy between threads, not one per
 * record). Kind 0/1 = an OCPP frame in/out, its text the charge point id then the frame as it crossed the socket;
 * kind 2 = any other record as one JSON string (idLength 0).
 */
import type { TraceRecord } from './trace-writer.ts';

const FRAME_IN = 0;
const FRAME_OUT = 1;
const OTHER = 2;
const FIELDS = 5;
const INITIAL_RECORDS = 1024;

export interface EncodedBatch {
  /** FIELDS numbers per record; its buffer is transferred to the worker. */
  nums: Float64Array;
  text: string;
}

export class BatchBuilder {
  private nums = new Float64Array(INITIAL_RECORDS * FIELDS);
  private used = 0;
  private parts: string[] = [];
  private others: { at: number; record: TraceRecord }[] = [];

  get size(): number {
    return this.used / FIELDS;
  }

  frame(chargePointId: string, direction: 'in' | 'out', text: string, atMs: number, perfMs: number) {
    this.put(direction === 'in' ? FRAME_IN : FRAME_OUT, atMs, perfMs, chargePointId.length, text.length);
    this.parts.push(chargePointId, text);
  }

  /** OCPI exchanges and payment calls: serialised when the batch is taken, not on the request path. */
  record(record: TraceRecord) {
    this.others.push({ at: this.used, record });
    this.put(OTHER, 0, 0, 0, 0);
    this.parts.push('', '');
  }

  /** The batch so far (emptying the builder); `prepare` may complete records first (the partner of an outgoing call). */
  take(prepare: (record: TraceRecord) => TraceRecord = (r) => r): EncodedBatch {
    const { nums, used, parts, others } = this;
    this.nums = new Float64Array(Math.max(INITIAL_RECORDS * FIELDS, used));
    this.used = 0;
    this.parts = [];
    this.others = [];
    for (const { at, record } of others) {
      const json = serialise(prepare(record));
      parts[(at / FIELDS) * 2 + 1] = json;
      nums[at + 4] = json.length;
    }
    return { nums: nums.subarray(0, used), text: parts.join('') };
  }

  private put(kind: number, atMs: number, perfMs: number, idLength: number, textLength: number) {
    if (this.used + FIELDS > this.nums.length) {
      const grown = new Float64Array(this.nums.length * 2);
      grown.set(this.nums);
      this.nums = grown;
    }
    const n = this.nums;
    const i = this.used;
    n[i] = kind;
    n[i + 1] = atMs;
    n[i + 2] = perfMs;
    n[i + 3] = idLength;
    n[i + 4] = textLength;
    this.used = i + FIELDS;
  }
}

export const recordsIn = (batch: EncodedBatch) => batch.nums.length / FIELDS;

/** The records of a batch, in the order they were pushed. */
export function* decodeBatch({ nums, text }: EncodedBatch): Generator<TraceRecord> {
  let at = 0;
  for (let i = 0; i < nums.length; i += FIELDS) {
    const kind = nums[i];
    const idEnd = at + nums[i + 3]!;
    const end = idEnd + nums[i + 4]!;
    const chargePointId = text.slice(at, idEnd);
    const body = text.slice(idEnd, end);
    at = end;
    if (kind === OTHER) {
      const record = parseRecord(body);
      if (record) yield record;
      continue;
    }
    yield { kind: 'frame', atMs: nums[i + 1]!, perfMs: nums[i + 2]!, chargePointId, direction: kind === FRAME_IN ? 'in' : 'out', text: body };
  }
}

function serialise(record: TraceRecord): string {
  try {
    return JSON.stringify(record);
  } catch {
    // A body JSON cannot hold (a BigInt, a cycle): the exchange is kept, its bodies are not.
    return JSON.stringify({ ...record, request: '[unserialisable]', response: '[unserialisable]', result: undefined });
  }
}

function parseRecord(text: string): TraceRecord | undefined {
  try {
    return JSON.parse(text) as TraceRecord;
  } catch {
    return undefined;
  }
}
