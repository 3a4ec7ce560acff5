import type { Random } from '../random.ts';
import type { SimClock } from '../sim-clock.ts';

export type OcppProtocol = 'ocpp1.6' | 'ocpp2.0.1';

/**
 * What a station did, for the simulation's log. Kinds: connected, disconnected, connect-failed, booted, boot,
 * offline, plugged-in, unplugged, authorized, refused, timeout, started, stopped, remote-start, remote-stop,
 * reserved, reservation, unlock, profile, fault, recovered, queued, dropped — and error (the CSMS refused or did not
 * answer something, or a message failed validation; the station carries on).
 */
export interface StationEvent {
  station: string;
  kind: string;
  message: string;
}

export interface SimStationOptions {
  /** The CSMS's OCPP base URL (ws://host:port/ocpp); the station connects to `<ocppUrl>/<id>`. */
  ocppUrl: string;
  id: string;
  /** HTTP Basic password registered for the station (16–40 characters). */
  password: string;
  protocol: OcppProtocol;
  /** 1–4; each is its own OCPP 1.6 connectorId / 2.0.1 evseId (with connectorId 1). */
  connectors: number;
  /** e.g. 22 for AC, 150 for DC. */
  maxPowerKw: number;
  /** Simulated seconds between MeterValues of a running transaction. */
  meterIntervalS: number;
  clock: SimClock;
  random: Random;
  onEvent?: (event: StationEvent) => void;
  vendor?: string;
  model?: string;
}

export interface ConnectorState {
  id: number;
  /** The OCPP status the station last reported (or will report as soon as it is back online). */
  status: string;
  transactionId?: string;
  /** The connector's energy meter register (Wh), cumulative over all sessions. */
  energyWh: number;
  /** Energy of the running transaction so far (Wh). */
  sessionWh?: number;
  /** Power at the running transaction's last sample (W). */
  powerW?: number;
  idTag?: string;
}

export interface SimStationState {
  id: string;
  protocol: OcppProtocol;
  /** Socket open and boot accepted. */
  connected: boolean;
  connectors: ConnectorState[];
}

export interface SimStation {
  readonly id: string;
  /** Connects (retrying with backoff) and boots; resolves once online, or when stopped/sent offline first. */
  connect(): Promise<void>;
  /** A driver presents a card: Authorize, then a transaction if accepted. Resolves true once charging started. */
  arriveWithRfid(connectorId: number, idTag: string, energyKwh?: number): Promise<boolean>;
  /** A driver plugs in and waits for a remote start (app or guest flow). False if the connector is not free. */
  plugIn(connectorId: number, energyKwh?: number): Promise<boolean>;
  /** The driver unplugs: a waiting driver leaves, a running transaction ends with EVDisconnected. */
  unplug(connectorId: number): Promise<void>;
  /** Faulted (a running transaction is ended first). */
  fault(connectorId: number): Promise<void>;
  recover(connectorId: number): Promise<void>;
  /** Closes the socket and stays away (charging goes on; transaction messages are queued). */
  goOffline(): Promise<void>;
  /** Reconnects; resolves once online again. */
  comeBack(): Promise<void>;
  state(): SimStationState;
  /**
   * The end of a run: no new starts; every running transaction ends (reason Local) and its stop reaches the
   * CSMS — an offline station reconnects to send it —, then stop(). What a driver leaving would leave behind
   * otherwise: ACTIVE sessions on a station that is gone.
   */
  finish(): Promise<void>;
  /** Closes everything; no reconnect. */
  stop(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------
// Internals shared by the station core and its OCPP 1.6 / 2.0.1 dialects

/** What a connector is doing, however each OCPP version spells it (1.6 Preparing/Charging/Finishing = 2.0.1 Occupied). */
export type Phase = 'available' | 'preparing' | 'charging' | 'finishing' | 'reserved' | 'faulted';

/** Why a transaction ended, in the station's terms; each dialect maps it onto its version's enums. */
export type StopReason = 'Local' | 'Remote' | 'EVDisconnected' | 'DeAuthorized' | 'UnlockCommand' | 'Fault';

/** The units of a charging schedule: W in total, or A per phase. */
export type RateUnit = 'W' | 'A';

/** A TxProfile the CSMS set on a transaction: its periods' limits from `start` on. */
export interface SimProfile {
  id: number;
  unit: RateUnit;
  /** Absolute: its startSchedule; Relative: the transaction's start. */
  start: Date;
  periods: { startPeriod: number; limit: number }[];
}

export interface Reservation {
  id: number;
  idTag: string;
  expiresAt: Date;
}

export interface Transaction {
  /** 1.6: assigned by the CSMS in the StartTransaction answer; 2.0.1: chosen by the station. */
  id?: string;
  idTag: string;
  /** 2.0.1 IdTokenEnumType (ISO14443 for a card, whatever the CSMS sent for a remote start). */
  tokenType: string;
  remoteStartId?: number;
  reservationId?: number;
  startedAt: Date;
  /** Register at the start (Wh). */
  startWh: number;
  /** The energy the driver wants (Wh); the driver stops when it is reached. */
  plannedWh: number;
  deliveredWh: number;
  /** What the vehicle accepts at most (kW), at or below the station's maximum. */
  vehicleMaxKw: number;
  lastSampleAt: Date;
  /** Power at the last sample (W). */
  powerW: number;
  /** 2.0.1 TransactionEvent sequence number (next to use). */
  seqNo: number;
  /** The CSMS's limit on this transaction, if it set one. */
  profile?: SimProfile;
  stopReason?: StopReason;
  /** Aborted to wake the charging loop at once (remote stop, fault, unplug). */
  interrupt: AbortController;
  /** Settles when the transaction has ended and its stop was sent (or queued). */
  done?: Promise<void>;
}

export interface Connector {
  id: number;
  phase: Phase;
  /** The OCPP status last reported for the phase. */
  status: string;
  /** 1.6 ChargePointErrorCode while faulted. */
  errorCode?: string;
  registerWh: number;
  tx?: Transaction;
  reservation?: Reservation;
  /** A start (card or remote) is being set up: no second one may begin. */
  claimed: boolean;
  /** Energy wanted by the driver who plugged in and waits for a remote start. */
  pendingWh?: number;
  /** Incremented on each plug-in, so a stale "nobody started, driver leaves" timer does nothing. */
  plugEpoch: number;
}

export interface Sample {
  at: Date;
  registerWh: number;
  powerW: number;
}

/** Station settings the CSMS may read and change (1.6 configuration keys / 2.0.1 device model variables). */
export interface StationSettings {
  heartbeatIntervalS: number;
  meterIntervalS: number;
  /** How long a plugged-in driver waits for a start before leaving (simulated seconds). */
  connectionTimeoutS: number;
  /** Authorize the idTag of a remote start first (1.6 AuthorizeRemoteTxRequests, 2.0.1 AuthorizeRemoteStart). */
  authorizeRemoteStart: boolean;
  sampledData: string;
  password: string;
}

export type ReserveAnswer = 'Accepted' | 'Faulted' | 'Occupied' | 'Rejected' | 'Unavailable';

/** A CALL to the CSMS resolving with its answer (undefined when it was not answered). */
export type Call = <T = Record<string, any>>(action: string, payload: object) => Promise<T | undefined>;

/** An incoming CALL handler: the schema-valid params (ocpp-rpc strict mode checked them) → the answer. */
export type CallHandler = (params: any) => Promise<Record<string, unknown>>;

/** What a dialect may use of the station: its state, the link to the CSMS, and the operations the CSMS can ask for. */
export interface StationPort {
  readonly id: string;
  readonly options: SimStationOptions;
  readonly clock: SimClock;
  readonly connectors: readonly Connector[];
  readonly settings: StationSettings;
  connector(id: number): Connector | undefined;
  /** A CALL to the CSMS; `durable` ones (transaction messages) are queued while offline. Undefined when not answered. */
  send<T = Record<string, any>>(action: string, payload: object, durable?: boolean): Promise<T | undefined>;
  /** Runs `fn` a moment after the current answer went out (a real station answers first, then acts). */
  later(fn: () => Promise<unknown>): void;
  log(kind: string, message: string): void;
  /** Brings the running transaction's meter up to now. */
  sample(connector: Connector): Sample;
  remoteStart(req: { connectorId?: number; idTag: string; tokenType: string; remoteStartId?: number }): boolean;
  remoteStop(transactionId: string): boolean;
  reserve(req: { connectorId?: number; reservationId: number; idTag: string; expiresAt: Date }): ReserveAnswer;
  cancelReservation(reservationId: number): boolean;
  /** Unlocks the cable; with a transaction running, `stopFirst` ends it (1.6) or the unlock is refused (2.0.1). */
  unlock(connectorId: number, stopFirst: boolean): 'Unlocked' | 'UnknownConnector' | 'OngoingAuthorizedTransaction';
  /** The unit the station takes charging schedules in. */
  readonly rateUnit: RateUnit;
  /** A TxProfile for the connector's transaction (the one named, when named); false when there is none. Without a start it is relative to the transaction's. */
  setTxProfile(connectorId: number, transactionId: string | undefined, profile: Omit<SimProfile, 'start'> & { start?: Date }): boolean;
  /** Removes the TxProfiles matching; false when none did. */
  clearProfiles(filter: { id?: number; connectorId?: number }): boolean;
  /** The schedule the connector (0: the whole station) works to from now, in `unit` (default its own). */
  compositeSchedule(connectorId: number, durationS: number, unit?: RateUnit): { start: Date; unit: RateUnit; periods: { startPeriod: number; limit: number }[] };
}

/** One OCPP version's messages; the station core decides what happens, the dialect says it on the wire. */
export interface Dialect {
  /** BootNotification through `call` (the raw socket while booting) → accepted?, heartbeat interval (s). */
  boot(call: Call): Promise<{ accepted: boolean; intervalS: number } | undefined>;
  /** StatusNotification for the connector's phase; only when the OCPP status changes, unless `force`. */
  status(connector: Connector, force?: boolean): Promise<void>;
  authorize(idTag: string): Promise<boolean>;
  /** Starts the transaction on the CSMS: sets `tx.id` when it got one; resolves whether the idTag was accepted. */
  startTransaction(connector: Connector, tx: Transaction, trigger: 'Authorized' | 'RemoteStart'): Promise<boolean>;
  meterValues(connector: Connector, tx: Transaction, sample: Sample): Promise<void>;
  stopTransaction(connector: Connector, tx: Transaction, sample: Sample): Promise<void>;
  /** A reservation expired unused (2.0.1 tells the CSMS; 1.6 just shows Available). */
  reservationExpired(connector: Connector, reservation: Reservation): Promise<void>;
  handlers(): Record<string, CallHandler>;
}
