/**
 * A batch of trace records as it travels from the main thread to the trace worker: flat columns of numbers and
 * strings, cheap to build on every frame and to copy between threads (no structured cloning of objects).
 * Per record three numbers `[kind, atMs, perfMs]`; kind 0/1 = an OCPP frame in/out followed by two strings
 * (charge point id, frame text as it crossed the socket), kind 2 = any other record as one JSON string.
 */
import type { TraceRecord } from './trace-writer.ts';

const FRAME_IN = 0;
const FRAME_OUT = 1;
const OTHER = 2;

export interface EncodedBatch {
  nums: Float64Array;
  strs: string[];
}

export class BatchBuilder {
  private nums: number[] = [];
  private strs: string[] = [];
  private others: { at: number; record: TraceRecord }[] = [];

  get size(): number {
    return this.nums.length / 3;
  }

  frame(chargePointId: string, direction: 'in' | 'out', text: string, atMs: number, perfMs: number) {
    this.nums.push(direction === 'in' ? FRAME_IN : FRAME_OUT, atMs, perfMs);
    this.strs.push(chargePointId, text);
  }

  /** OCPI exchanges and payment calls: serialised when the batch is taken, not on the request path. */
  record(record: TraceRecord) {
    this.nums.push(OTHER, 0, 0);
    this.others.push({ at: this.strs.length, record });
    this.strs.push('');
  }

  /** The batch so far (emptying the builder); `prepare` may complete records first (the partner of an outgoing call). */
  take(prepare: (record: TraceRecord) => TraceRecord = (r) => r): EncodedBatch {
    const { nums, strs, others } = this;
    this.nums = [];
    this.strs = [];
    this.others = [];
    for (const { at, record } of others) strs[at] = serialise(prepare(record));
    return { nums: Float64Array.from(nums), strs };
  }
}

/** The records of a batch, in the order they were pushed. */
export function* decodeBatch({ nums, strs }: EncodedBatch): Generator<TraceRecord> {
  let s = 0;
  for (let i = 0; i < nums.length; i += 3) {
    const kind = nums[i];
    if (kind === OTHER) {
      const record = parseRecord(strs[s++]!);
      if (record) yield record;
      continue;
    }
    const chargePointId = strs[s++]!;
    const text = strs[s++]!;
    yield { kind: 'frame', atMs: nums[i + 1]!, perfMs: nums[i + 2]!, chargePointId, direction: kind === FRAME_IN ? 'in' : 'out', text };
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
