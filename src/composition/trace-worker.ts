/**
 * The protocol trace's writer thread (a Bun Worker started by src/ops/trace/trace-recorder.ts), and the composition
 * root of that thread: it wires its own SQLite connection to the trace writer. It has its own connection to the
 * service's database file (WAL: one writer at a time, readers never blocked), and does everything the main
 * thread must not pay for per frame: parsing, pairing answers with their CALLs, session look-ups, redaction,
 * inserts, and pruning. Each batch is prepared first and inserted in one short transaction, so SQLite's write lock
 * (which the service's own writes wait on) is held only for the inserts.
 *
 * Messages in (in order): `open`, then any of `batch`, `prune`, `stop`. Out: `done` (a batch or prune committed,
 * with its sequence number) and `failed` (a batch lost, for the main thread's log).
 */
import { Database } from 'bun:sqlite';
import { traceRepo, type TraceRepo } from '../storage/sqlite/trace.repo.ts';
import { decodeBatch, type EncodedBatch } from '../ops/trace/trace-batch.ts';
import { traceWriter } from '../ops/trace/trace-writer.ts';

export type ToWorker =
  | { type: 'open'; path: string; maxRows: number }
  | ({ type: 'batch'; seq: number } & EncodedBatch)
  | { type: 'prune'; seq: number; beforeMs: number }
  | { type: 'stop'; seq: number; stopped: SharedArrayBuffer };

export type FromWorker =
  | { type: 'done'; seq: number; pruned?: { old: number; excess: number } }
  | { type: 'failed'; seq: number; what: 'write' | 'prune'; records: number; message: string };

declare const self: Worker;

let sqlite: Database | undefined;
let repo: TraceRepo;
let writer: ReturnType<typeof traceWriter>;
let maxRows = Number.POSITIVE_INFINITY;

const reply = (message: FromWorker) => self.postMessage(message);

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'open':
      open(message.path);
      maxRows = message.maxRows;
      return;
    case 'batch':
      return write(message);
    case 'prune':
      return prune(message.seq, message.beforeMs);
    case 'stop': {
      sqlite?.close();
      sqlite = undefined;
      const stopped = new Int32Array(message.stopped);
      Atomics.store(stopped, 0, 1);
      Atomics.notify(stopped, 0);
      return;
    }
  }
};

function open(path: string) {
  // The main thread created the file and applied the migrations; this connection only reads sessions and writes the trace.
  sqlite = new Database(path, { strict: true });
  // journal_mode is the file's (WAL, set by the service); these two are per connection.
  sqlite.exec('PRAGMA busy_timeout = 5000');
  sqlite.exec('PRAGMA synchronous = NORMAL');
  repo = traceRepo(sqlite);
  writer = traceWriter(repo, {
    sessionOfTransaction: (chargePointId, transactionId) => repo.sessionOfTransaction(chargePointId, transactionId),
    // Outgoing calls arrive with their partner already named (the main thread knows the partners).
    partnersForBatch: () => () => undefined,
  });
}

function write(batch: { seq: number } & EncodedBatch) {
  const records = batch.nums.length / 3;
  try {
    if (records > 0) {
      const rows = writer.prepare(decodeBatch(batch));
      sqlite!.transaction(() => writer.commit(rows)).immediate();
      repo.deleteBeyond(maxRows);
    }
    reply({ type: 'done', seq: batch.seq });
  } catch (error) {
    // The trace is a diagnostic: a lost batch is reported, the worker carries on.
    reply({ type: 'failed', seq: batch.seq, what: 'write', records, message: (error as Error).message });
  }
}

function prune(seq: number, beforeMs: number) {
  try {
    const old = repo.deleteOlderThan(beforeMs);
    const excess = repo.deleteBeyond(maxRows);
    reply({ type: 'done', seq, pruned: { old, excess } });
  } catch (error) {
    reply({ type: 'failed', seq, what: 'prune', records: 0, message: (error as Error).message });
  }
}
