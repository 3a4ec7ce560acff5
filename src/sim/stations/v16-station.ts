import { boolean, fixed, integer, password, text, type Setting } from './settings.ts';
import type { Connector, Dialect, Phase, RateUnit, Sample, StationPort, StopReason } from './types.ts';

const STATUS: Record<Phase, string> = {
  available: 'Available',
  preparing: 'Preparing',
  charging: 'Charging',
  finishing: 'Finishing',
  reserved: 'Reserved',
  faulted: 'Faulted',
};

const REASON: Record<StopReason, string> = {
  Local: 'Local',
  Remote: 'Remote',
  EVDisconnected: 'EVDisconnected',
  DeAuthorized: 'DeAuthorized',
  UnlockCommand: 'UnlockCommand',
  Fault: 'Other',
};

type IdTagInfo = { idTagInfo: { status: string } };
type Schedule16 = { startSchedule?: string; chargingRateUnit: RateUnit; chargingSchedulePeriod: { startPeriod: number; limit: number }[] };
type Profile16 = { chargingProfileId: number; transactionId?: number; chargingProfilePurpose: string; chargingProfileKind: string; chargingSchedule: Schedule16 };

/** OCPP 1.6J: the station's messages and its answers to the CSMS's calls. */
export function v16Dialect(port: StationPort): Dialect {
  const { settings, options } = port;
  const iso = (at: Date = port.clock.now()) => at.toISOString();

  const sampled = (s: Sample, context: string, withPower: boolean) => ({
    timestamp: iso(s.at),
    sampledValue: [
      { value: String(s.registerWh), context, measurand: 'Energy.Active.Import.Register', location: 'Outlet', unit: 'Wh' },
      ...(withPower && settings.sampledData.includes('Power.Active.Import')
        ? [{ value: String(s.powerW), context, measurand: 'Power.Active.Import', location: 'Outlet', unit: 'W' }]
        : []),
    ],
  });

  // Configuration keys (OCPP 1.6 §9.1 and the security whitepaper's AuthorizationKey).
  const config: Record<string, Setting> = {
    HeartbeatInterval: integer(() => settings.heartbeatIntervalS, (n) => (settings.heartbeatIntervalS = n)),
    MeterValueSampleInterval: integer(() => settings.meterIntervalS, (n) => (settings.meterIntervalS = n)),
    ConnectionTimeOut: integer(() => settings.connectionTimeoutS, (n) => (settings.connectionTimeoutS = n)),
    AuthorizeRemoteTxRequests: boolean(() => settings.authorizeRemoteStart, (b) => (settings.authorizeRemoteStart = b)),
    MeterValuesSampledData: text(() => settings.sampledData, (s) => (settings.sampledData = s)),
    NumberOfConnectors: fixed(String(port.connectors.length)),
    StopTransactionOnInvalidId: fixed('true'),
    LocalAuthorizeOffline: fixed('false'),
    LocalPreAuthorize: fixed('false'),
    ReserveConnectorZeroSupported: fixed('false'),
    SupportedFeatureProfiles: fixed('Core,RemoteTrigger,Reservation,SmartCharging'),
    ChargingScheduleAllowedChargingRateUnit: fixed(port.rateUnit === 'A' ? 'Current' : 'Power'),
    ChargeProfileMaxStackLevel: fixed('8'),
    ChargingScheduleMaxPeriods: fixed('24'),
    MaxChargingProfilesInstalled: fixed('8'),
    WebSocketPingInterval: fixed('30'),
    AuthorizationKey: password(settings),
  };

  /** What TriggerMessage asked for, sent after our answer. */
  const triggered: Record<string, (connectors: readonly Connector[]) => Promise<unknown>> = {
    BootNotification: () => dialect.boot((action, payload) => port.send(action, payload)),
    Heartbeat: () => port.send('Heartbeat', {}),
    StatusNotification: async (connectors) => {
      for (const c of connectors) await dialect.status(c, true);
    },
    MeterValues: async (connectors) => {
      for (const c of connectors) {
        const s = port.sample(c);
        await port.send('MeterValues', { connectorId: c.id, ...(c.tx?.id ? { transactionId: Number(c.tx.id) } : {}), meterValue: [sampled(s, 'Trigger', c.tx !== undefined)] });
      }
    },
    DiagnosticsStatusNotification: () => port.send('DiagnosticsStatusNotification', { status: 'Idle' }),
    FirmwareStatusNotification: () => port.send('FirmwareStatusNotification', { status: 'Idle' }),
  };

  const dialect: Dialect = {
    async boot(call) {
      const answer = await call<{ status: string; interval: number }>('BootNotification', {
        chargePointVendor: (options.vendor ?? 'Dynamo Sim').slice(0, 20),
        chargePointModel: (options.model ?? `${options.maxPowerKw > 22 ? 'DC' : 'AC'}-${options.maxPowerKw}kW`).slice(0, 20),
        chargePointSerialNumber: `SIM-${port.id}`.slice(0, 25),
        firmwareVersion: '1.0.0-sim',
      });
      return answer && { accepted: answer.status === 'Accepted', intervalS: answer.interval };
    },

    async status(c, force = false) {
      const status = STATUS[c.phase];
      if (status === c.status && !force) return;
      c.status = status;
      await port.send('StatusNotification', { connectorId: c.id, status, errorCode: c.phase === 'faulted' ? (c.errorCode ?? 'OtherError') : 'NoError', timestamp: iso() });
    },

    async authorize(idTag) {
      return (await port.send<IdTagInfo>('Authorize', { idTag }))?.idTagInfo.status === 'Accepted';
    },

    // Not durable: in 1.6 the CSMS assigns the transactionId, so no transaction starts without it.
    async startTransaction(c, tx) {
      const answer = await port.send<IdTagInfo & { transactionId: number }>('StartTransaction', {
        connectorId: c.id,
        idTag: tx.idTag,
        meterStart: tx.startWh,
        timestamp: iso(tx.startedAt),
        ...(tx.reservationId !== undefined ? { reservationId: tx.reservationId } : {}),
      });
      if (!answer) return false;
      tx.id = String(answer.transactionId);
      return answer.idTagInfo.status === 'Accepted';
    },

    async meterValues(c, tx, s) {
      await port.send('MeterValues', { connectorId: c.id, transactionId: Number(tx.id), meterValue: [sampled(s, 'Sample.Periodic', true)] });
    },

    async stopTransaction(_c, tx, s) {
      await port.send(
        'StopTransaction',
        { transactionId: Number(tx.id), meterStop: s.registerWh, timestamp: iso(s.at), reason: REASON[tx.stopReason ?? 'Local'], transactionData: [sampled(s, 'Transaction.End', false)] },
        true,
      );
    },

    // A 1.6 station just shows Available again; the CSMS learns it from the StatusNotification.
    async reservationExpired() {},

    handlers: () => ({
      // Pre-authorized by the CSMS: no Authorize unless AuthorizeRemoteTxRequests says so.
      RemoteStartTransaction: async (p: { connectorId?: number; idTag: string }) => ({
        status: p.connectorId !== 0 && port.remoteStart({ connectorId: p.connectorId, idTag: p.idTag, tokenType: 'Central' }) ? 'Accepted' : 'Rejected',
      }),
      RemoteStopTransaction: async (p: { transactionId: number }) => ({ status: port.remoteStop(String(p.transactionId)) ? 'Accepted' : 'Rejected' }),
      // Connector 0 (any connector) is not supported: ReserveConnectorZeroSupported is false.
      ReserveNow: async (p: { connectorId: number; expiryDate: string; idTag: string; reservationId: number }) => ({
        status: p.connectorId === 0 ? 'Rejected' : port.reserve({ connectorId: p.connectorId, reservationId: p.reservationId, idTag: p.idTag, expiresAt: new Date(p.expiryDate) }),
      }),
      CancelReservation: async (p: { reservationId: number }) => ({ status: port.cancelReservation(p.reservationId) ? 'Accepted' : 'Rejected' }),
      // 1.6 §5.17: a running transaction is stopped first (reason UnlockCommand).
      UnlockConnector: async (p: { connectorId: number }) => ({ status: port.unlock(p.connectorId, true) === 'UnknownConnector' ? 'NotSupported' : 'Unlocked' }),
      TriggerMessage: async (p: { requestedMessage: string; connectorId?: number }) => {
        const send = triggered[p.requestedMessage];
        if (!send) return { status: 'NotImplemented' };
        const selected = p.connectorId === undefined || p.connectorId === 0 ? port.connectors : [port.connector(p.connectorId)].filter((c) => c !== undefined);
        if (selected.length === 0) return { status: 'Rejected' };
        port.later(() => send(selected));
        return { status: 'Accepted' };
      },
      ChangeConfiguration: async (p: { key: string; value: string }) => {
        const setting = config[p.key];
        if (!setting) return { status: 'NotSupported' };
        return { status: setting.set?.(p.value) ? 'Accepted' : 'Rejected' };
      },
      // Write-only keys (AuthorizationKey) are never read back: reported as unknown.
      GetConfiguration: async (p: { key?: string[] }) => {
        const keys = p.key && p.key.length > 0 ? p.key : Object.keys(config).filter((k) => config[k]!.get);
        const known = keys.filter((k) => config[k]?.get);
        return {
          configurationKey: known.map((key) => ({ key, readonly: !config[key]!.set, value: config[key]!.get!() })),
          unknownKey: keys.filter((k) => !known.includes(k)),
        };
      },
      // Smart charging: TxProfiles on running transactions (the only purpose this station takes).
      SetChargingProfile: async (p: { connectorId: number; csChargingProfiles: Profile16 }) => {
        const profile = p.csChargingProfiles;
        if (profile.chargingProfilePurpose !== 'TxProfile' || profile.chargingProfileKind === 'Recurring') return { status: 'NotSupported' };
        const { startSchedule, chargingRateUnit, chargingSchedulePeriod } = profile.chargingSchedule;
        const set = port.setTxProfile(p.connectorId, profile.transactionId === undefined ? undefined : String(profile.transactionId), {
          id: profile.chargingProfileId,
          unit: chargingRateUnit,
          ...(startSchedule ? { start: new Date(startSchedule) } : {}),
          periods: chargingSchedulePeriod.map(({ startPeriod, limit }) => ({ startPeriod, limit })),
        });
        return { status: set ? 'Accepted' : 'Rejected' };
      },
      ClearChargingProfile: async (p: { id?: number; connectorId?: number; chargingProfilePurpose?: string }) => ({
        status: (!p.chargingProfilePurpose || p.chargingProfilePurpose === 'TxProfile') && port.clearProfiles({ id: p.id, connectorId: p.connectorId || undefined }) ? 'Accepted' : 'Unknown',
      }),
      GetCompositeSchedule: async (p: { connectorId: number; duration: number; chargingRateUnit?: RateUnit }) => {
        if (p.connectorId !== 0 && !port.connector(p.connectorId)) return { status: 'Rejected' };
        const schedule = port.compositeSchedule(p.connectorId, p.duration, p.chargingRateUnit);
        const start = iso(schedule.start);
        return {
          status: 'Accepted',
          connectorId: p.connectorId,
          scheduleStart: start,
          chargingSchedule: { duration: p.duration, startSchedule: start, chargingRateUnit: schedule.unit, chargingSchedulePeriod: schedule.periods },
        };
      },
      ClearCache: async () => ({ status: 'Accepted' }),
      DataTransfer: async () => ({ status: 'UnknownVendorId' }),
    }),
  };
  return dialect;
}
