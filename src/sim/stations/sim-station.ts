import { canStart, createCharging } from './charging.ts';
import { createCore } from './core.ts';
import { createCsmsRequests } from './csms-requests.ts';
import { Link } from './link.ts';
import { createSmartCharging } from './smart-charging.ts';
import type { SimStation, SimStationOptions, StationPort } from './types.ts';
import { v16Dialect } from './v16-station.ts';
import { v201Dialect } from './v201-station.ts';
import { spawn, waitSim } from './wait.ts';

export type { ConnectorState, SimStation, SimStationOptions, SimStationState, StationEvent } from './types.ts';

/** Error codes a faulted 1.6 connector reports (2.0.1 StatusNotification has none). */
const FAULT_CODES = ['GroundFailure', 'OverCurrentFailure', 'PowerSwitchFailure', 'HighTemperature', 'InternalError'];
/** However fast the simulated clock runs, heartbeats come no more often than this (real ms): no flood at ×600. */
const HEARTBEAT_MIN_REAL_MS = 30_000;
/** A plugged-in driver waits at least this long (real ms) for a start: the CSMS's round trips are real time. */
const PLUG_WAIT_MIN_REAL_MS = 5_000;

/**
 * A simulated charge point speaking OCPP-J 1.6 or 2.0.1 to the CSMS like a real one, on a simulated clock.
 * Drivers (the simulation) arrive with a card or plug in and wait for a remote start; charging then runs by
 * itself — MeterValues every `meterIntervalS` along a tapering power curve until the driver's energy is in or
 * the CSMS stops it. Faults and network loss are there to be caused. A server error never crashes it: it is
 * reported through `onEvent` (kind `error`) and the station carries on.
 */
export function createSimStation(options: SimStationOptions): SimStation {
  const core = createCore(options);
  const { id, clock, random } = options;
  const { settings, connector, life, log, report } = core;
  const charging = createCharging(core);
  let booted = false;

  const link: Link = new Link({
    ocppUrl: options.ocppUrl,
    id,
    protocol: options.protocol,
    clock,
    random,
    password: () => settings.password,
    handlers: () => core.dialect.handlers(),
    log,
    onOpen: bootUp,
    onOnline: online,
  });

  const port: StationPort = {
    id,
    options,
    clock,
    connectors: core.connectors,
    settings,
    connector,
    send: (action, payload, durable) => link.send(action, payload, durable),
    later: core.later,
    log,
    sample: core.sample,
    ...createCsmsRequests(core, charging),
    ...createSmartCharging(core),
  };
  core.dialect = options.protocol === 'ocpp1.6' ? v16Dialect(port) : v201Dialect(port);

  /** Boots on the first connection only: a station that just lost its socket does not boot again (1.6 §4.2). */
  async function bootUp(socket: AbortSignal) {
    while (!booted) {
      const answer = await core.dialect.boot((action, payload) => link.call(action, payload));
      if (answer?.intervalS) settings.heartbeatIntervalS = answer.intervalS;
      if (answer?.accepted) {
        booted = true;
        log('booted', `boot accepted (heartbeat every ${settings.heartbeatIntervalS} s)`);
      } else {
        log('boot', 'boot not accepted yet; trying again');
        if (!(await waitSim(clock, Math.max(settings.heartbeatIntervalS, 60) * 1000, socket))) throw new Error('closed before the boot was accepted');
      }
    }
  }

  /** After every (re)connect: every connector's status, then heartbeats until the socket closes. */
  function online(socket: AbortSignal) {
    const until = AbortSignal.any([socket, life.signal]);
    const task = async () => {
      for (const c of core.connectors) await core.dialect.status(c, true);
      while (await waitSim(clock, Math.max(settings.heartbeatIntervalS * 1000, HEARTBEAT_MIN_REAL_MS * clock.factor), until)) await link.send('Heartbeat', {});
    };
    spawn(task(), report('heartbeat'));
  }

  const refuse = (n: number, why: string) => {
    log('refused', `connector ${n}: ${connector(n) ? why : 'no such connector'}`);
    return false;
  };

  return {
    id,

    async connect() {
      if (!life.signal.aborted) await link.up();
    },

    async arriveWithRfid(connectorId, idTag, energyKwh) {
      const c = connector(connectorId);
      if (!c || !canStart(c, idTag) || c.phase === 'preparing') return refuse(connectorId, `card ${idTag} cannot start here (${c?.status})`);
      // The CSMS must check the card (no local authorization list), and in 1.6 it assigns the transaction id.
      if (!link.online) return refuse(connectorId, `card ${idTag}: the station is offline, the driver leaves`);
      c.claimed = true;
      try {
        await core.setPhase(c, 'preparing');
        if (!(await core.dialect.authorize(idTag))) {
          log('refused', `connector ${c.id}: card ${idTag} not accepted; the driver leaves`);
          if (core.phaseOf(c) === 'preparing') await core.setPhase(c, c.reservation ? 'reserved' : 'available');
          return false;
        }
        log('authorized', `connector ${c.id}: card ${idTag} accepted`);
        if (core.phaseOf(c) !== 'preparing') return false; // faulted meanwhile
        const reservationId = c.reservation?.id;
        c.reservation = undefined;
        const planned = energyKwh !== undefined ? Math.round(energyKwh * 1000) : undefined;
        return await charging.begin(c, charging.newTransaction(c, idTag, 'ISO14443', planned, reservationId !== undefined ? { reservationId } : {}), 'Authorized');
      } finally {
        c.claimed = false;
      }
    },

    async plugIn(connectorId, energyKwh) {
      const c = connector(connectorId);
      if (!c || c.claimed || c.tx || (c.phase !== 'available' && c.phase !== 'reserved')) return refuse(connectorId, `cannot plug in (${c?.status})`);
      c.pendingWh = energyKwh !== undefined ? Math.round(energyKwh * 1000) : undefined;
      const epoch = ++c.plugEpoch;
      await core.setPhase(c, 'preparing');
      log('plugged-in', `connector ${c.id}: plugged in, waiting for a start`);
      // Nobody starts it within the connection timeout: the driver gives up.
      const patience = Math.max(settings.connectionTimeoutS * 1000, PLUG_WAIT_MIN_REAL_MS * clock.factor);
      spawn(
        waitSim(clock, patience, life.signal).then(async (due) => {
          if (!due || c.plugEpoch !== epoch || c.phase !== 'preparing' || c.tx || c.claimed) return;
          c.pendingWh = undefined;
          log('timeout', `connector ${c.id}: no start came; the driver leaves`);
          await core.setPhase(c, c.reservation ? 'reserved' : 'available');
        }),
        report('plug-in timeout'),
      );
      return true;
    },

    async unplug(connectorId) {
      const c = connector(connectorId);
      if (!c) return;
      if (c.tx) {
        charging.interrupt(c.tx, 'EVDisconnected');
        await c.tx.done;
      } else if (c.phase === 'preparing' || c.phase === 'finishing') {
        c.plugEpoch++;
        c.pendingWh = undefined;
        log('unplugged', `connector ${c.id}: unplugged`);
        await core.setPhase(c, c.reservation ? 'reserved' : 'available');
      }
    },

    async fault(connectorId) {
      const c = connector(connectorId);
      if (!c || c.phase === 'faulted') return;
      const tx = c.tx;
      if (tx) {
        charging.interrupt(tx, 'Fault');
        await tx.done;
      }
      c.reservation = undefined;
      c.pendingWh = undefined;
      c.plugEpoch++;
      const code = random.pick(FAULT_CODES);
      log('fault', `connector ${c.id}: faulted (${code})`);
      await core.setPhase(c, 'faulted', code);
    },

    async recover(connectorId) {
      const c = connector(connectorId);
      if (c?.phase !== 'faulted') return;
      log('recovered', `connector ${c.id}: repaired`);
      await core.setPhase(c, 'available');
    },

    async goOffline() {
      log('offline', 'network lost');
      await link.down();
    },

    async comeBack() {
      if (!life.signal.aborted) await link.up();
    },

    state() {
      return {
        id,
        protocol: options.protocol,
        connected: link.online,
        connectors: core.connectors.map((c) => ({
          id: c.id,
          status: c.status,
          energyWh: c.registerWh,
          ...(c.tx?.id !== undefined ? { transactionId: c.tx.id } : {}),
          ...(c.tx ? { idTag: c.tx.idTag, sessionWh: Math.round(c.tx.deliveredWh), powerW: c.tx.powerW } : {}),
        })),
      };
    },

    async finish() {
      core.closing = true;
      const busy = () => core.connectors.filter((c) => c.tx || c.claimed);
      if (busy().length > 0 && !link.online) await link.up();
      // A start under way (claimed) gets its transaction first; each transaction is then ended. The wait of one
      // simulated second per round lets the stops and answers in flight arrive.
      for (let now = busy(); now.length > 0 && !life.signal.aborted; now = busy()) {
        for (const c of now) if (c.tx) charging.interrupt(c.tx, 'Local');
        await Promise.all([...now.map((c) => c.tx?.done), waitSim(clock, 1000, life.signal)]);
      }
      life.abort();
      await link.down();
    },

    async stop() {
      life.abort();
      await link.down();
    },
  };
}
