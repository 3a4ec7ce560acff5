import { canStart, type Charging } from './charging.ts';
import type { Core } from './core.ts';
import type { Connector, Reservation, StationPort } from './types.ts';
import { spawn, waitSim } from './wait.ts';

export type CsmsRequests = Pick<StationPort, 'remoteStart' | 'remoteStop' | 'reserve' | 'cancelReservation' | 'unlock'>;

/**
 * What the CSMS can ask of the station, in the station's terms; each dialect translates its version's CALLs
 * into these and their answers back. Answers are immediate; what follows (a start, a status) comes `later`.
 */
export function createCsmsRequests(core: Core, charging: Charging): CsmsRequests {
  const { connectors, connector, settings, log, later } = core;

  /** Sets the phase now (so what follows sees it) and reports it after the answer went out. */
  const showLater = (c: Connector, phase: 'available' | 'reserved') => {
    c.phase = phase;
    later(() => core.dialect.status(c));
  };

  /**
   * An unused reservation ends at its expiry. The expiry comes from the CSMS, whose clock is real time, so the
   * wait is the real time left, scaled to the simulated clock.
   */
  async function expire(c: Connector, reservation: Reservation) {
    const realMs = Math.max(0, reservation.expiresAt.getTime() - Date.now());
    if (!(await waitSim(core.clock, realMs * core.clock.factor, core.life.signal)) || c.reservation !== reservation) return;
    c.reservation = undefined;
    if (c.phase === 'reserved') await core.setPhase(c, 'available');
    log('reservation', `connector ${c.id}: reservation ${reservation.id} expired`);
    await core.dialect.reservationExpired(c, reservation);
  }

  return {
    // Pre-authorized by the CSMS; the driver who waits plugged in (or on the connector the CSMS names) gets it.
    remoteStart(req) {
      const c =
        req.connectorId !== undefined
          ? connector(req.connectorId)
          : (connectors.find((c) => c.phase === 'preparing' && canStart(c, req.idTag)) ?? connectors.find((c) => canStart(c, req.idTag)));
      if (!c || core.closing || !canStart(c, req.idTag)) {
        log('remote-start', `refused for ${req.idTag}${c ? ` on connector ${c.id} (${c.status})` : ''}`);
        return false;
      }
      c.claimed = true;
      log('remote-start', `connector ${c.id}: remote start for ${req.idTag}`);
      later(async () => {
        try {
          if (c.phase === 'faulted' || core.closing) return;
          // Not plugged in yet: the driver does it now.
          if (c.phase !== 'preparing') {
            c.plugEpoch++;
            await core.setPhase(c, 'preparing');
          }
          if (settings.authorizeRemoteStart && !(await core.dialect.authorize(req.idTag))) {
            log('refused', `connector ${c.id}: ${req.idTag} not authorized`);
            if (core.phaseOf(c) === 'preparing') await core.setPhase(c, c.reservation ? 'reserved' : 'available');
            return;
          }
          const reservationId = c.reservation?.id;
          c.reservation = undefined;
          const tx = charging.newTransaction(c, req.idTag, req.tokenType, c.pendingWh, {
            ...(req.remoteStartId !== undefined ? { remoteStartId: req.remoteStartId } : {}),
            ...(reservationId !== undefined ? { reservationId } : {}),
          });
          c.pendingWh = undefined;
          await charging.begin(c, tx, 'RemoteStart');
        } finally {
          c.claimed = false;
        }
      });
      return true;
    },

    remoteStop(transactionId) {
      const c = connectors.find((c) => c.tx?.id === transactionId);
      if (!c?.tx) {
        log('remote-stop', `refused: no transaction ${transactionId}`);
        return false;
      }
      log('remote-stop', `connector ${c.id}: remote stop of ${transactionId}`);
      charging.interrupt(c.tx, 'Remote');
      return true;
    },

    reserve(req) {
      const existing = connectors.find((c) => c.reservation?.id === req.reservationId);
      const c = req.connectorId !== undefined ? connector(req.connectorId) : (existing ?? connectors.find((c) => c.phase === 'available' && !c.claimed));
      if (!c) return req.connectorId !== undefined ? 'Rejected' : 'Occupied';
      if (c.phase === 'faulted') return 'Faulted';
      // The same reservation id again updates that reservation.
      const renewal = c.reservation?.id === req.reservationId;
      if (!renewal && (c.phase !== 'available' || c.claimed || c.tx)) return 'Occupied';
      if (existing && existing !== c) {
        existing.reservation = undefined;
        if (existing.phase === 'reserved') showLater(existing, 'available');
      }
      const reservation: Reservation = { id: req.reservationId, idTag: req.idTag, expiresAt: req.expiresAt };
      c.reservation = reservation;
      if (c.phase === 'available') showLater(c, 'reserved');
      log('reserved', `connector ${c.id}: reservation ${reservation.id} for ${req.idTag} until ${req.expiresAt.toISOString()}`);
      spawn(expire(c, reservation), core.report('reservation expiry'));
      return 'Accepted';
    },

    cancelReservation(reservationId) {
      const c = connectors.find((c) => c.reservation?.id === reservationId);
      if (!c) return false;
      c.reservation = undefined;
      if (c.phase === 'reserved') showLater(c, 'available');
      log('reservation', `connector ${c.id}: reservation ${reservationId} cancelled`);
      return true;
    },

    unlock(connectorId, stopFirst) {
      const c = connector(connectorId);
      if (!c) return 'UnknownConnector';
      if (c.tx) {
        if (!stopFirst) return 'OngoingAuthorizedTransaction';
        charging.interrupt(c.tx, 'UnlockCommand');
      } else if (c.phase === 'finishing') {
        // The cable comes free and the driver takes it.
        c.plugEpoch++;
        showLater(c, 'available');
      }
      log('unlock', `connector ${c.id} unlocked`);
      return 'Unlocked';
    },
  };
}
