/**
 * The protocol trace recorder. Taps (OCPP gateway, OCPI in and out, payments) only append to a batch (flat
 * columns, trace-batch.ts); every ~250 ms (or sooner once it holds a batch's worth) the batch is posted to the
 * trace worker (src/composition/trace-worker.ts), which parses, redacts, links and inserts it in one SQLite transaction on its own
 * connection, off the main thread. Rows older than the retention, or beyond the row cap, are deleted there too,
 * oldest first. A `:memory:` database cannot be opened by a second connection: there the batches are written on
 * the main thread (tests and tools only; the service runs on a file).
 */
import { epochMs, type Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { GatewayTap } from '../../ocpp/gateway-tap.ts';
import { silentTap } from '../../ocpp/gateway-tap.ts';
import type { OcpiObservation } from '../../ocpi/client/ocpi-exchange.ts';
import type { TraceRepo } from '../../storage/sqlite/trace.repo.ts';
import { BatchBuilder, decodeBatch, recordsIn, type EncodedBatch } from './trace-batch.ts';
import type { FromWorker, ToWorker } from '../../composition/trace-worker.ts';
import { traceWriter, type TraceRecord, type TraceResolvers } from './trace-writer.ts';

export interface TraceSettings {
  retentionHours: number;
  maxRows: number;
  flushMs?: number;
  batchSize?: number;
  pruneMs?: number;
}

/** A backlog beyond this (the disk cannot keep up) is dropped and counted rather than held in memory. */
const MAX_QUEUE = 200_000;
/** How long `stop()` waits for the worker to commit what is left. */
const STOP_WAIT_MS = 10_000;
/** After a worker crash, a new one is started no sooner than this; after this many crashes in a row, none. */
const RESTART_DELAY_MS = 5_000;
const MAX_CRASHES = 5;

export interface TraceRecorderDeps {
  repo: TraceRepo;
  transact: <T>(fn: () => T) => T;
  clock: Clock;
  logger: Logger;
  resolvers: TraceResolvers;
  settings: TraceSettings;
}

/** Where batches go: the worker (a database file), or the main thread (`:memory:`). */
interface Sink {
  /** Resolves once the batch is committed (it was lost if it rejects; the loss is already logged); `urgent`: not held. */
  write(batch: EncodedBatch, urgent: boolean): Promise<void>;
  prune(beforeMs: number): Promise<{ old: number; excess: number }>;
  /** Synchronous: what was written before is committed when this returns (or given up on after STOP_WAIT_MS). */
  stop(): void;
}

export function createTraceRecorder({ repo, transact, clock, logger, resolvers, settings }: TraceRecorderDeps) {
  const flushMs = settings.flushMs ?? 250;
  const batchSize = settings.batchSize ?? 2000;
  const sink = repo.path === ':memory:' ? inThreadSink(repo, transact, resolvers, settings, logger) : workerSink(repo, settings, logger);
  const nowMs = epochMs(clock);
  let batch = new BatchBuilder();
  let dropped = 0;
  let soon: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const full = () => {
    if (batch.size < MAX_QUEUE) return false;
    dropped++;
    return true;
  };
  // A full batch is posted on the next turn of the event loop, never inside the caller.
  const counted = () => {
    if (batch.size >= batchSize && !soon) soon = setTimeout(() => void postBatch(false).catch(() => undefined), 0);
  };

  function push(record: TraceRecord) {
    if (stopped || full()) return;
    batch.record(record);
    counted();
  }

  /**
   * Posts what is queued; resolves once everything pushed before the call is committed. The timer's batches are
   * `urgent: false`: the worker may hold them to commit several together (one commit per second rewrites each page
   * of the station index once, not once per batch); an explicit flush() is committed at once, with what was held.
   */
  function flush(): Promise<void> {
    return postBatch(true);
  }

  function postBatch(urgent: boolean): Promise<void> {
    if (soon) clearTimeout(soon);
    soon = undefined;
    if (dropped > 0) {
      logger.warn('Protocol trace records dropped: the writer fell behind', { dropped });
      dropped = 0;
    }
    if (stopped) return Promise.resolve();
    let partnerOf: ReturnType<TraceResolvers['partnersForBatch']> | undefined;
    const taken = batch.take((record) => {
      // Outgoing OCPI calls are named after the partner here, once per batch (the partners live on this thread).
      if (record.kind !== 'ocpi' || record.direction !== 'out' || record.partnerId) return record;
      partnerOf ??= resolvers.partnersForBatch();
      return { ...record, partnerId: partnerOf(record.url, record.to) };
    });
    batch = new BatchBuilder();
    return sink.write(taken, urgent);
  }

  /** Deletes rows past the retention and the cap (also runs every minute). */
  function prune(): Promise<{ old: number; excess: number }> {
    void flush().catch(() => undefined);
    return sink.prune(clock.now().getTime() - settings.retentionHours * 3600_000);
  }

  const flushTimer = setInterval(() => void postBatch(false).catch(() => undefined), flushMs);
  const pruneTimer = setInterval(() => void prune().catch(() => undefined), settings.pruneMs ?? 60_000);
  flushTimer.unref?.();
  pruneTimer.unref?.();

  const tap: GatewayTap = {
    ...silentTap,
    frame: (station, direction, text) => {
      if (stopped || full()) return;
      batch.frame(station.chargePointId, direction, text, nowMs(), performance.now());
      counted();
    },
  };

  return {
    tap,
    push,
    /** Outgoing OCPI calls, as ocpi-exchange.ts reports them. */
    outbound(o: OcpiObservation) {
      push({
        kind: 'ocpi',
        atMs: clock.now().getTime() - Math.round(o.durationMs),
        direction: 'out',
        to: o.to,
        method: o.method,
        url: o.url,
        module: moduleOfUrl(o.url),
        requestId: o.requestId,
        correlationId: o.correlationId,
        httpStatus: o.status,
        ocpiStatus: o.code,
        durationMs: o.durationMs,
        request: o.body,
        response: o.envelope,
        error: o.error,
      });
    },
    flush,
    prune,
    /** Writes what is left and ends the worker; synchronous, so the service's close() stays so. */
    stop() {
      if (stopped) return;
      clearInterval(flushTimer);
      clearInterval(pruneTimer);
      void flush().catch(() => undefined);
      stopped = true;
      sink.stop();
    },
  };
}

/** Batches written on the calling thread, each in one transaction (a `:memory:` database). */
function inThreadSink(repo: TraceRepo, transact: <T>(fn: () => T) => T, resolvers: TraceResolvers, settings: TraceSettings, logger: Logger): Sink {
  const writer = traceWriter(repo, resolvers);
  return {
    write(batch) {
      const records = recordsIn(batch);
      if (records === 0) return Promise.resolve();
      try {
        transact(() => writer.write([...decodeBatch(batch)]));
        repo.deleteBeyond(settings.maxRows);
        return Promise.resolve();
      } catch (error) {
        // The trace is a diagnostic: losing a batch must never take the service down.
        logger.error('Writing the protocol trace failed', { records, error: error as Error });
        return Promise.reject(error);
      }
    },
    prune(beforeMs) {
      try {
        return Promise.resolve({ old: repo.deleteOlderThan(beforeMs), excess: repo.deleteBeyond(settings.maxRows) });
      } catch (error) {
        logger.error('Pruning the protocol trace failed', { error: error as Error });
        return Promise.reject(error);
      }
    },
    stop() {},
  };
}

/**
 * Batches posted to the trace worker. A crashed worker is logged (the batches it held are lost, their flushes
 * reject) and replaced on the next batch, at most every RESTART_DELAY_MS; after MAX_CRASHES crashes in a row the
 * trace is given up (logged) and records are dropped, the service carries on.
 */
function workerSink(repo: TraceRepo, settings: TraceSettings, logger: Logger): Sink {
  const path = repo.path;
  type Waiter = { resolve: (value: any) => void; reject: (error: Error) => void };
  let worker: Worker | undefined;
  let seq = 0;
  const waiting = new Map<number, Waiter>();
  let crashes = 0;
  let lastCrashMs = 0;
  let givenUp = false;

  function start(): Worker | undefined {
    if (worker) return worker;
    if (givenUp || (crashes > 0 && performance.now() - lastCrashMs < RESTART_DELAY_MS)) return undefined;
    const w = new Worker(new URL('../../composition/trace-worker.ts', import.meta.url));
    // Never what keeps the process alive: stop() ends it, and a process exiting without stop() loses ≤ one batch.
    w.unref();
    w.addEventListener('message', (event: MessageEvent<FromWorker>) => {
      const message = event.data;
      const waiter = waiting.get(message.seq);
      waiting.delete(message.seq);
      if (message.type === 'done') {
        crashes = 0;
        waiter?.resolve(message.pruned);
      } else {
        const text = message.what === 'write' ? 'Writing the protocol trace failed' : 'Pruning the protocol trace failed';
        logger.error(text, { records: message.records, error: message.message });
        waiter?.reject(new Error(`${text}: ${message.message}`));
      }
    });
    w.addEventListener('error', (event: ErrorEvent) => {
      if (worker !== w) return;
      worker = undefined;
      crashes++;
      lastCrashMs = performance.now();
      givenUp = crashes >= MAX_CRASHES;
      repo.checkpointElsewhere(false);
      logger.error(givenUp ? 'The protocol trace writer crashed again: tracing stops' : 'The protocol trace writer crashed; a new one starts with the next batch', {
        error: event.message,
        batchesLost: waiting.size,
      });
      w.terminate();
      const error = new Error(`The protocol trace writer crashed: ${event.message}`);
      for (const waiter of waiting.values()) waiter.reject(error);
      waiting.clear();
    });
    post(w, { type: 'open', path, maxRows: settings.maxRows });
    // The worker writes most of the WAL and checkpoints it (passively, after its commits and every second): were the
    // main connection to keep its automatic checkpoint, its first commit past the threshold would copy the trace's
    // pages into the database file on the service's thread.
    repo.checkpointElsewhere(true);
    worker = w;
    return w;
  }

  function post(w: Worker, message: ToWorker) {
    // A batch's numbers are handed over, not copied.
    w.postMessage(message, message.type === 'batch' ? [message.nums.buffer as ArrayBuffer] : []);
  }

  function send<T>(message: (seq: number) => ToWorker, records: number): Promise<T> {
    const w = start();
    if (!w) return Promise.reject(new Error(`The protocol trace writer is not running: ${records} records dropped`));
    const id = ++seq;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      post(w, message(id));
    });
  }

  return {
    write(batch, urgent) {
      const records = recordsIn(batch);
      return send<void>((seq) => ({ type: 'batch', seq, urgent, ...batch }), records);
    },
    prune(beforeMs) {
      return send((seq) => ({ type: 'prune', seq, beforeMs }), 0);
    },
    stop() {
      const w = worker;
      worker = undefined;
      givenUp = true;
      if (!w) return;
      const stopped = new SharedArrayBuffer(4);
      post(w, { type: 'stop', seq: ++seq, stopped });
      // Everything posted before 'stop' is committed once the worker flags it (messages are handled in order).
      const outcome = Atomics.wait(new Int32Array(stopped), 0, 0, STOP_WAIT_MS);
      if (outcome === 'timed-out') logger.warn('The protocol trace writer did not finish in time; its last records may be lost', { waitedMs: STOP_WAIT_MS });
      w.terminate();
      repo.checkpointElsewhere(false);
      // Their 'done' messages were not delivered before terminate: committed all the same (or lost, logged above).
      for (const waiter of waiting.values()) (outcome === 'timed-out' ? waiter.reject(new Error('The protocol trace writer was stopped')) : waiter.resolve(undefined));
      waiting.clear();
    },
  };
}

export type TraceRecorder = ReturnType<typeof createTraceRecorder>;

const MODULES = ['credentials', 'locations', 'sessions', 'cdrs', 'tariffs', 'tokens', 'commands', 'chargingprofiles', 'hubclientinfo'];

/** The OCPI module a partner's URL belongs to (their URLs are theirs to shape): a known module name in the path, else versions. */
export function moduleOfUrl(url: string): string {
  const segments = url.replace(/^[a-z]+:\/\/[^/]+/i, '').split('?')[0]!.split('/');
  return segments.find((s) => MODULES.includes(s.toLowerCase()))?.toLowerCase() ?? 'versions';
}
