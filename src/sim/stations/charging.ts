import type { Core } from './core.ts';
import type { Connector, StopReason, Transaction } from './types.ts';
import { spawn, waitSim } from './wait.ts';

/** Whether a new session for `idTag` may start on the connector: idle (or plugged in and waiting), not reserved for someone else. */
export const canStart = (c: Connector, idTag: string) =>
  !c.claimed && !c.tx && (c.phase === 'available' || c.phase === 'preparing' || c.phase === 'reserved') && (!c.reservation || c.reservation.idTag === idTag);

export interface Charging {
  newTransaction(c: Connector, idTag: string, tokenType: string, plannedWh: number | undefined, extra: { remoteStartId?: number; reservationId?: number }): Transaction;
  /** Starts the transaction on the CSMS and lets it charge; false when the CSMS gave no transaction. */
  begin(c: Connector, tx: Transaction, trigger: 'Authorized' | 'RemoteStart'): Promise<boolean>;
  /** Ends a running transaction as soon as possible (the first reason given wins). */
  interrupt(tx: Transaction, reason: StopReason): void;
}

/**
 * A transaction's life on a connector: start, MeterValues every meter interval along the power curve until the
 * driver's energy is in or something stops it, the stop with the final register, then Finishing until the
 * driver unplugs.
 */
export function createCharging(core: Core): Charging {
  const { clock, random, settings, options, life } = core;

  async function charge(c: Connector, tx: Transaction) {
    if (!tx.stopReason) await core.setPhase(c, 'charging');
    const wake = AbortSignal.any([tx.interrupt.signal, life.signal]);
    while (!tx.stopReason) {
      await waitSim(clock, settings.meterIntervalS * 1000, wake);
      if (life.signal.aborted) return; // switched off: nothing more is said
      const s = core.sample(c);
      // The energy the driver wanted is in: they stop the session.
      if (tx.deliveredWh >= tx.plannedWh) tx.stopReason ??= 'Local';
      if (!tx.stopReason) await core.dialect.meterValues(c, tx, s);
    }
    await core.dialect.stopTransaction(c, tx, core.sample(c));
    c.tx = undefined;
    core.log('stopped', `connector ${c.id}: transaction ${tx.id} ended (${tx.stopReason}), ${(Math.round(tx.deliveredWh) / 1000).toFixed(3)} kWh`);
    if (tx.stopReason === 'Fault') return; // fault() reports Faulted
    if (tx.stopReason === 'EVDisconnected') return core.setPhase(c, c.reservation ? 'reserved' : 'available');
    await core.setPhase(c, 'finishing');
    const epoch = ++c.plugEpoch;
    // The driver comes back and unplugs a few minutes later.
    spawn(
      waitSim(clock, random.int(1, 5) * 60_000, life.signal).then((due) => (due && c.plugEpoch === epoch && c.phase === 'finishing' ? core.setPhase(c, 'available') : undefined)),
      core.report('unplugging'),
    );
  }

  return {
    newTransaction(c, idTag, tokenType, plannedWh, extra) {
      const now = clock.now();
      return {
        idTag,
        tokenType,
        ...(extra.remoteStartId !== undefined ? { remoteStartId: extra.remoteStartId } : {}),
        ...(extra.reservationId !== undefined ? { reservationId: extra.reservationId } : {}),
        startedAt: now,
        startWh: c.registerWh,
        // Unless told, the driver wants 5–40 kWh; the vehicle takes 60–100 % of what the station can give.
        plannedWh: plannedWh ?? random.int(50, 400) * 100,
        deliveredWh: 0,
        vehicleMaxKw: options.maxPowerKw * (0.6 + 0.4 * random.next()),
        lastSampleAt: now,
        powerW: 0,
        seqNo: 0,
        interrupt: new AbortController(),
      };
    },

    async begin(c, tx, trigger) {
      c.tx = tx;
      const accepted = await core.dialect.startTransaction(c, tx, trigger);
      if (tx.id === undefined) {
        c.tx = undefined;
        core.log('refused', `connector ${c.id}: no transaction for ${tx.idTag} (the CSMS did not answer); the driver leaves`);
        if (c.phase === 'preparing') await core.setPhase(c, c.reservation ? 'reserved' : 'available');
        return false;
      }
      // StopTransactionOnInvalidId: a token refused at the start stops the transaction at once.
      if (!accepted) tx.stopReason = 'DeAuthorized';
      if (c.phase === 'faulted') tx.stopReason = 'Fault';
      core.log('started', `connector ${c.id}: transaction ${tx.id} for ${tx.idTag}, ${(tx.plannedWh / 1000).toFixed(1)} kWh wanted`);
      tx.done = charge(c, tx).catch(core.report(`transaction ${tx.id}`));
      return true;
    },

    interrupt(tx, reason) {
      tx.stopReason ??= reason;
      tx.interrupt.abort();
    },
  };
}
