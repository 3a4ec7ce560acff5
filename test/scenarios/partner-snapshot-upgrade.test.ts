/**
 * Partners registered before hubs were known (partner machine version 1, no HubClientInfo in its context) keep
 * working after the upgrade: their stored snapshot is read as version 2 and written back as such with its next
 * change. Checked on the real database (SQLite file or PostgreSQL) whose row is put back the way the previous build wrote it.
 */
import { afterAll, expect, test } from 'bun:test';
import { startFakeEmsp } from '../support/fake-emsp.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';
import { secondConnection } from '../support/test-database.ts';

const emsp = startFakeEmsp({ partyId: 'OLD' });
let server: TestServer | undefined;
afterAll(async () => {
  await server?.stop();
  emsp.stop();
  if (server) removeDir(server.dir);
});

/** A second connection to the server's database, waiting its turn while the server (or its trace worker) writes. */
const openDatabase = (config: TestServer['config']) => secondConnection(config, { readonly: false });

function storedRow(config: TestServer['config'], id: string) {
  const db = openDatabase(config);
  try {
    const row = db.query('select machine_version as version, snapshot from partners where id = ?').get(id) as { version: number; snapshot: string };
    return { version: row.version, snapshot: JSON.parse(row.snapshot) };
  } finally {
    db.close();
  }
}

test('a partner stored by machine version 1 is upgraded on load and keeps its connection', async () => {
  const first = startTestServer();
  const invitation = (await first.api('POST', '/api/v1/ocpi/invitations')).body;
  const { cpo } = await emsp.registerWith(invitation.versions_url, invitation.token);
  await first.stop();
  const { dir } = first;
  // The row as version 1 wrote it: the same snapshot without hubClientInfo.
  const written = storedRow(first.config, invitation.partner_id);
  expect(written.version).toBe(2);
  const { hubClientInfo: _, ...v1Context } = written.snapshot.context;
  const db = openDatabase(first.config);
  db.query('update partners set machine_version = 1, snapshot = ? where id = ?').run(JSON.stringify({ ...written.snapshot, context: v1Context }), invitation.partner_id);
  db.close();

  server = startTestServer({ dir });
  const view = await server.api('GET', `/api/v1/ocpi/partners/${invitation.partner_id}`);
  expect(view.status).toBe(200);
  expect(view.body).toMatchObject({ status: 'registered', parties: [{ country_code: 'DE', party_id: 'OLD', role: 'EMSP', status: 'CONNECTED' }] });
  expect((await server.ocpi('GET', '/ocpi/cpo/2.2.1/locations', cpo.token)).status).toBe(200);
  // Its next change (a credentials rotation) writes it back as version 2.
  const rotated = await server.ocpi('PUT', '/ocpi/cpo/2.2.1/credentials', cpo.token, emsp.credentials(emsp.issueTokenA()));
  expect(rotated.body.status_code).toBe(1000);
  const upgraded = storedRow(server.config, invitation.partner_id);
  expect(upgraded.version).toBe(2);
  expect(upgraded.snapshot.context.hubClientInfo).toEqual([]);
});
