/**
 * `bun run bench:storage`: what a station message costs the storage on each engine, in one run. One transaction
 * per message, as the actor host commits: the charge point's snapshot saved and one outbox row queued; then a
 * read of the snapshot outside a transaction. SQLite is the baseline: PostgreSQL's figure is printed as a ratio to
 * it. PostgreSQL at DATABASE_URL (default: the local server), in a database made for the run and dropped after.
 *
 *   bun run bench:storage [--messages 2000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresClient } from '../src/storage/postgres/client.ts';
import { createStorage, type Storage } from '../src/storage/storage.ts';
import { intArg } from './support/args.ts';

const argIndex = process.argv.indexOf('--messages');
const messages = argIndex > 0 ? intArg(process.argv[argIndex + 1], 1, 1_000_000, '--messages') : 2000;
const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const snapshot = { status: 'active', value: 'booted', context: { id: 'CP-BENCH', connectors: [1, 2].map((id) => ({ id, status: 'Available', errorCode: 'NoError' })), lastSeen: new Date(0).toISOString() } };

function run(storage: Storage) {
  storage.chargePoints.put('CP-BENCH', 'password-hash', new Date(0).toISOString());
  const write = () =>
    storage.transact(() => {
      storage.chargePoints.snapshots.save('CP-BENCH', 1, snapshot);
      storage.outbox.enqueue({ channel: 'bench', objectKey: 'location:L1', method: 'PATCH', module: 'locations', path: '/L1', body: { status: 'AVAILABLE' } }, Date.now());
    });
  for (let i = 0; i < 100; i++) write(); // warm-up: statements prepared, caches filled
  let started = performance.now();
  for (let i = 0; i < messages; i++) write();
  const writeUs = ((performance.now() - started) * 1000) / messages;
  started = performance.now();
  for (let i = 0; i < messages; i++) storage.chargePoints.snapshots.load('CP-BENCH');
  const readUs = ((performance.now() - started) * 1000) / messages;
  return { writeUs, readUs };
}

const dir = mkdtempSync(join(tmpdir(), 'dynamo-bench-storage-'));
const sqlite = createStorage(join(dir, 'bench.sqlite'));
const onSqlite = run(sqlite);
sqlite.close();
rmSync(dir, { recursive: true, force: true });

const name = `dynamo_bench_${process.pid}`;
const admin = new PostgresClient(server);
admin.exec(`CREATE DATABASE ${name}`);
try {
  const url = new URL(server);
  url.pathname = `/${name}`;
  const postgres = createStorage(url.toString());
  const onPostgres = run(postgres);
  postgres.close();
  const row = (engine: string, r: { writeUs: number; readUs: number }) =>
    `${engine.padEnd(11)} ${r.writeUs.toFixed(0).padStart(8)} µs ${(r.writeUs / onSqlite.writeUs).toFixed(1).padStart(6)}× ${r.readUs.toFixed(0).padStart(8)} µs ${(r.readUs / onSqlite.readUs).toFixed(1).padStart(6)}×`;
  console.log(`${messages} messages; per message: write transaction (snapshot + outbox row), snapshot read`);
  console.log(`${'engine'.padEnd(11)} ${'write'.padStart(11)} ${'ratio'.padStart(7)} ${'read'.padStart(11)} ${'ratio'.padStart(7)}`);
  console.log(row('SQLite', onSqlite));
  console.log(row('PostgreSQL', onPostgres));
} finally {
  admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  admin.close();
}
