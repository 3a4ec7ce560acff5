/**
 * Fuzzing OCPP-J frames over real sockets, 1.6 and 2.0.1 (issue 16): every CALL is answered, never with
 * InternalError (our 5xx), and a CALLERROR carries one of the version's codes; after any other frame the socket still
 * serves its station; only the bad-frame budget closes a socket
 * (1008), after which the station reconnects and carries on.
 */
import { expect, test } from 'bun:test';
import fc from 'fast-check';
import { rawStation, type RawStation } from '../support/raw-station.ts';
import type { TestServer } from '../support/server.ts';
import { fuzzedServer, fuzzOptions, hostileJson, hostileString, mutated } from './fuzz-support.ts';

const now = '2026-01-01T00:00:00Z';
const CALLS = {
  'ocpp1.6': {
    Authorize: { idTag: 'FZK16A' },
    BootNotification: { chargePointVendor: 'Acme', chargePointModel: 'AC' },
    Heartbeat: {},
    StatusNotification: { connectorId: 1, status: 'Available', errorCode: 'NoError' },
    StartTransaction: { connectorId: 1, idTag: 'FZK16A', meterStart: 0, timestamp: now },
    StopTransaction: { transactionId: 1, idTag: 'FZK16A', meterStop: 10, timestamp: now },
    MeterValues: { connectorId: 1, transactionId: 1, meterValue: [{ timestamp: now, sampledValue: [{ value: '10', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }] },
    DataTransfer: { vendorId: 'Acme', data: 'x' },
  },
  'ocpp2.0.1': {
    Authorize: { idToken: { idToken: 'FZK16A', type: 'ISO14443' } },
    BootNotification: { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'AC' } },
    Heartbeat: {},
    StatusNotification: { timestamp: now, connectorStatus: 'Available', evseId: 1, connectorId: 1 },
    TransactionEvent: { eventType: 'Started', timestamp: now, triggerReason: 'Authorized', seqNo: 0, transactionInfo: { transactionId: 'TX1' }, evse: { id: 1, connectorId: 1 }, idToken: { idToken: 'FZK16A', type: 'ISO14443' } },
    MeterValues: { evseId: 1, meterValue: [{ timestamp: now, sampledValue: [{ value: 10, measurand: 'Energy.Active.Import.Register' }] }] },
    NotifyEvent: { generatedAt: now, seqNo: 0, eventData: [{ eventId: 1, timestamp: now, trigger: 'Alerting', actualValue: 'x', eventNotificationType: 'HardWiredNotification', component: { name: 'C' }, variable: { name: 'V' } }] },
  },
} as const;
const CODES = {
  'ocpp1.6': ['NotImplemented', 'NotSupported', 'ProtocolError', 'SecurityError', 'FormationViolation', 'PropertyConstraintViolation', 'OccurrenceConstraintViolation', 'TypeConstraintViolation', 'GenericError'],
  'ocpp2.0.1': ['NotImplemented', 'NotSupported', 'ProtocolError', 'SecurityError', 'FormatViolation', 'PropertyConstraintViolation', 'OccurrenceConstraintViolation', 'TypeConstraintViolation', 'GenericError', 'MessageTypeNotSupported', 'RpcFrameworkError'],
};
type Version = keyof typeof CALLS;

let cpo: TestServer;

const stats = fuzzedServer('OCPP', async (server) => {
  cpo = server;
});

/** A CALL of a real action with a mutated payload, an unknown action, or a frame that is not a CALL at all. */
function frames(version: Version) {
  const calls = Object.entries(CALLS[version]).map(([action, payload]) => mutated(payload).map((p) => ({ call: true as const, action, payload: p })));
  return fc.oneof(
    { arbitrary: fc.oneof(...calls), weight: 6 },
    { arbitrary: fc.record({ call: fc.constant(true as const), action: hostileString, payload: hostileJson }), weight: 1 },
    { arbitrary: fc.oneof(hostileJson.map((v) => JSON.stringify(v) ?? 'null'), hostileString).map((text) => ({ call: false as const, text })), weight: 1 },
  );
}

/** A station that reconnects when the bad-frame budget closed it (1008), which is the only close allowed. */
function fuzzedStation(version: Version) {
  let station: Promise<RawStation> | undefined;
  let done = false;
  let connections = 0;
  const open = () => (station ??= rawStation(cpo, `FUZZ-${version}`, version, { register: connections++ === 0 }).then((s) => {
    void s.closed.then(({ code }) => {
      if (!done) expect(code).toBe(1008);
      station = undefined;
    });
    return s;
  }));
  const close = async () => {
    done = true;
    (await station)?.close();
  };
  return { open, close };
}

for (const version of Object.keys(CALLS) as Version[]) {
  test(`${version}: every CALL answered without InternalError; garbage leaves the socket serving`, async () => {
    const fuzzed = fuzzedStation(version);
    let id = 0;
    await fc.assert(
      fc.asyncProperty(frames(version), async (frame) => {
        const station = await fuzzed.open();
        const messageId = `f${++id}`;
        // Any other frame may be answered under an id we cannot predict (or not at all: a stray CALLRESULT), so a
        // Heartbeat follows it: the socket must still serve its station.
        if (!frame.call) station.send(frame.text);
        const text = frame.call ? JSON.stringify([2, messageId, frame.action, frame.payload]) : JSON.stringify([2, messageId, 'Heartbeat', {}]);
        const answer = await stats.timed(() => Promise.race([station.call(messageId, text), station.closed.then(() => undefined)]));
        if (answer === undefined) return; // closed by the budget: the next case reconnects
        expect([3, 4]).toContain(answer[0] as number);
        if (answer[0] === 4) expect(CODES[version]).toContain(answer[2] as string);
      }),
      fuzzOptions,
    );
    await fuzzed.close();
  });
}
