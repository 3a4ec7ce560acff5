import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { capturingLogger } from '../support/capturing-logger.ts';
import { eventually } from '../support/eventually.ts';
import { connectStation, nextAnswer, STATION_PASSWORD, stationClient } from '../support/stations.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

/** What the server logged: a socket's close handler has run once its "Station disconnected" line is here. */
const { logger: capturing, lines } = capturingLogger();
const disconnects = (chargePointId: string) => lines.filter((l) => l.msg === 'Station disconnected' && l.fields?.chargePointId === chargePointId).length;

let server: TestServer;
beforeAll(() => {
  server = startTestServer({ logger: capturing });
});
afterAll(async () => {
  await server.stop();
  removeDir(server.dir);
});

const boot16 = { chargePointVendor: 'Acme', chargePointModel: 'AC-22', chargePointSerialNumber: 'SN-1', firmwareVersion: '1.2.3' };

describe('an OCPP 1.6 station', () => {
  test('boots, heartbeats and reports statuses; the operator sees it live', async () => {
    const { client, strictFailures } = await connectStation(server, 'CP-16');
    expect(client.protocol).toBe('ocpp1.6');
    const boot = (await client.call('BootNotification', boot16)) as { status: string; interval: number };
    expect(boot.status).toBe('Accepted');
    expect(boot.interval).toBe(300);
    await client.call('Heartbeat', {});
    await client.call('StatusNotification', { connectorId: 1, status: 'Preparing', errorCode: 'NoError' });
    const live = await server.api('GET', '/api/v1/charge-points/CP-16');
    expect(live.body).toMatchObject({ id: 'CP-16', connected: true, state: 'booted', protocol: 'ocpp1.6', boot: { vendor: 'Acme', model: 'AC-22', serial_number: 'SN-1' } });
    expect(live.body.connectors).toEqual([expect.objectContaining({ evse_id: 1, status: 'Preparing' })]);
    expect(strictFailures).toEqual([]);
    await client.close();
    await eventually(async () => expect((await server.api('GET', '/api/v1/charge-points/CP-16')).body).toMatchObject({ connected: false, state: 'disconnected' }));
  });

  test('an unknown action gets NotImplemented and a schema violation the right CALLERROR; the socket stays up', async () => {
    const { client } = await connectStation(server, 'CP-BAD');
    const notImplemented = nextAnswer(client, 'x1');
    client.sendRaw(JSON.stringify([2, 'x1', 'MakeCoffee', {}]));
    expect((await notImplemented)[2]).toBe('NotImplemented');
    const missing = nextAnswer(client, 'x2');
    client.sendRaw(JSON.stringify([2, 'x2', 'StatusNotification', { connectorId: 1, errorCode: 'NoError' }]));
    expect((await missing)[2]).toBe('OccurrenceConstraintViolation');
    const wrongType = nextAnswer(client, 'x3');
    client.sendRaw(JSON.stringify([2, 'x3', 'StatusNotification', { connectorId: 'one', status: 'Available', errorCode: 'NoError' }]));
    expect((await wrongType)[2]).toBe('TypeConstraintViolation');
    const badEnum = nextAnswer(client, 'x4');
    client.sendRaw(JSON.stringify([2, 'x4', 'StatusNotification', { connectorId: 1, status: 'Sleeping', errorCode: 'NoError' }]));
    expect((await badEnum)[2]).toBe('PropertyConstraintViolation');
    // A value no number reads, on a connector with no session to take it: answered as what it is, all the same.
    const notANumber = nextAnswer(client, 'x7');
    const sample = { value: 'abc', measurand: 'Energy.Active.Import.Register', unit: 'Wh' };
    client.sendRaw(JSON.stringify([2, 'x7', 'MeterValues', { connectorId: 1, meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [sample] }] }]));
    expect((await notANumber).slice(2, 4)).toEqual(['PropertyConstraintViolation', expect.stringContaining('"abc" is not a decimal number')]);
    // An "integer" no integer column holds exactly (the schema's type lets 1e94 through).
    const huge = nextAnswer(client, 'x6');
    client.sendRaw(JSON.stringify([2, 'x6', 'StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: -2.6e94, timestamp: new Date().toISOString() }]));
    expect((await huge).slice(2, 4)).toEqual(['PropertyConstraintViolation', `/meterStart is beyond ±${Number.MAX_SAFE_INTEGER}`]);
    // The same written out in digits (2^53 + 1, which JSON.parse reads as 2^53).
    const digits = nextAnswer(client, 'x8');
    client.sendRaw(`[2,"x8","StartTransaction",{"connectorId":1,"idTag":"TAG-1","meterStart":9007199254740993,"timestamp":"${new Date().toISOString()}"}]`);
    expect((await digits).slice(2, 4)).toEqual(['PropertyConstraintViolation', `/meterStart is beyond ±${Number.MAX_SAFE_INTEGER}`]);
    const notJson = nextAnswer(client, '-1');
    client.sendRaw('[2, "x5", "Heartbeat", {');
    expect((await notJson)[2]).toBe('FormationViolation');
    // Still connected and served.
    expect(await client.call('Heartbeat', {})).toHaveProperty('currentTime');
    await client.close();
  });

  test('a wrong password, an unknown id or no credentials get 401 before the upgrade', async () => {
    await server.api('PUT', '/api/v1/charge-points/CP-AUTH', { password: STATION_PASSWORD });
    for (const [id, password] of [
      ['CP-AUTH', 'wrong-password-0123456789'],
      ['CP-NOBODY', STATION_PASSWORD],
    ] as const) {
      const client = stationClient({ endpoint: server.ocppUrl, identity: id, protocols: ['ocpp1.6'], password });
      const error = await client.connect().then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error?.message).toContain('Unauthorized');
    }
    const bare = await fetch(`${server.url}/ocpp/CP-AUTH`, { headers: { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13', 'sec-websocket-protocol': 'ocpp1.6' } });
    expect(bare.status).toBe(401);
  });

  test('a station offering no protocol we speak is refused', async () => {
    const error = await connectStation(server, 'CP-OLD', { protocols: ['ocpp1.5'] }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error).toBeDefined();
  });

  test('a second authenticated connection replaces the first', async () => {
    const first = await connectStation(server, 'CP-DUP');
    const closed = new Promise((resolve) => first.client.once('close', resolve));
    const second = await connectStation(server, 'CP-DUP', { register: false });
    await closed;
    expect(await second.client.call('Heartbeat', {})).toHaveProperty('currentTime');
    // Once the replaced socket's close handler has run, its close can no longer disconnect the newcomer.
    await eventually(() => expect(disconnects('CP-DUP')).toBe(1));
    expect((await server.api('GET', '/api/v1/charge-points/CP-DUP')).body.connected).toBe(true);
    await second.client.close();
  });
});

describe('an OCPP 2.0.1 station', () => {
  test('boots and reports a connector status, offered both protocols it gets 2.0.1', async () => {
    const { client, strictFailures } = await connectStation(server, 'CP-201', { protocols: ['ocpp1.6', 'ocpp2.0.1'] });
    expect(client.protocol).toBe('ocpp2.0.1');
    const boot = (await client.call('BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'DC-150' } })) as { status: string };
    expect(boot.status).toBe('Accepted');
    await client.call('StatusNotification', { timestamp: new Date().toISOString(), connectorStatus: 'Occupied', evseId: 1, connectorId: 1 });
    const event = { eventId: 1, timestamp: new Date().toISOString(), trigger: 'Delta', actualValue: 'Occupied', eventNotificationType: 'HardWiredNotification', component: { name: 'Connector' }, variable: { name: 'AvailabilityState' } };
    expect(await client.call('NotifyEvent', { generatedAt: new Date().toISOString(), seqNo: 0, eventData: [event] })).toEqual({});
    const bad = nextAnswer(client, 'y1');
    client.sendRaw(JSON.stringify([2, 'y1', 'Heartbeat', { extra: true }]));
    expect((await bad)[2]).toBe('PropertyConstraintViolation');
    // A number no column holds exactly, deep in the payload's arrays: named by its path.
    const huge = nextAnswer(client, 'y2');
    const sampledValue = [{ value: 12.5 }, { value: 1e20, measurand: 'Energy.Active.Import.Register' }];
    client.sendRaw(JSON.stringify([2, 'y2', 'MeterValues', { evseId: 1, meterValue: [{ timestamp: new Date().toISOString(), sampledValue }] }]));
    expect((await huge).slice(2, 4)).toEqual(['PropertyConstraintViolation', `/meterValue/0/sampledValue/1/value is beyond ±${Number.MAX_SAFE_INTEGER}`]);
    const live = await server.api('GET', '/api/v1/charge-points/CP-201');
    expect(live.body).toMatchObject({ protocol: 'ocpp2.0.1', state: 'booted' });
    expect(live.body.connectors).toEqual([expect.objectContaining({ evse_id: 1, connector_id: 1, status: 'Occupied' })]);
    expect(strictFailures).toEqual([]);
    await client.close();
  });
});

describe('a station sending nothing but garbage', () => {
  test('is answered frame by frame, and closed (1008) only after a generous budget; others are unaffected', async () => {
    const noisy = await connectStation(server, 'CP-NOISY');
    const calm = await connectStation(server, 'CP-CALM');
    const closed = new Promise<{ code: number }>((resolve) => noisy.client.once('close', resolve));
    const answered = nextAnswer(noisy.client, '-1');
    noisy.client.sendRaw('not json at all');
    expect((await answered)[2]).toBe('FormationViolation');
    for (let i = 0; i < 40; i++) noisy.client.sendRaw('{ still not ocpp');
    expect((await closed).code).toBe(1008);
    expect(await calm.client.call('Heartbeat', {})).toHaveProperty('currentTime');
    await calm.client.close();
  });
});
