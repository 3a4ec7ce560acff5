/** One OCPI EVSE a charge point feeds: its location, its uid (both as keys) and the OCPP EVSE number. */
export interface EvseBinding {
  locationKey: string;
  uidKey: string;
  ocppEvseId: number | null;
}

/**
 * The EVSEs each charge point feeds, kept in memory: every StatusNotification (and every session start) asks, and
 * they change only when an operator edits a location or removes a station. Whoever changes them says so
 * (`changed`, `forget`) once the change is over — committed or rolled back — so the next read loads the truth.
 */
export class EvseBindings {
  private readonly byStation = new Map<string, readonly EvseBinding[]>();

  constructor(private readonly load: (chargePointId: string) => EvseBinding[]) {}

  of(chargePointId: string): readonly EvseBinding[] {
    let bindings = this.byStation.get(chargePointId);
    if (!bindings) this.byStation.set(chargePointId, (bindings = this.load(chargePointId)));
    return bindings;
  }

  /** Runs a change of any station's bindings; whatever its outcome, every cached binding is read again after it. */
  changing<T>(change: () => T): T {
    try {
      return change();
    } finally {
      this.byStation.clear();
    }
  }

  /** A removed station: its entry goes (its EVSEs keep their binding rows, valid again if it is registered anew). */
  forget(chargePointId: string) {
    this.byStation.delete(chargePointId);
  }
}
