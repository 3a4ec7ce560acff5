import type { Random } from '../random.ts';
import type { SimClock } from '../sim-clock.ts';
import { advanceMeter } from './meter.ts';
import type { Connector, Dialect, Phase, Sample, SimStationOptions, StationSettings } from './types.ts';
import { errorText, spawn, waitSim } from './wait.ts';

/** The station's state and the few primitives every part of it uses (charging, CSMS requests, drivers). */
export interface Core {
  readonly options: SimStationOptions;
  readonly clock: SimClock;
  readonly random: Random;
  readonly settings: StationSettings;
  readonly connectors: readonly Connector[];
  /** Aborted by stop(): every loop and wait ends. */
  readonly life: AbortController;
  /** Set by finish(): the run is ending, so no new transaction is started (remote starts are refused). */
  closing: boolean;
  /** The OCPP version's messages; set once, right after the core exists (the dialect needs the core too). */
  dialect: Dialect;
  connector(id: number): Connector | undefined;
  /** The phase as it is now: after an await it may have changed, which TypeScript's narrowing does not know. */
  phaseOf(c: Connector): Phase;
  log(kind: string, message: string): void;
  /** A catch handler that reports `what` failed. */
  report(what: string): (error: unknown) => void;
  /** Runs `fn` one simulated second from now: a real station answers a CALL first, then acts on it. */
  later(fn: () => Promise<unknown>): void;
  /** Brings the connector's running transaction up to now (the register alone when idle). */
  sample(c: Connector): Sample;
  /** Changes the connector's phase and reports the status if the OCPP status changed. */
  setPhase(c: Connector, phase: Phase, errorCode?: string): Promise<void>;
}

export function createCore(options: SimStationOptions): Core {
  const { id, clock, random } = options;
  if (!Number.isInteger(options.connectors) || options.connectors < 1 || options.connectors > 4) throw new RangeError(`connectors must be 1–4, not ${options.connectors}`);
  const life = new AbortController();
  const log = (kind: string, message: string) => {
    try {
      options.onEvent?.({ station: id, kind, message });
    } catch {
      // The listener's problem is not the station's.
    }
  };
  const report = (what: string) => (error: unknown) => log('error', `${what}: ${errorText(error)}`);
  // A station in service for a while: its meters do not start at zero.
  const connectors: Connector[] = Array.from({ length: options.connectors }, (_, i) => ({
    id: i + 1,
    phase: 'available',
    status: 'Available',
    registerWh: random.int(0, 5_000_000),
    claimed: false,
    plugEpoch: 0,
  }));

  const core: Core = {
    options,
    clock,
    random,
    settings: {
      heartbeatIntervalS: 300,
      meterIntervalS: options.meterIntervalS,
      connectionTimeoutS: 600,
      authorizeRemoteStart: false,
      sampledData: 'Energy.Active.Import.Register,Power.Active.Import',
      password: options.password,
    },
    connectors,
    life,
    closing: false,
    dialect: undefined as unknown as Dialect,
    connector: (n) => connectors.find((c) => c.id === n),
    phaseOf: (c) => c.phase,
    log,
    report,
    later: (fn) => spawn(waitSim(clock, 1000, life.signal).then((due) => (due ? fn() : undefined)), report('after answering')),
    sample(c) {
      const now = clock.now();
      if (!c.tx) return { at: now, registerWh: c.registerWh, powerW: 0 };
      // ±2 %: measured power is never perfectly flat.
      const s = advanceMeter(c.tx, now, 0.98 + 0.04 * random.next());
      c.registerWh = s.registerWh;
      return s;
    },
    async setPhase(c, phase, errorCode) {
      c.phase = phase;
      c.errorCode = errorCode;
      await core.dialect.status(c);
    },
  };
  return core;
}
