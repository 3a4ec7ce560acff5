import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { AddressInfo } from 'node:net';
import { RPCServer } from 'ocpp-rpc';
import { createRandom } from '../../../src/sim/random.ts';
import { createSimClock } from '../../../src/sim/sim-clock.ts';
import { createSimStation, type SimStation, type StationEvent } from '../../../src/sim/stations/sim-station.ts';
import { eventually } from '../../support/eventually.ts';

/**
 * Calls our CSMS never makes (configuration, triggers, device model variables) against a strict ocpp-rpc server
 * playing the CSMS: it validates every message of the station, in both directions, against the official schemas.
 */
type Client = { identity: string; call(method: string, params?: unknown): Promise<any>; handle(method: string | ((o: any) => Promise<any>), handler?: (o: any) => Promise<any>): void };

const received: { station: string; action: string; params: any }[] = [];
const clients = new Map<string, Client>();
const passwords = new Map<string, string>();
const events: StationEvent[] = [];
const stations: SimStation[] = [];
let csms: RPCServer;
let url: string;
let transactionIds = 100;

beforeAll(async () => {
  csms = new RPCServer({ protocols: ['ocpp1.6', 'ocpp2.0.1'], strictMode: true });
  csms.auth((accept, reject, handshake) => {
    if (handshake.password?.toString() === passwords.get(handshake.identity)) accept();
    else reject(401, 'Unauthorized');
  });
  csms.on('client', (client: Client) => {
    clients.set(client.identity, client);
    client.handle(async ({ method, params }) => {
      received.push({ station: client.identity, action: method, params });
      const now = new Date().toISOString();
      switch (method) {
        case 'BootNotification':
          return { status: 'Accepted', currentTime: now, interval: 300 };
        case 'Heartbeat':
          return { currentTime: now };
        case 'Authorize':
          return params.idToken ? { idTokenInfo: { status: 'Accepted' } } : { idTagInfo: { status: 'Accepted' } };
        case 'StartTransaction':
          return { transactionId: transactionIds++, idTagInfo: { status: 'Accepted' } };
        default:
          return {};
      }
    });
  });
  const http = await csms.listen(0, '127.0.0.1');
  url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await Promise.all(stations.map((s) => s.stop()));
  await csms.close({ force: true });
});

async function online(id: string, protocol: 'ocpp1.6' | 'ocpp2.0.1') {
  passwords.set(id, 'answers-password-0123456789');
  const s = createSimStation({
    ocppUrl: url, id, password: passwords.get(id)!, protocol, connectors: 2, maxPowerKw: 22, meterIntervalS: 60,
    clock: createSimClock(600), random: createRandom(7), onEvent: (e) => events.push(e),
  });
  stations.push(s);
  await s.connect();
  return { s, csms: clients.get(id)! };
}
const from = (station: string, action: string) => received.filter((r) => r.station === station && r.action === action).map((r) => r.params);
const errorsOf = (id: string) => events.filter((e) => e.station === id && e.kind === 'error').map((e) => e.message);

describe('an OCPP 1.6 simulated station answers', () => {
  test('configuration: plausible keys, write-only AuthorizationKey, refusals; a new AuthorizationKey is used on the next connection', async () => {
    const { s, csms: cs } = await online('ANS16', 'ocpp1.6');
    expect(from('ANS16', 'BootNotification')[0]).toMatchObject({ chargePointVendor: 'Dynamo Sim', chargePointModel: 'AC-22kW' });
    await eventually(() => expect(from('ANS16', 'StatusNotification').map((p) => [p.connectorId, p.status])).toEqual([[1, 'Available'], [2, 'Available']]));
    const all = await cs.call('GetConfiguration', {});
    expect(all.configurationKey).toContainEqual({ key: 'HeartbeatInterval', readonly: false, value: '300' });
    expect(all.configurationKey).toContainEqual({ key: 'NumberOfConnectors', readonly: true, value: '2' });
    expect(all.configurationKey.map((k: any) => k.key)).not.toContain('AuthorizationKey');
    expect(await cs.call('GetConfiguration', { key: ['MeterValueSampleInterval', 'Nope', 'AuthorizationKey'] })).toEqual({
      configurationKey: [{ key: 'MeterValueSampleInterval', readonly: false, value: '60' }],
      unknownKey: ['Nope', 'AuthorizationKey'],
    });
    expect(await cs.call('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '30' })).toEqual({ status: 'Accepted' });
    expect(await cs.call('ChangeConfiguration', { key: 'HeartbeatInterval', value: 'often' })).toEqual({ status: 'Rejected' });
    expect(await cs.call('ChangeConfiguration', { key: 'NumberOfConnectors', value: '4' })).toEqual({ status: 'Rejected' });
    expect(await cs.call('ChangeConfiguration', { key: 'Nope', value: '1' })).toEqual({ status: 'NotSupported' });
    expect(await cs.call('DataTransfer', { vendorId: 'acme' })).toEqual({ status: 'UnknownVendorId' });
    expect(await cs.call('UnlockConnector', { connectorId: 9 })).toEqual({ status: 'NotSupported' });

    expect(await cs.call('ChangeConfiguration', { key: 'AuthorizationKey', value: 'rotated-password-0123456789' })).toEqual({ status: 'Accepted' });
    passwords.set('ANS16', 'rotated-password-0123456789');
    await s.goOffline();
    await s.comeBack();
    expect(s.state().connected).toBe(true);
    // Only the socket was lost: no second boot.
    expect(from('ANS16', 'BootNotification')).toHaveLength(1);
    expect(errorsOf('ANS16')).toEqual([]);
  }, 10_000);

  test('triggers, remote start/stop with meter values, reservations', async () => {
    const { s, csms: cs } = await online('ANS16B', 'ocpp1.6');
    expect(await cs.call('TriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 2 })).toEqual({ status: 'Accepted' });
    await eventually(() => expect(from('ANS16B', 'StatusNotification').filter((p) => p.connectorId === 2)).toHaveLength(2));
    expect(await cs.call('TriggerMessage', { requestedMessage: 'Heartbeat' })).toEqual({ status: 'Accepted' });
    await eventually(() => expect(from('ANS16B', 'Heartbeat')).toHaveLength(1));
    expect(await cs.call('TriggerMessage', { requestedMessage: 'StatusNotification', connectorId: 9 })).toEqual({ status: 'Rejected' });

    expect(await cs.call('RemoteStartTransaction', { connectorId: 1, idTag: 'APPUSER1' })).toEqual({ status: 'Accepted' });
    // Sent, and answered: the station knows its transaction id only from the CSMS's reply.
    const [start] = await eventually(() => {
      const starts = from('ANS16B', 'StartTransaction');
      expect(starts).toHaveLength(1);
      expect(s.state().connectors[0]!.transactionId).toBeDefined();
      return starts;
    });
    // The connector's register, cumulative across sessions.
    const { energyWh, sessionWh, transactionId: txId } = s.state().connectors[0]!;
    expect(start).toMatchObject({ connectorId: 1, idTag: 'APPUSER1', meterStart: energyWh - sessionWh! });
    const transactionId = Number(txId);
    // Pre-authorized: no Authorize for a remote start.
    expect(from('ANS16B', 'Authorize')).toEqual([]);
    expect(await cs.call('RemoteStartTransaction', { connectorId: 1, idTag: 'SOMEONE' })).toEqual({ status: 'Rejected' });
    const [meter] = await eventually(() => {
      const values = from('ANS16B', 'MeterValues');
      expect(values.length).toBeGreaterThan(0);
      return values;
    });
    expect(meter.transactionId).toBe(transactionId);
    expect(meter.meterValue[0].sampledValue.map((v: any) => v.measurand)).toEqual(['Energy.Active.Import.Register', 'Power.Active.Import']);
    expect(await cs.call('RemoteStopTransaction', { transactionId: 999 })).toEqual({ status: 'Rejected' });
    expect(await cs.call('RemoteStopTransaction', { transactionId })).toEqual({ status: 'Accepted' });
    const [stop] = await eventually(() => {
      const stops = from('ANS16B', 'StopTransaction');
      expect(stops).toHaveLength(1);
      return stops;
    });
    expect(stop).toMatchObject({ transactionId, reason: 'Remote' });
    expect(stop.meterStop).toBeGreaterThan(start.meterStart);
    await eventually(() => expect(from('ANS16B', 'StatusNotification').filter((p) => p.connectorId === 1).map((p) => p.status)).toEqual(['Available', 'Preparing', 'Charging', 'Finishing', 'Available']));

    const expiryDate = new Date(Date.now() + 60_000).toISOString();
    expect(await cs.call('ReserveNow', { connectorId: 0, expiryDate, idTag: 'R1', reservationId: 1 })).toEqual({ status: 'Rejected' });
    expect(await cs.call('ReserveNow', { connectorId: 2, expiryDate, idTag: 'R1', reservationId: 1 })).toEqual({ status: 'Accepted' });
    expect(await cs.call('ReserveNow', { connectorId: 2, expiryDate, idTag: 'R2', reservationId: 2 })).toEqual({ status: 'Occupied' });
    await eventually(() => expect(s.state().connectors[1]!.status).toBe('Reserved'));
    expect(await cs.call('CancelReservation', { reservationId: 7 })).toEqual({ status: 'Rejected' });
    expect(await cs.call('CancelReservation', { reservationId: 1 })).toEqual({ status: 'Accepted' });
    await eventually(() => expect(from('ANS16B', 'StatusNotification').filter((p) => p.connectorId === 2).at(-1).status).toBe('Available'));
    expect(errorsOf('ANS16B')).toEqual([]);
  }, 10_000);
});

describe('an OCPP 2.0.1 simulated station answers', () => {
  test('device model variables, triggers, a remote start/stop as TransactionEvents, a locked cable', async () => {
    const { s, csms: cs } = await online('ANS201', 'ocpp2.0.1');
    expect(from('ANS201', 'BootNotification')[0]).toMatchObject({ reason: 'PowerUp', chargingStation: { vendorName: 'Dynamo Sim', model: 'AC-22kW' } });
    const got = await cs.call('GetVariables', {
      getVariableData: [
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
        { component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' } },
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'Nope' } },
        { component: { name: 'Nope' }, variable: { name: 'Nope' } },
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributeType: 'Target' },
      ],
    });
    expect(got.getVariableResult.map((r: any) => [r.attributeStatus, r.attributeValue])).toEqual([
      ['Accepted', '300'],
      ['Rejected', undefined],
      ['UnknownVariable', undefined],
      ['UnknownComponent', undefined],
      ['NotSupportedAttributeType', undefined],
    ]);
    const set = await cs.call('SetVariables', {
      setVariableData: [
        { component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedInterval' }, attributeValue: '30' },
        { component: { name: 'SecurityCtrlr' }, variable: { name: 'Identity' }, attributeValue: 'OTHER' },
      ],
    });
    expect(set.setVariableResult.map((r: any) => r.attributeStatus)).toEqual(['Accepted', 'Rejected']);
    expect(await cs.call('TriggerMessage', { requestedMessage: 'BootNotification' })).toEqual({ status: 'Rejected' });
    expect(await cs.call('TriggerMessage', { requestedMessage: 'MeterValues', evse: { id: 2 } })).toEqual({ status: 'Accepted' });
    await eventually(() => expect(from('ANS201', 'MeterValues')[0]).toMatchObject({ evseId: 2 }));

    expect(await cs.call('RequestStartTransaction', { evseId: 2, remoteStartId: 5, idToken: { idToken: 'APP201', type: 'Central' } })).toEqual({ status: 'Accepted' });
    const started = await eventually(() => {
      const event = from('ANS201', 'TransactionEvent').find((e) => e.eventType === 'Started');
      expect(event).toBeDefined();
      return event;
    });
    expect(started).toMatchObject({ triggerReason: 'RemoteStart', seqNo: 0, evse: { id: 2, connectorId: 1 }, idToken: { idToken: 'APP201', type: 'Central' }, transactionInfo: { remoteStartId: 5, chargingState: 'Charging' } });
    expect(s.state().connectors[1]).toMatchObject({ status: 'Occupied', transactionId: started.transactionInfo.transactionId, idTag: 'APP201' });
    expect(await cs.call('UnlockConnector', { evseId: 2, connectorId: 1 })).toEqual({ status: 'OngoingAuthorizedTransaction' });
    await eventually(() => expect(from('ANS201', 'TransactionEvent').some((e) => e.eventType === 'Updated')).toBe(true));
    expect(await cs.call('RequestStopTransaction', { transactionId: started.transactionInfo.transactionId })).toEqual({ status: 'Accepted' });
    const ended = await eventually(() => {
      const event = from('ANS201', 'TransactionEvent').find((e) => e.eventType === 'Ended');
      expect(event).toBeDefined();
      return event;
    });
    expect(ended).toMatchObject({ triggerReason: 'RemoteStop', transactionInfo: { transactionId: started.transactionInfo.transactionId, stoppedReason: 'Remote' } });
    const seqNos = from('ANS201', 'TransactionEvent').map((e) => e.seqNo);
    expect(seqNos).toEqual(seqNos.map((_, i) => i));
    const register = (e: any) => e.meterValue[0].sampledValue[0].value;
    expect(register(ended)).toBeGreaterThan(register(started));
    await eventually(() => expect(from('ANS201', 'StatusNotification').filter((p) => p.evseId === 2).map((p) => p.connectorStatus)).toEqual(['Available', 'Occupied', 'Available']));
    expect(await cs.call('UnlockConnector', { evseId: 2, connectorId: 1 })).toEqual({ status: 'Unlocked' });
    expect(await cs.call('UnlockConnector', { evseId: 2, connectorId: 2 })).toEqual({ status: 'UnknownConnector' });
    expect(errorsOf('ANS201')).toEqual([]);
  }, 10_000);
});
