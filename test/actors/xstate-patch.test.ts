/**
 * The XState patch (patches/xstate@5.33.3.patch, applied by `bun install`) is in effect: a charge point's status
 * report, handled where the machine is, gives a new snapshot with the same state value object (computed once per
 * configuration), and the machine still behaves as XState's: the report is recorded, a disconnection changes the
 * value. An XState upgrade that drops the patch without redoing it fails here, not only in the benchmarks.
 */
import { expect, test } from 'bun:test';
import { createActor } from 'xstate';
import { chargePointMachine } from '../../actors/charge-point/charge-point.machine.ts';

const at = '2026-12-07T00:00:00.000Z';

test('a status report keeps the state value object; a transition to another state makes a new one', () => {
  const actor = createActor(chargePointMachine, { input: { id: 'CP-PATCH' } }).start();
  actor.send({ type: 'CONNECTED', protocol: 'ocpp1.6', at });
  actor.send({ type: 'BOOTED', vendor: 'Acme', model: 'AC', at });
  const booted = actor.getSnapshot();
  expect(booted.value).toEqual({ online: 'booted' });

  actor.send({ type: 'CONNECTOR_STATUS', evseId: 1, status: 'Charging', at });
  const reported = actor.getSnapshot();
  expect(reported).not.toBe(booted);
  expect(reported.context.evses).toEqual({ e1: { status: 'Charging', at } });
  expect(reported.value).toBe(booted.value);

  actor.send({ type: 'DISCONNECTED', at });
  expect(actor.getSnapshot().value).toBe('disconnected');
  actor.stop();
});
