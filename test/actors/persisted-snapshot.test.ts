import { expect, test } from 'bun:test';
import { createActor, createMachine, fromPromise, type AnyActor } from 'xstate';
import { chargePointMachine } from '../../actors/charge-point/charge-point.machine.ts';
import { persistedSnapshot } from '../../actors/system/persisted-snapshot.ts';

/** As stored: JSON text, read back. */
const stored = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
const sameAsXState = (actor: AnyActor) => expect(stored(persistedSnapshot(actor))).toEqual(stored(actor.getPersistedSnapshot()));

test('a charge point through its life is stored exactly as XState persists it, and restores to the same state', () => {
  const actor = createActor(chargePointMachine, { input: { id: 'CP-1' } }).start();
  const at = '2026-12-06T10:00:00Z';
  const events = [
    { type: 'CONNECTED', protocol: 'ocpp1.6', at },
    { type: 'BOOTED', vendor: 'Acme', model: 'AC', serialNumber: 'S1', at },
    { type: 'CONNECTOR_STATUS', evseId: 1, status: 'Available', at },
    { type: 'CONNECTOR_STATUS', evseId: 2, connectorId: 1, status: 'Faulted', errorCode: 'GroundFailure', at },
    { type: 'DISCONNECTED', at },
  ] as const;
  sameAsXState(actor);
  for (const event of events) {
    actor.send(event);
    sameAsXState(actor);
  }
  const restored = createActor(chargePointMachine, { snapshot: stored(persistedSnapshot(actor)), input: { id: 'CP-1' } } as never).start();
  expect(restored.getSnapshot().value).toEqual(actor.getSnapshot().value);
  expect(restored.getSnapshot().context).toEqual(actor.getSnapshot().context);
});

test('an actor with a child running or a history is left to XState (its children and history are persisted)', () => {
  const calling = createMachine({
    initial: 'calling',
    states: { calling: { invoke: { id: 'call', src: fromPromise(() => new Promise<void>(() => {})) }, on: { PARK: 'parked' } }, parked: {} },
  });
  const withChild = createActor(calling).start();
  sameAsXState(withChild);
  expect((stored(persistedSnapshot(withChild)) as { children: object }).children).toHaveProperty('call');

  const remembering = createMachine({
    initial: 'on',
    states: {
      on: { initial: 'low', states: { low: { on: { UP: 'high' } }, high: {}, memo: { type: 'history' } }, on: { OFF: 'off' } },
      off: { on: { ON: 'on.memo' } },
    },
  });
  const withHistory = createActor(remembering).start();
  withHistory.send({ type: 'UP' });
  withHistory.send({ type: 'OFF' });
  sameAsXState(withHistory);
  expect(Object.keys((stored(persistedSnapshot(withHistory)) as { historyValue: object }).historyValue)).toHaveLength(1);
});
