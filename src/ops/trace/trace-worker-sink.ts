/**
 * Where the protocol trace's batches go: the trace worker (src/composition/trace-worker.ts) for a database file,
 * which runs at the lowest CPU priority (a saturated node answers its stations first; what the worker cannot keep up
 * with waits here, and past the recorder's bound is dropped and counted).
 */
import type { Logger } from '../../lib/logger.ts';
import type { TraceRepo } from '../../storage/sqlite/trace.repo.ts';
import type { FromWorker, ToWorker } from '../../composition/trace-worker.ts';
import { recordsIn, type EncodedBatch } from './trace-batch.ts';
import type { TraceSettings } from './trace-recorder.ts';

/** How long `stop()` waits for the worker to commit what is left. */
const STOP_WAIT_MS = 10_000;
/** After a worker crash, a new one is started no sooner than this; after this many crashes in a row, none. */
const RESTART_DELAY_MS = 5_000;
const MAX_CRASHES = 5;

/** Where batches go: the worker (a database file), or the main thread (`:memory:`). */
export interface Sink {
  /** Resolves once the batch is committed (it was lost if it rejects; the loss is already logged); `urgent`: not held. */
  write(batch: EncodedBatch, urgent: boolean): Promise<void>;
  prune(beforeMs: number): Promise<{ old: number; excess: number }>;
  /** Synchronous: what was written before is committed when this returns (or given up on after STOP_WAIT_MS). */
  stop(): void;
  /** Records handed over and not yet committed (or lost). */
  backlog(): number;
}

/**
 * Batches posted to the trace worker. A crashed worker is logged (the batches it held are lost, their flushes
 * reject) and replaced on the next batch, at most every RESTART_DELAY_MS; after MAX_CRASHES crashes in a row the
 * trace is given up (logged) and records are dropped, the service carries on.
 */
export function workerSink(repo: TraceRepo, settings: TraceSettings, logger: Logger): Sink {
  const path = repo.path;
  type Waiter = { resolve: (value: any) => void; reject: (error: Error) => void; records: number };
  let worker: Worker | undefined;
  let seq = 0;
  const waiting = new Map<number, Waiter>();
  let crashes = 0;
  let lastCrashMs = 0;
  let givenUp = false;
  let backlog = 0;
  /** The waiter of `seq`, forgotten (its records leave the backlog). */
  function settle(seq: number): Waiter | undefined {
    const waiter = waiting.get(seq);
    waiting.delete(seq);
    if (waiter) backlog -= waiter.records;
    return waiter;
  }
  function settleAll(): Waiter[] {
    const all = [...waiting.values()];
    waiting.clear();
    backlog = 0;
    return all;
  }

  function start(): Worker | undefined {
    if (worker) return worker;
    if (givenUp || (crashes > 0 && performance.now() - lastCrashMs < RESTART_DELAY_MS)) return undefined;
    const w = new Worker(new URL('../../composition/trace-worker.ts', import.meta.url));
    // Never what keeps the process alive: stop() ends it, and a process exiting without stop() loses ≤ one batch.
    w.unref();
    w.addEventListener('message', (event: MessageEvent<FromWorker>) => {
      const message = event.data;
      const waiter = settle(message.seq);
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
      for (const waiter of settleAll()) waiter.reject(error);
    });
    post(w, { type: 'open', path, maxRows: settings.maxRows });
    // The worker checkpoints the service's WAL (passively, every second): a checkpoint copies pages and syncs the
    // file, which on the service's thread is a stall of every station behind a disk flush.
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
      waiting.set(id, { resolve, reject, records });
      backlog += records;
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
      for (const waiter of settleAll()) (outcome === 'timed-out' ? waiter.reject(new Error('The protocol trace writer was stopped')) : waiter.resolve(undefined));
    },
    backlog: () => backlog,
  };
}
