/**
 * A large network written straight into a bench database, without a server and without a boot per station: N
 * registered charge points (password hash as the API stores it) whose actors' snapshots are those of real
 * charge-point actors, and S open sessions started through the session actors themselves (one on connector 1 of
 * each of the first S stations). The first `online` stations are left as a crashed node leaves them: booted and
 * connected; the others were disconnected a day ago.
 */
import { createActor } from 'xstate';
import { CHARGE_POINT_MACHINE_VERSION, chargePointMachine } from '../../actors/charge-point/charge-point.machine.ts';
import { createApp } from '../../src/app.ts';
import type { Config } from '../../src/config.ts';
import { ocpiDateTime } from '../../src/lib/clock.ts';
import { createSecrets } from '../../src/lib/secrets.ts';
import type { Token } from '../../src/model/ocpi/token.ts';
import { stationId } from './station-ids.ts';

export { stationId };

export function seedNetwork(config: Config, { chargePoints, online, sessions, password }: { chargePoints: number; online: number; sessions: number; password: string }) {
  const service = createApp(config, { logger: { info: () => {}, warn: () => {}, error: () => {} } });
  try {
    const { sqlite, transact } = service.storage;
    const now = new Date();
    const at = ocpiDateTime(now);
    const dayAgo = ocpiDateTime(new Date(now.getTime() - 86_400_000));
    const onlineSnapshot = templateSnapshot([
      { type: 'CONNECTED', protocol: 'ocpp1.6', at },
      { type: 'BOOTED', vendor: 'Bench', model: 'Restart', at },
      { type: 'CONNECTOR_STATUS', evseId: 1, status: 'Available', at },
    ]);
    const offlineSnapshot = templateSnapshot([
      { type: 'CONNECTED', protocol: 'ocpp1.6', at: dayAgo },
      { type: 'BOOTED', vendor: 'Bench', model: 'Restart', at: dayAgo },
      { type: 'CONNECTOR_STATUS', evseId: 1, status: 'Available', at: dayAgo },
      { type: 'DISCONNECTED', at: new Date(now.getTime() - 86_400_000).toISOString() },
    ]);
    const passwordHash = createSecrets(config.secretKey).hash(password);
    const insert = sqlite.prepare(
      'INSERT INTO charge_points (id, password_hash, created_at, updated_at, machine_version, snapshot) VALUES (?, ?, ?, ?, ?, ?)',
    );
    transact(() => {
      for (let i = 0; i < chargePoints; i += 1) {
        const id = stationId(i);
        const snapshot = i < online ? onlineSnapshot : offlineSnapshot;
        snapshot.context.id = id;
        insert.run(id, passwordHash, at, at, CHARGE_POINT_MACHINE_VERSION, JSON.stringify(snapshot));
      }
    });
    const token = (uid: string): Token => ({
      country_code: 'DE', party_id: 'EMS', uid, type: 'RFID', contract_id: `DE-EMS-${uid}`, issuer: 'Bench eMSP', valid: true, whitelist: 'ALLOWED', last_updated: at,
    });
    transact(() => {
      for (let i = 0; i < sessions; i += 1) {
        const chargePointId = stationId(i);
        const idTag = `TAG${i}`;
        const transactionId = service.sessions.ocpp16TransactionId({ chargePointId, connectorId: 1, idTag, timestamp: at, meterStart: 0 });
        service.sessions.start({
          chargePointId, protocol: 'ocpp1.6', transactionId: String(transactionId), ocppEvseId: 1, startAt: at, meterStartKwh: '0',
          authorization: { decision: 'ALLOWED', token: token(idTag), authMethod: 'WHITELIST' },
        });
      }
    });
  } finally {
    service.close();
  }
}

/** The persisted snapshot of a charge-point actor after `events` (its actions are the machine's no-op defaults). */
function templateSnapshot(events: Parameters<ReturnType<typeof createActor<typeof chargePointMachine>>['send']>[0][]) {
  const actor = createActor(chargePointMachine, { input: { id: 'TEMPLATE' } }).start();
  for (const event of events) actor.send(event);
  const snapshot = actor.getPersistedSnapshot() as unknown as { context: { id: string } };
  actor.stop();
  return snapshot;
}
