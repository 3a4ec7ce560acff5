/**
 * The protocol trace's writer thread (a Bun Worker started by src/ops/trace/trace-recorder.ts), and the composition
 * root of that thread: it wires its own SQLite connection (or PostgreSQL's, with DATABASE_URL) to the trace writer. It has its own connection to the
 * service's database file, with the trace's own file attached (trace.repo.ts), and does everything the main
 * thread must not pay for per frame: parsing, pairing answers with their CALLs, session look-ups, redaction,
 * inserts, pruning, and the WAL's checkpoints (of both files). Rows are written in deferred transactions, which
 * take the trace file's write lock only: the service's commits never wait on them.
 *
 * Batches the main thread's timer posts (`urgent: false`) are prepared at once but held, and committed together
 * about once a second (HOLD_MS, or sooner past HOLD_ROWS): the station index is keyed by charge point, so every
 * commit rewrites a page of it per station that spoke, whatever the number of rows per station; committing four
 * 250 ms batches as one writes those pages once instead of four times. An urgent batch (an explicit flush), a prune
 * or `stop` commits what is held first.
 *
 * Messages in (in order): `open`, then any of `batch`, `prune`, `stop`. Out: `done` (a batch or prune committed,
 * with its sequence number) and `failed` (a batch lost, for the main thread's log).
 */
import { Database } from 'bun:sqlite';
import { setPriority } from 'node:os';
import { traceRepo, type TraceRepo } from '../storage/sqlite/trace.repo.ts';
import { connectPostgres, isPostgresUrl } from '../storage/postgres/db.ts';
import { decodeBatch, recordsIn, type EncodedBatch } from '../ops/trace/trace-batch.ts';
import { traceWriter } from '../ops/trace/trace-writer.ts';

export type ToWorker =
  | { type: 'open'; path: string; maxRows: number }
  | ({ type: 'batch'; seq: number; urgent: boolean } & EncodedBatch)
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

/** Prepared rows not yet committed, and the batches they came from (answered once committed). */
const HOLD_MS = 1000;
const HOLD_ROWS = 20_000;
/** The worker's page cache: the station index's pages are rewritten at random, reading them back costs a syscall each. */
const CACHE_KIB = 32 * 1024;
let held: ReturnType<ReturnType<typeof traceWriter>['prepare']> = [];
let heldBatches: { seq: number; records: number }[] = [];
let holdTimer: ReturnType<typeof setTimeout> | undefined;
let lastCheckpointMs = 0;

const reply = (message: FromWorker) => self.postMessage(message);

/**
 * The lowest CPU priority, for this thread only (Linux keeps a nice value per thread; elsewhere it would be the
 * whole process's): sharing a busy core, the station path runs first and the trace takes what is left.
 */
if (process.platform === 'linux') {
  try {
    setPriority(0, 19);
  } catch {
    // Not allowed here: the trace runs at the service's priority.
  }
}

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
      commitHeld();
      return prune(message.seq, message.beforeMs);
    case 'stop': {
      commitHeld();
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
  // The main thread created the database and applied the migrations; this connection only reads sessions and writes the trace.
  sqlite = isPostgresUrl(path) ? connectPostgres(path) : openSqlite(path);
  repo = traceRepo(sqlite, 'writer');
  writer = traceWriter(repo, {
    sessionOfTransaction: (chargePointId, transactionId) => repo.sessionOfTransaction(chargePointId, transactionId),
    // Outgoing calls arrive with their partner already named (the main thread knows the partners).
    partnersForBatch: () => () => undefined,
  });
}

function openSqlite(path: string) {
  const db = new Database(path, { strict: true });
  // journal_mode is the file's (WAL, set by the service); these two are per connection.
  db.exec('PRAGMA busy_timeout = 5000');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec(`PRAGMA cache_size = -${CACHE_KIB}`);
  return db;
}

function write(batch: { seq: number; urgent: boolean } & EncodedBatch) {
  const records = recordsIn(batch);
  try {
    if (records > 0) held.push(...writer.prepare(decodeBatch(batch)));
  } catch (error) {
    reply({ type: 'failed', seq: batch.seq, what: 'write', records, message: (error as Error).message });
    return;
  }
  heldBatches.push({ seq: batch.seq, records });
  if (batch.urgent || held.length >= HOLD_ROWS) commitHeld();
  else holdTimer ??= setTimeout(commitHeld, HOLD_MS);
}

/** Commits the held rows in one transaction and answers their batches; checkpoints the WAL now and then. */
function commitHeld() {
  if (holdTimer) clearTimeout(holdTimer);
  holdTimer = undefined;
  const rows = held;
  const batches = heldBatches;
  held = [];
  heldBatches = [];
  if (batches.length === 0) return;
  try {
    if (rows.length > 0) {
      // Deferred: BEGIN IMMEDIATE would take the service file's write lock too.
      sqlite!.transaction(() => writer.commit(rows)).deferred();
      repo.deleteBeyond(maxRows);
    }
    for (const { seq } of batches) reply({ type: 'done', seq });
  } catch (error) {
    // The trace is a diagnostic: a lost batch is reported, the worker carries on.
    for (const { seq, records } of batches) reply({ type: 'failed', seq, what: 'write', records, message: (error as Error).message });
  }
  checkpoint();
}

/**
 * The service's connection does not checkpoint while this worker runs (unless its WAL passes 10,000 pages:
 * trace.repo.ts `checkpointElsewhere`): this one does, passively, at least once a second whatever was written, for
 * both files (the trace's also after its own commits, SQLite's automatic one).
 */
function checkpoint() {
  const now = performance.now();
  if (now - lastCheckpointMs < 1000) return;
  lastCheckpointMs = now;
  try {
    repo.checkpoint();
  } catch {
    // Busy or locked: the next one will do.
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
