import type { HandlerTable } from '../ocpp-gateway.ts';
import type { OcppHandlerDeps } from './handler-deps.ts';

/**
 * OCPP 2.0.1 smart-charging notifications (K): a limit set or lifted by another source (an energy manager, the
 * grid operator), or the profiles on an EVSE reported. Each may change the schedule a session is charged to;
 * acknowledged at once, the new composite schedule is read afterwards and sent to the eMSP that smart-charges it.
 */
export function v201SmartCharging({ chargePoints, chargingProfiles }: OcppHandlerDeps): HandlerTable {
  const changed = ({ chargePointId }: { chargePointId: string }, p: { evseId?: number }) => {
    chargePoints.seen(chargePointId);
    chargingProfiles.scheduleChanged(chargePointId, p.evseId);
    return {};
  };
  return { NotifyChargingLimit: changed, ClearedChargingLimit: changed, ReportChargingProfiles: changed };
}
