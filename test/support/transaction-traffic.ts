/**
 * Generated OCPP transaction traffic for property tests: one monotone meter (a start register, 1–8 readings, a stop
 * register ≥ the last), timestamps drawn so that collisions are common (same millisecond or second as each other,
 * as the start, as the stop), and the ways stations deliver readings: one by one, in bursts of unawaited calls,
 * batched in one message, replayed out of order, retransmitted, carried by the stop. `play16`/`play201` send it
 * with a real OCPP client; `observe` runs after every awaited step.
 */
import fc from 'fast-check';
import type { RPCClient } from 'ocpp-rpc';

export type Delivery = 'one-by-one' | 'burst' | 'batch' | 'with-stop';
const DELIVERIES: Delivery[] = ['one-by-one', 'burst', 'batch', 'with-stop'];
/** Where a reading's timestamp is drawn relative to; the first one is what shrinking aims for. */
const ANCHORS = ['anywhere', 'start', 'start-second', 'stop', 'stop-second', 'previous', 'previous-second', 'seconds-later'] as const;
const MAX_READINGS = 8;

export interface Reading {
  /** Milliseconds after the start instant. */
  offsetMs: number;
  wh: number;
  /** OCPP 1.6: sent as a kWh decimal string. */
  kwhUnit: boolean;
  /** Sent without `.000` when the instant is a whole second. */
  wholeSecond: boolean;
}

export interface Chunk {
  /** As sent (a reversed chunk is sent newest first). */
  readings: Reading[];
  delivery: Delivery;
  /** Every message of the chunk is sent twice. */
  retransmit: boolean;
}

export interface Traffic {
  /** Milliseconds of the start instant within its second. */
  startFracMs: number;
  startWh: number;
  /** In time order. */
  readings: Reading[];
  stopOffsetMs: number;
  stopWh: number;
  /** In send order; `with-stop` chunks travel in the StopTransaction / Ended event. */
  chunks: Chunk[];
  retransmitStop: boolean;
}

const fixed = <T>(arb: fc.Arbitrary<T>, length: number) => fc.array(arb, { minLength: length, maxLength: length });
/** True one time in four; shrinks to false. */
const rarely = fc.integer({ min: 0, max: 3 }).map((n) => n === 3);

/**
 * `spread`: every timestamp in a second of its own, more than 1 s from the previous one (a control: the flows
 * that worked before the whole-second defect was fixed).
 */
export function trafficArb(opts: { spread?: boolean } = {}): fc.Arbitrary<Traffic> {
  const stopOffsetMs = fc.oneof(
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 999 }) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 600 }).map((s) => s * 1000) },
    { weight: 2, arbitrary: fc.integer({ min: 1000, max: 6 * 3_600_000 }) },
  );
  const increment = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 51, max: 20_000 }));
  return fc
    .record({
      startFracMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 999 })),
      startWh: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 999 }), fc.integer({ min: 1000, max: 50_000_000 })),
      count: fc.integer({ min: 1, max: MAX_READINGS }),
      anchors: fixed(fc.record({ anchor: fc.constantFrom(...ANCHORS), at: fc.nat(1_000_000) }), MAX_READINGS),
      spreadGapMs: fc.integer({ min: 1100, max: 900_000 }),
      increments: fixed(increment, MAX_READINGS + 1),
      stopOffsetMs,
      kwhUnit: fixed(rarely, MAX_READINGS),
      wholeSecond: fixed(fc.boolean(), MAX_READINGS + 1),
      cuts: fixed(fc.boolean(), MAX_READINGS),
      deliveries: fixed(fc.constantFrom(...DELIVERIES), MAX_READINGS),
      sendOrder: fixed(fc.nat(3), MAX_READINGS),
      reversed: fixed(rarely, MAX_READINGS),
      retransmit: fixed(rarely, MAX_READINGS),
      retransmitStop: rarely,
    })
    .map((g): Traffic => {
      const stop = opts.spread ? (g.count + 1) * g.spreadGapMs : g.stopOffsetMs;
      const offsets = opts.spread
        ? Array.from({ length: g.count }, (_, i) => (i + 1) * g.spreadGapMs)
        : resolveOffsets(g.anchors.slice(0, g.count), g.startFracMs, stop);
      let wh = g.startWh;
      const readings = offsets.map((offsetMs, i): Reading => {
        wh += g.increments[i]!;
        return { offsetMs, wh, kwhUnit: g.kwhUnit[i]!, wholeSecond: g.wholeSecond[i]! };
      });
      const chunks: (Chunk & { key: number })[] = [];
      readings.forEach((reading, i) => {
        if (i === 0 || g.cuts[i]) chunks.push({ readings: [], delivery: g.deliveries[i]!, retransmit: g.retransmit[i]!, key: g.sendOrder[i]! });
        chunks.at(-1)!.readings.push(reading);
      });
      chunks.forEach((chunk, i) => {
        if (g.reversed[i]) chunk.readings.reverse();
      });
      // A stable sort by key: all keys equal (what shrinking gives) keeps time order.
      const ordered = chunks.map((chunk, i) => ({ chunk, i })).sort((a, b) => a.chunk.key - b.chunk.key || a.i - b.i);
      return {
        startFracMs: g.startFracMs,
        startWh: g.startWh,
        readings,
        stopOffsetMs: stop,
        stopWh: wh + g.increments[MAX_READINGS]!,
        chunks: ordered.map(({ chunk: { key: _, ...chunk } }) => chunk),
        retransmitStop: g.retransmitStop,
      };
    });
}

/** Offsets in [0, stop], each relative to its anchor, sorted: collisions with the start, the stop and each other. */
function resolveOffsets(anchors: { anchor: (typeof ANCHORS)[number]; at: number }[], startFracMs: number, stop: number): number[] {
  let previous = 0;
  const secondOf = (offset: number) => Math.floor((startFracMs + offset) / 1000);
  const secondStart = (offset: number) => secondOf(offset) * 1000 - startFracMs;
  const offsets = anchors.map(({ anchor, at }) => {
    const pick = (lo: number, hi: number) => Math.min(hi, lo + Math.floor((at / 1_000_000) * (hi - lo + 1)));
    const offset = {
      anywhere: () => pick(0, stop),
      start: () => 0,
      'start-second': () => pick(0, Math.min(stop, secondStart(0) + 999)),
      stop: () => stop,
      'stop-second': () => pick(Math.max(0, secondStart(stop)), stop),
      previous: () => previous,
      'previous-second': () => pick(previous, Math.min(stop, secondStart(previous) + 999)),
      'seconds-later': () => Math.min(stop, previous + 1000 * (1 + Math.floor((at / 1_000_000) * 120))),
    }[anchor]();
    previous = offset;
    return offset;
  });
  return offsets.sort((a, b) => a - b);
}

/** ISO 8601 with milliseconds, or without them for a whole second when asked. */
export function stamp(ms: number, wholeSecond = false): string {
  const iso = new Date(ms).toISOString();
  return wholeSecond ? iso.replace(/\.000Z$/, 'Z') : iso;
}

const kwhText = (wh: number) => `${Math.floor(wh / 1000)}.${String(wh % 1000).padStart(3, '0')}`;
type Observe = (step: string) => Promise<void>;

/** Sends a chunk's messages the way its delivery says; `send` makes one message of some readings. */
async function deliver(chunk: Chunk, send: (readings: Reading[]) => () => Promise<unknown>, observe: Observe) {
  const messages = (chunk.delivery === 'batch' ? [chunk.readings] : chunk.readings.map((r) => [r])).map(send);
  const times = chunk.retransmit ? 2 : 1;
  if (chunk.delivery === 'burst') {
    await Promise.all(messages.flatMap((message) => Array.from({ length: times }, () => message())));
    return observe(`burst of ${messages.length * times}`);
  }
  for (const message of messages) {
    for (let i = 0; i < times; i++) await message();
    await observe(chunk.delivery === 'batch' ? `batch of ${chunk.readings.length}` : 'one reading');
  }
}

/** OCPP 1.6: StartTransaction, MeterValues, StopTransaction (with transactionData); always stops, even on failure. */
export async function play16(client: RPCClient, traffic: Traffic, at: { t0: number; connectorId: number; idTag: string }, observe: Observe) {
  const { t0, connectorId } = at;
  const meterValue = (r: Reading) => ({
    timestamp: stamp(t0 + r.offsetMs, r.wholeSecond),
    sampledValue: [{ value: r.kwhUnit ? kwhText(r.wh) : String(r.wh), measurand: 'Energy.Active.Import.Register', context: 'Sample.Periodic', unit: r.kwhUnit ? 'kWh' : 'Wh' }],
  });
  const start = { connectorId, idTag: at.idTag, meterStart: traffic.startWh, timestamp: stamp(t0, true) };
  const { transactionId } = (await client.call('StartTransaction', start)) as { transactionId: number };
  const withStop = traffic.chunks.filter((c) => c.delivery === 'with-stop').flatMap((c) => c.readings);
  const stop = {
    transactionId,
    meterStop: traffic.stopWh,
    timestamp: stamp(t0 + traffic.stopOffsetMs, true),
    reason: 'Local',
    ...(withStop.length > 0 ? { transactionData: withStop.map(meterValue) } : {}),
  };
  let stopped = false;
  try {
    await observe('StartTransaction');
    for (const chunk of traffic.chunks.filter((c) => c.delivery !== 'with-stop'))
      await deliver(chunk, (readings) => () => client.call('MeterValues', { connectorId, transactionId, meterValue: readings.map(meterValue) }), observe);
    await client.call('StopTransaction', stop);
    stopped = true;
    await observe('StopTransaction');
    if (traffic.retransmitStop) {
      await client.call('StopTransaction', stop);
      await observe('StopTransaction retransmitted');
    }
  } finally {
    if (!stopped) await client.call('StopTransaction', stop).catch(() => undefined);
  }
  return transactionId;
}

/** OCPP 2.0.1: TransactionEvent Started (Transaction.Begin) / Updated (seqNo in send order) / Ended (Transaction.End). */
export async function play201(
  client: RPCClient,
  traffic: Traffic,
  at: { t0: number; evseId: number; idTag: string; transactionId: string },
  observe: Observe,
) {
  const { t0, transactionId } = at;
  let seqNo = 0;
  const meterValue = (offsetMs: number, wh: number, context: string, wholeSecond = false) => ({
    timestamp: stamp(t0 + offsetMs, wholeSecond),
    sampledValue: [{ value: wh, measurand: 'Energy.Active.Import.Register', context, unitOfMeasure: { unit: 'Wh' } }],
  });
  const event = (eventType: string, offsetMs: number, triggerReason: string, meterValues: unknown[], more: object = {}) => ({
    eventType,
    timestamp: stamp(t0 + offsetMs, true),
    triggerReason,
    seqNo: seqNo++,
    transactionInfo: { transactionId },
    meterValue: meterValues,
    ...more,
  });
  const started = event('Started', 0, 'Authorized', [meterValue(0, traffic.startWh, 'Transaction.Begin', true)], {
    transactionInfo: { transactionId, chargingState: 'Charging' },
    idToken: { idToken: at.idTag, type: 'ISO14443' },
    evse: { id: at.evseId, connectorId: 1 },
  });
  await client.call('TransactionEvent', started);
  const periodic = (r: Reading) => meterValue(r.offsetMs, r.wh, 'Sample.Periodic', r.wholeSecond);
  let ended: ReturnType<typeof event> | undefined;
  try {
    await observe('Started');
    for (const chunk of traffic.chunks.filter((c) => c.delivery !== 'with-stop'))
      await deliver(chunk, (readings) => {
        const updated = event('Updated', Math.max(...readings.map((r) => r.offsetMs)), 'MeterValuePeriodic', readings.map(periodic));
        return () => client.call('TransactionEvent', updated);
      }, observe);
    const withStop = traffic.chunks.filter((c) => c.delivery === 'with-stop').flatMap((c) => c.readings);
    ended = event('Ended', traffic.stopOffsetMs, 'StopAuthorized', [...withStop.map(periodic), meterValue(traffic.stopOffsetMs, traffic.stopWh, 'Transaction.End', true)], {
      transactionInfo: { transactionId, stoppedReason: 'Local' },
    });
    await client.call('TransactionEvent', ended);
    await observe('Ended');
    if (traffic.retransmitStop) {
      await client.call('TransactionEvent', ended);
      await observe('Ended retransmitted');
    }
  } finally {
    if (!ended) {
      const end = event('Ended', traffic.stopOffsetMs, 'StopAuthorized', [meterValue(traffic.stopOffsetMs, traffic.stopWh, 'Transaction.End')], {
        transactionInfo: { transactionId, stoppedReason: 'Local' },
      });
      await client.call('TransactionEvent', end).catch(() => undefined);
    }
  }
}
