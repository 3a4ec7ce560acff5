/**
 * Where a station's OCPP EVSEs sit in our network: the OCPI location, EVSE and connector each one feeds (its
 * binding), and what prices a session there.
 */
import type { SessionPlace } from '../domain/cdr/session-view.ts';
import { selectTariff } from '../domain/tariff-selection.ts';
import { idKey } from '../model/ocpi/ci-string.ts';
import type { Tariff, TariffType } from '../model/ocpi/tariff.ts';
import type { Storage } from '../storage/storage.ts';

/** Currency of sessions on a connector without any tariff (priced free). */
const DEFAULT_CURRENCY = 'EUR';

export class EvseBindings {
  constructor(private readonly storage: Pick<Storage, 'locations' | 'tariffs'>) {}

  /**
   * Where a charging session on this OCPP EVSE takes place and what prices it, as of `at`: the bound OCPI
   * location/EVSE/connector and the tariff of that connector valid then. Undefined for an unbound EVSE.
   */
  sessionPlace(chargePointId: string, ocppEvseId: number, at: string, wanted: TariffType = 'REGULAR'): SessionPlace | undefined {
    const binding = this.storage.locations.bindingsOf(chargePointId).find((b) => b.ocppEvseId === ocppEvseId);
    const location = binding && this.storage.locations.get(binding.locationKey);
    const evse = location?.evses?.find((e) => idKey(e.uid) === binding!.uidKey);
    const connector = evse?.connectors[0];
    if (!location || !evse || !connector) return undefined;
    const tariffs = (connector.tariff_ids ?? []).map((id) => this.storage.tariffs.get(id)).filter((t): t is Tariff => t !== undefined);
    const tariff = selectTariff(tariffs, wanted, at);
    return {
      locationId: location.id,
      evseUid: evse.uid,
      connectorId: connector.id,
      timeZone: location.time_zone,
      ...(tariff ? { tariff } : {}),
      currency: tariff?.currency ?? DEFAULT_CURRENCY,
      cdrLocation: {
        id: location.id,
        ...(location.name ? { name: location.name } : {}),
        // CdrLocation keeps the pre-erratum lengths (address 45, state 20): cut rather than send an invalid CDR.
        address: location.address.slice(0, 45),
        city: location.city,
        ...(location.postal_code ? { postal_code: location.postal_code } : {}),
        ...(location.state ? { state: location.state.slice(0, 20) } : {}),
        country: location.country,
        coordinates: location.coordinates,
        evse_uid: evse.uid,
        evse_id: evse.evse_id ?? evse.uid,
        connector_id: connector.id,
        connector_standard: connector.standard,
        connector_format: connector.format,
        connector_power_type: connector.power_type,
      },
    };
  }

  /** The OCPP charge point and EVSE number feeding an OCPI EVSE, if bound. */
  bindingOf(locationId: string, evseUid: string): { chargePointId: string; ocppEvseId: number } | undefined {
    const row = this.storage.locations.evsesOf(locationId).find((r) => r.uidKey === idKey(evseUid));
    return row?.chargePointId != null && row.ocppEvseId != null ? { chargePointId: row.chargePointId, ocppEvseId: row.ocppEvseId } : undefined;
  }

  /** A charge point's EVSE (or all of its EVSEs) as OCPI LocationReferences, for real-time authorization. */
  locationReferences(chargePointId: string, ocppEvseId?: number) {
    const bindings = this.storage.locations.bindingsOf(chargePointId).filter((b) => ocppEvseId === undefined || b.ocppEvseId === ocppEvseId);
    const location = bindings[0] && this.storage.locations.get(bindings[0].locationKey);
    if (!location) return undefined;
    const uids = bindings.filter((b) => b.locationKey === bindings[0]!.locationKey).map((b) => b.uidKey);
    return { location_id: location.id, evse_uids: (location.evses ?? []).filter((e) => uids.includes(idKey(e.uid))).map((e) => e.uid) };
  }
}
