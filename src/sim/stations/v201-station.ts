import { boolean, fixed, integer, password, text, type Setting } from './settings.ts';
import type { Connector, Dialect, Phase, RateUnit, Sample, StationPort, StopReason, Transaction } from './types.ts';

/** 2.0.1 StatusNotification only says whether the connector is in use; the charging sub-state is in TransactionEvent. */
const STATUS: Record<Phase, string> = {
  available: 'Available',
  preparing: 'Occupied',
  charging: 'Occupied',
  finishing: 'Occupied',
  reserved: 'Reserved',
  faulted: 'Faulted',
};

const ENDED: Record<StopReason, { triggerReason: string; stoppedReason: string }> = {
  Local: { triggerReason: 'StopAuthorized', stoppedReason: 'Local' },
  Remote: { triggerReason: 'RemoteStop', stoppedReason: 'Remote' },
  EVDisconnected: { triggerReason: 'EVCommunicationLost', stoppedReason: 'EVDisconnected' },
  DeAuthorized: { triggerReason: 'Deauthorized', stoppedReason: 'DeAuthorized' },
  UnlockCommand: { triggerReason: 'UnlockCommand', stoppedReason: 'Other' },
  Fault: { triggerReason: 'AbnormalCondition', stoppedReason: 'Other' },
};

type IdTokenInfo = { idTokenInfo?: { status: string } };
type ComponentVariable = { component: { name: string }; variable: { name: string }; attributeType?: string };
type Schedule201 = { startSchedule?: string; chargingRateUnit: RateUnit; chargingSchedulePeriod: { startPeriod: number; limit: number }[] };
type Profile201 = { id: number; chargingProfilePurpose: string; chargingProfileKind: string; transactionId?: string; chargingSchedule: Schedule201[] };

/** OCPP 2.0.1: the station's messages (transactions as TransactionEvents) and its answers to the CSMS's calls. */
export function v201Dialect(port: StationPort): Dialect {
  const { settings, options } = port;
  const iso = (at: Date = port.clock.now()) => at.toISOString();
  const random = options.random;

  const meterValue = (s: Sample, context: string, withPower: boolean) => ({
    timestamp: iso(s.at),
    sampledValue: [
      { value: s.registerWh, context, measurand: 'Energy.Active.Import.Register', location: 'Outlet', unitOfMeasure: { unit: 'Wh' } },
      ...(withPower && settings.sampledData.includes('Power.Active.Import')
        ? [{ value: s.powerW, context, measurand: 'Power.Active.Import', location: 'Outlet', unitOfMeasure: { unit: 'W' } }]
        : []),
    ],
  });

  /**
   * The station chooses 2.0.1 transaction ids. Its clock is part of it, so a re-run with the same seed against
   * the same database does not reuse an id the CSMS has already seen.
   */
  const newTransactionId = () => `${port.clock.now().getTime().toString(36)}-${random.int(0, 36 ** 6 - 1).toString(36).padStart(6, '0')}`;

  const event = (tx: Transaction, eventType: string, triggerReason: string, at: Date, rest: object) => ({
    eventType,
    timestamp: iso(at),
    triggerReason,
    seqNo: tx.seqNo++,
    ...rest,
  });

  // Device model variables, "Component/Variable" (OCPP 2.0.1 part 2 appendices).
  const variables: Record<string, Setting> = {
    'OCPPCommCtrlr/HeartbeatInterval': integer(() => settings.heartbeatIntervalS, (n) => (settings.heartbeatIntervalS = n)),
    'SampledDataCtrlr/TxUpdatedInterval': integer(() => settings.meterIntervalS, (n) => (settings.meterIntervalS = n)),
    'SampledDataCtrlr/TxUpdatedMeasurands': text(() => settings.sampledData, (s) => (settings.sampledData = s)),
    'TxCtrlr/EVConnectionTimeOut': integer(() => settings.connectionTimeoutS, (n) => (settings.connectionTimeoutS = n)),
    'AuthCtrlr/AuthorizeRemoteStart': boolean(() => settings.authorizeRemoteStart, (b) => (settings.authorizeRemoteStart = b)),
    'ReservationCtrlr/Enabled': fixed('true'),
    'SmartChargingCtrlr/Enabled': fixed('true'),
    'SmartChargingCtrlr/RateUnit': fixed(port.rateUnit),
    'SecurityCtrlr/SecurityProfile': fixed('1'),
    'SecurityCtrlr/Identity': fixed(port.id),
    'SecurityCtrlr/BasicAuthPassword': password(settings),
  };
  /** The attribute status for reading or writing a variable, or undefined when it can be done. */
  const refusal = (d: ComponentVariable, access: 'get' | 'set') => {
    if (d.attributeType && d.attributeType !== 'Actual') return 'NotSupportedAttributeType';
    const setting = variables[`${d.component.name}/${d.variable.name}`];
    if (!setting) return Object.keys(variables).some((k) => k.startsWith(`${d.component.name}/`)) ? 'UnknownVariable' : 'UnknownComponent';
    return setting[access] ? undefined : 'Rejected';
  };
  const echo = (d: ComponentVariable) => ({ component: d.component, variable: d.variable, ...(d.attributeType ? { attributeType: d.attributeType } : {}) });

  const evseFilter = (evse?: { id: number }) =>
    evse === undefined || evse.id === 0 ? port.connectors : [port.connector(evse.id)].filter((c) => c !== undefined);

  /** What TriggerMessage asked for, sent after our answer. */
  const triggered: Record<string, (connectors: readonly Connector[]) => Promise<unknown>> = {
    Heartbeat: () => port.send('Heartbeat', {}),
    StatusNotification: async (connectors) => {
      for (const c of connectors) await dialect.status(c, true);
    },
    MeterValues: async (connectors) => {
      for (const c of connectors) await port.send('MeterValues', { evseId: c.id, meterValue: [meterValue(port.sample(c), 'Trigger', c.tx !== undefined)] });
    },
    TransactionEvent: async (connectors) => {
      for (const c of connectors) {
        const tx = c.tx;
        if (!tx?.id) continue;
        const s = port.sample(c);
        await port.send('TransactionEvent', event(tx, 'Updated', 'Trigger', s.at, { transactionInfo: { transactionId: tx.id }, meterValue: [meterValue(s, 'Trigger', true)] }));
      }
    },
    FirmwareStatusNotification: () => port.send('FirmwareStatusNotification', { status: 'Idle' }),
    LogStatusNotification: () => port.send('LogStatusNotification', { status: 'Idle' }),
  };

  const dialect: Dialect = {
    async boot(call) {
      const answer = await call<{ status: string; interval: number }>('BootNotification', {
        reason: 'PowerUp',
        chargingStation: {
          vendorName: options.vendor ?? 'Dynamo Sim',
          model: (options.model ?? `${options.maxPowerKw > 22 ? 'DC' : 'AC'}-${options.maxPowerKw}kW`).slice(0, 20),
          serialNumber: `SIM-${port.id}`.slice(0, 25),
          firmwareVersion: '1.0.0-sim',
        },
      });
      return answer && { accepted: answer.status === 'Accepted', intervalS: answer.interval };
    },

    async status(c, force = false) {
      const status = STATUS[c.phase];
      if (status === c.status && !force) return;
      c.status = status;
      await port.send('StatusNotification', { timestamp: iso(), connectorStatus: status, evseId: c.id, connectorId: 1 });
    },

    async authorize(idTag) {
      return (await port.send<IdTokenInfo>('Authorize', { idToken: { idToken: idTag, type: 'ISO14443' } }))?.idTokenInfo?.status === 'Accepted';
    },

    // Durable: the station owns the transaction id, so a Started event can wait in the queue like the others.
    async startTransaction(c, tx, trigger) {
      tx.id = newTransactionId();
      const answer = await port.send<IdTokenInfo>(
        'TransactionEvent',
        event(tx, 'Started', trigger, tx.startedAt, {
          transactionInfo: { transactionId: tx.id, chargingState: 'Charging', ...(tx.remoteStartId !== undefined ? { remoteStartId: tx.remoteStartId } : {}) },
          evse: { id: c.id, connectorId: 1 },
          idToken: { idToken: tx.idTag, type: tx.tokenType },
          ...(tx.reservationId !== undefined ? { reservationId: tx.reservationId } : {}),
          meterValue: [meterValue({ at: tx.startedAt, registerWh: tx.startWh, powerW: 0 }, 'Transaction.Begin', false)],
        }),
        true,
      );
      // Queued while offline (no answer yet): carry on as a station that trusts the token would.
      return answer?.idTokenInfo === undefined || answer.idTokenInfo.status === 'Accepted';
    },

    async meterValues(_c, tx, s) {
      await port.send('TransactionEvent', event(tx, 'Updated', 'MeterValuePeriodic', s.at, { transactionInfo: { transactionId: tx.id }, meterValue: [meterValue(s, 'Sample.Periodic', true)] }));
    },

    async stopTransaction(_c, tx, s) {
      const { triggerReason, stoppedReason } = ENDED[tx.stopReason ?? 'Local'];
      const timeSpentCharging = Math.round((s.at.getTime() - tx.startedAt.getTime()) / 1000);
      await port.send(
        'TransactionEvent',
        event(tx, 'Ended', triggerReason, s.at, { transactionInfo: { transactionId: tx.id, stoppedReason, timeSpentCharging }, meterValue: [meterValue(s, 'Transaction.End', false)] }),
        true,
      );
    },

    async reservationExpired(_c, reservation) {
      await port.send('ReservationStatusUpdate', { reservationId: reservation.id, reservationUpdateStatus: 'Expired' });
    },

    handlers: () => ({
      RequestStartTransaction: async (p: { idToken: { idToken: string; type: string }; remoteStartId: number; evseId?: number }) => ({
        status: port.remoteStart({ connectorId: p.evseId, idTag: p.idToken.idToken, tokenType: p.idToken.type, remoteStartId: p.remoteStartId }) ? 'Accepted' : 'Rejected',
      }),
      RequestStopTransaction: async (p: { transactionId: string }) => ({ status: port.remoteStop(p.transactionId) ? 'Accepted' : 'Rejected' }),
      ReserveNow: async (p: { id: number; expiryDateTime: string; idToken: { idToken: string }; evseId?: number }) => ({
        status: port.reserve({ connectorId: p.evseId, reservationId: p.id, idTag: p.idToken.idToken, expiresAt: new Date(p.expiryDateTime) }),
      }),
      CancelReservation: async (p: { reservationId: number }) => ({ status: port.cancelReservation(p.reservationId) ? 'Accepted' : 'Rejected' }),
      // 2.0.1 F05: the cable of an authorized transaction stays locked.
      UnlockConnector: async (p: { evseId: number; connectorId: number }) => ({ status: p.connectorId === 1 ? port.unlock(p.evseId, false) : 'UnknownConnector' }),
      TriggerMessage: async (p: { requestedMessage: string; evse?: { id: number } }) => {
        // F06.FR.17: a station whose boot was accepted rejects a triggered BootNotification.
        if (p.requestedMessage === 'BootNotification') return { status: 'Rejected' };
        const send = triggered[p.requestedMessage];
        if (!send) return { status: 'NotImplemented' };
        const selected = evseFilter(p.evse);
        if (selected.length === 0) return { status: 'Rejected' };
        port.later(() => send(selected));
        return { status: 'Accepted' };
      },
      GetVariables: async (p: { getVariableData: ComponentVariable[] }) => ({
        getVariableResult: p.getVariableData.map((d) => {
          const status = refusal(d, 'get');
          return { ...echo(d), attributeStatus: status ?? 'Accepted', ...(status ? {} : { attributeValue: variables[`${d.component.name}/${d.variable.name}`]!.get!() }) };
        }),
      }),
      SetVariables: async (p: { setVariableData: (ComponentVariable & { attributeValue: string })[] }) => ({
        setVariableResult: p.setVariableData.map((d) => {
          const status = refusal(d, 'set') ?? (variables[`${d.component.name}/${d.variable.name}`]!.set!(d.attributeValue) ? 'Accepted' : 'Rejected');
          return { ...echo(d), attributeStatus: status };
        }),
      }),
      // Smart charging (K01, K08, K10): TxProfiles on running transactions, the only purpose this station takes.
      SetChargingProfile: async (p: { evseId: number; chargingProfile: Profile201 }) => {
        const profile = p.chargingProfile;
        const schedule = profile.chargingSchedule[0]!;
        if (profile.chargingProfilePurpose !== 'TxProfile' || profile.chargingProfileKind === 'Recurring') return { status: 'Rejected' };
        const set = port.setTxProfile(p.evseId, profile.transactionId, {
          id: profile.id,
          unit: schedule.chargingRateUnit,
          ...(schedule.startSchedule ? { start: new Date(schedule.startSchedule) } : {}),
          periods: schedule.chargingSchedulePeriod.map(({ startPeriod, limit }) => ({ startPeriod, limit })),
        });
        return { status: set ? 'Accepted' : 'Rejected' };
      },
      ClearChargingProfile: async (p: { chargingProfileId?: number; chargingProfileCriteria?: { evseId?: number; chargingProfilePurpose?: string } }) => {
        const purpose = p.chargingProfileCriteria?.chargingProfilePurpose;
        const cleared = (!purpose || purpose === 'TxProfile') && port.clearProfiles({ id: p.chargingProfileId, connectorId: p.chargingProfileCriteria?.evseId || undefined });
        return { status: cleared ? 'Accepted' : 'Unknown' };
      },
      GetCompositeSchedule: async (p: { duration: number; evseId: number; chargingRateUnit?: RateUnit }) => {
        if (p.evseId !== 0 && !port.connector(p.evseId)) return { status: 'Rejected' };
        const schedule = port.compositeSchedule(p.evseId, p.duration, p.chargingRateUnit);
        return {
          status: 'Accepted',
          schedule: { evseId: p.evseId, duration: p.duration, scheduleStart: iso(schedule.start), chargingRateUnit: schedule.unit, chargingSchedulePeriod: schedule.periods },
        };
      },
      ClearCache: async () => ({ status: 'Accepted' }),
      DataTransfer: async () => ({ status: 'UnknownVendorId' }),
    }),
  };
  return dialect;
}
