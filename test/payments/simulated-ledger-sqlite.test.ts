import { afterAll, describe, expect, test } from 'bun:test';
import { Database } from 'bun:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimulatedPaymentProvider } from '../../src/payments/simulated.ts';
import { createSqliteSimulatedLedger } from '../../src/payments/simulated-ledger.ts';

const dir = mkdtempSync(join(tmpdir(), 'dynamo-payments-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Opened the way the service opens its database (src/storage/sqlite/db.ts). */
function open(path: string) {
  const db = new Database(path, { create: true, strict: true });
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  return db;
}

describe('SQLite ledger for the simulated provider', () => {
  test('creates its own table, idempotently', () => {
    const db = open(':memory:');
    createSqliteSimulatedLedger(db);
    createSqliteSimulatedLedger(db);
    const tables = db.query<{ name: string }, []>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'simulated_payments'").all();
    expect(tables).toEqual([{ name: 'simulated_payments' }]);
    db.close();
  });

  test('the ledger and idempotency survive reopening the database file', async () => {
    const path = join(dir, 'reopen.sqlite');
    let db = open(path);
    let provider = createSimulatedPaymentProvider(createSqliteSimulatedLedger(db));
    const held = await provider.hold({ paymentMethodId: 'pm_card_mastercard', amountMinor: 2500, currency: 'EUR', idempotencyKey: 'gs9:hold' });
    if (!held.ok) throw new Error(held.reason);
    db.close();

    // "Restart": a new connection and a new provider on the same file.
    db = open(path);
    provider = createSimulatedPaymentProvider(createSqliteSimulatedLedger(db));
    // The same hold key replays the same hold instead of placing a second one.
    expect(await provider.hold({ paymentMethodId: 'pm_card_mastercard', amountMinor: 2500, currency: 'EUR', idempotencyKey: 'gs9:hold' })).toEqual(held);
    expect(provider.payment(held.reference)).toMatchObject({ status: 'held', heldMinor: 2500, capturableMinor: 2500 });
    expect(await provider.capture({ holdReference: held.reference, amountMinor: 1999, idempotencyKey: 'gs9:capture' })).toMatchObject({ ok: true, capturedMinor: 1999 });
    db.close();

    db = open(path);
    provider = createSimulatedPaymentProvider(createSqliteSimulatedLedger(db));
    // The capture key replays after another restart: still exactly one capture.
    expect(await provider.capture({ holdReference: held.reference, amountMinor: 1999, idempotencyKey: 'gs9:capture' })).toMatchObject({ ok: true, capturedMinor: 1999 });
    expect(provider.ledger.byReference(held.reference).map((e) => [e.entry, e.amountMinor, e.idempotencyKey])).toEqual([
      ['hold', 2500, 'gs9:hold'],
      ['capture', 1999, 'gs9:capture'],
      ['release', 501, 'gs9:capture'],
    ]);
    expect(provider.ledger.byReference(held.reference)[0]).toMatchObject({ paymentMethodId: 'pm_card_mastercard', currency: 'EUR' });
    db.close();
  });

  test('the ledger is inspectable with plain SQL after a kill -9 of the process that wrote it', async () => {
    const path = join(dir, 'killed.sqlite');
    const script = `
      import { Database } from 'bun:sqlite';
      import { createSimulatedPaymentProvider } from ${JSON.stringify(join(import.meta.dir, '../../src/payments/simulated.ts'))};
      import { createSqliteSimulatedLedger } from ${JSON.stringify(join(import.meta.dir, '../../src/payments/simulated-ledger.ts'))};
      const db = new Database(${JSON.stringify(path)}, { create: true, strict: true });
      db.exec('PRAGMA journal_mode = WAL');
      db.exec('PRAGMA synchronous = NORMAL');
      const provider = createSimulatedPaymentProvider(createSqliteSimulatedLedger(db));
      const held = await provider.hold({ paymentMethodId: 'pm_card_visa', amountMinor: 5000, currency: 'EUR', idempotencyKey: 'gs-k9:hold' });
      await provider.capture({ holdReference: held.reference, amountMinor: 4200, idempotencyKey: 'gs-k9:capture' });
      console.log('answered ' + held.reference);
      setInterval(() => {}, 1000); // stay alive until killed, connection open
    `;
    const child = Bun.spawn(['bun', '-e', script], { stdout: 'pipe', stderr: 'pipe' });
    const reader = child.stdout.getReader();
    let out = '';
    while (!out.includes('\n')) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`child exited early: ${await new Response(child.stderr).text()}`);
      out += new TextDecoder().decode(value);
    }
    child.kill('SIGKILL');
    await child.exited;
    expect(child.signalCode).toBe('SIGKILL');
    const reference = out.trim().split(' ')[1];

    const db = new Database(path);
    const rows = db
      .query<{ entry: string; amount_minor: number; idempotency_key: string }, [string]>(
        'SELECT entry, amount_minor, idempotency_key FROM simulated_payments WHERE reference = ? ORDER BY seq',
      )
      .all(reference ?? '');
    expect(rows).toEqual([
      { entry: 'hold', amount_minor: 5000, idempotency_key: 'gs-k9:hold' },
      { entry: 'capture', amount_minor: 4200, idempotency_key: 'gs-k9:capture' },
      { entry: 'release', amount_minor: 800, idempotency_key: 'gs-k9:capture' },
    ]);
    db.close();
  });

  test('a multi-entry append is all or nothing', () => {
    const db = open(':memory:');
    const ledger = createSqliteSimulatedLedger(db);
    const entry = {
      reference: 'pi_sim_x',
      entry: 'hold' as const,
      amountMinor: 1,
      currency: 'EUR',
      idempotencyKey: 'k',
      request: '{}',
      result: '{}',
      at: new Date(0).toISOString(),
    };
    expect(() => ledger.append([entry, { ...entry, entry: 'bogus' as 'hold' }])).toThrow();
    expect(ledger.all()).toEqual([]);
    db.close();
  });
});
