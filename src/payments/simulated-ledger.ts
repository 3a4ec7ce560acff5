/**
 * The simulated provider's ledger: an append-only list of what happened to each simulated payment (holds,
 * declines, captures, releases) with amounts and the idempotency key of the call that did it. It is both the
 * simulation's state and its audit trail, and it answers repeated idempotency keys.
 *
 * The interface is synchronous on purpose: the simulated provider checks and appends in one synchronous step, so two
 * calls can never interleave between "is this key known?" and "record it" (bun:sqlite is synchronous too).
 *
 * Two implementations: in memory (tests), and SQLite in its own table `simulated_payments` so the ledger survives a
 * restart and can be inspected after a `kill -9` with any SQLite client:
 *
 *   SELECT seq, reference, entry, amount_minor, currency, idempotency_key FROM simulated_payments ORDER BY seq;
 */
import type { Database } from 'bun:sqlite';

/**
 * - `hold`: `amountMinor` authorized on the card.
 * - `decline`: a hold the issuer declined (`amountMinor` is what was asked; nothing moved).
 * - `failure`: a hold that failed with a processing error (nothing moved).
 * - `capture`: `amountMinor` taken.
 * - `release`: `amountMinor` of the hold given back (the rest after a smaller capture, or the whole hold).
 */
export type SimulatedEntryKind = 'hold' | 'decline' | 'failure' | 'capture' | 'release';

export interface SimulatedLedgerEntryInput {
  /** The simulated PaymentIntent id (`pi_sim_...`). */
  reference: string;
  entry: SimulatedEntryKind;
  amountMinor: number;
  currency: string;
  /** The key of the call that made this entry (a capture's remainder release carries the capture's key). */
  idempotencyKey: string;
  paymentMethodId?: string;
  /** Canonical JSON of the call's parameters: the same key with other parameters is refused, as at Stripe. */
  request: string;
  /** JSON of the result the call answered, replayed for a repeated key. */
  result: string;
  /** ISO timestamp. */
  at: string;
}

export interface SimulatedLedgerEntry extends SimulatedLedgerEntryInput {
  /** Order of recording, ascending. */
  seq: number;
}

export interface SimulatedLedger {
  /** Appends all entries or none, durably before returning. */
  append(entries: readonly SimulatedLedgerEntryInput[]): void;
  /** Entries recorded under this idempotency key, oldest first; empty if the key was never used. */
  byIdempotencyKey(idempotencyKey: string): SimulatedLedgerEntry[];
  /** One payment's entries, oldest first. */
  byReference(reference: string): SimulatedLedgerEntry[];
  /** Everything, oldest first. */
  all(): SimulatedLedgerEntry[];
}

export function createMemorySimulatedLedger(): SimulatedLedger {
  const entries: SimulatedLedgerEntry[] = [];
  return {
    append(input) {
      let seq = entries.length;
      const rows = input.map((e) => ({ ...e, seq: ++seq }));
      entries.push(...rows);
    },
    byIdempotencyKey: (key) => entries.filter((e) => e.idempotencyKey === key).map((e) => ({ ...e })),
    byReference: (reference) => entries.filter((e) => e.reference === reference).map((e) => ({ ...e })),
    all: () => entries.map((e) => ({ ...e })),
  };
}

interface Row {
  seq: number;
  reference: string;
  entry: SimulatedEntryKind;
  amount_minor: number;
  currency: string;
  idempotency_key: string;
  payment_method_id: string | null;
  request: string;
  result: string;
  at: string;
}

function fromRow(row: Row): SimulatedLedgerEntry {
  return {
    seq: row.seq,
    reference: row.reference,
    entry: row.entry,
    amountMinor: row.amount_minor,
    currency: row.currency,
    idempotencyKey: row.idempotency_key,
    ...(row.payment_method_id === null ? {} : { paymentMethodId: row.payment_method_id }),
    request: row.request,
    result: row.result,
    at: row.at,
  };
}

/**
 * A ledger in `db`, in its own table `simulated_payments` (created if missing; no migration needed). Each append is
 * one transaction: whatever the process answered is already committed, so it survives `kill -9` (with the
 * service's WAL + synchronous=NORMAL, a committed transaction survives a process crash).
 */
export function createSqliteSimulatedLedger(db: Database): SimulatedLedger {
  db.run(`CREATE TABLE IF NOT EXISTS simulated_payments (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    reference TEXT NOT NULL,
    entry TEXT NOT NULL CHECK (entry IN ('hold', 'decline', 'failure', 'capture', 'release')),
    amount_minor INTEGER NOT NULL,
    currency TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    payment_method_id TEXT,
    request TEXT NOT NULL,
    result TEXT NOT NULL,
    at TEXT NOT NULL
  )`);
  db.run('CREATE INDEX IF NOT EXISTS simulated_payments_by_reference ON simulated_payments (reference, seq)');
  db.run('CREATE INDEX IF NOT EXISTS simulated_payments_by_key ON simulated_payments (idempotency_key, seq)');

  const columns = 'seq, reference, entry, amount_minor, currency, idempotency_key, payment_method_id, request, result, at';
  const insert = db.prepare(
    `INSERT INTO simulated_payments (reference, entry, amount_minor, currency, idempotency_key, payment_method_id, request, result, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const byKey = db.prepare<Row, [string]>(`SELECT ${columns} FROM simulated_payments WHERE idempotency_key = ? ORDER BY seq`);
  const byReference = db.prepare<Row, [string]>(`SELECT ${columns} FROM simulated_payments WHERE reference = ? ORDER BY seq`);
  const all = db.prepare<Row, []>(`SELECT ${columns} FROM simulated_payments ORDER BY seq`);

  const appendAll = db.transaction((input: readonly SimulatedLedgerEntryInput[]) => {
    for (const e of input)
      insert.run(e.reference, e.entry, e.amountMinor, e.currency, e.idempotencyKey, e.paymentMethodId ?? null, e.request, e.result, e.at);
  });

  return {
    append: (input) => {
      appendAll(input);
    },
    byIdempotencyKey: (key) => byKey.all(key).map(fromRow),
    byReference: (reference) => byReference.all(reference).map(fromRow),
    all: () => all.all().map(fromRow),
  };
}

export type SimulatedPaymentStatus = 'held' | 'declined' | 'failed' | 'captured' | 'released';

/** One simulated payment as its ledger entries add up. */
export interface SimulatedPayment {
  reference: string;
  status: SimulatedPaymentStatus;
  currency: string;
  paymentMethodId?: string;
  /** What the hold authorized (0 for a declined or failed one). */
  heldMinor: number;
  capturedMinor: number;
  releasedMinor: number;
  /** Still authorized and capturable: heldMinor − captured − released while held, else 0. */
  capturableMinor: number;
  entries: SimulatedLedgerEntry[];
}

/** Folds a payment's entries (oldest first) into its state; undefined for no entries. */
export function summarizeSimulatedPayment(entries: readonly SimulatedLedgerEntry[]): SimulatedPayment | undefined {
  const first = entries[0];
  if (!first) return undefined;
  let status: SimulatedPaymentStatus = 'held';
  let heldMinor = 0;
  let capturedMinor = 0;
  let releasedMinor = 0;
  for (const e of entries) {
    switch (e.entry) {
      case 'hold':
        heldMinor += e.amountMinor;
        status = 'held';
        break;
      case 'decline':
        status = 'declined';
        break;
      case 'failure':
        status = 'failed';
        break;
      case 'capture':
        capturedMinor += e.amountMinor;
        status = 'captured';
        break;
      case 'release':
        releasedMinor += e.amountMinor;
        if (status !== 'captured') status = 'released';
        break;
    }
  }
  return {
    reference: first.reference,
    status,
    currency: first.currency,
    ...(first.paymentMethodId === undefined ? {} : { paymentMethodId: first.paymentMethodId }),
    heldMinor,
    capturedMinor,
    releasedMinor,
    capturableMinor: status === 'held' ? heldMinor - capturedMinor - releasedMinor : 0,
    entries: [...entries],
  };
}
