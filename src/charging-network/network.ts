import type { Config } from '../config.ts';
import { ocpiDateTime, type Clock } from '../lib/clock.ts';
import { hoursProblem, publishProblem } from '../domain/publish-rules.ts';
import { stampLocation } from '../domain/location-timestamps.ts';
import { sameContent } from '../domain/canonical-json.ts';
import type { LocationInput, OcppBinding, TariffInput } from '../model/api/network-input.ts';
import type { Connector, EVSE, Location } from '../model/ocpi/location.ts';
import type { Tariff, TariffType } from '../model/ocpi/tariff.ts';
import type { SessionPlace } from '../domain/cdr/session-view.ts';

import type { Storage } from '../storage/storage.ts';
import { idKey } from '../model/ocpi/ci-string.ts';
import type { PageFilter } from '../storage/ports.ts';
import { objectsOf, type RenderedPage } from '../storage/rendered-page.ts';
import { EvseBindings } from './evse-bindings.ts';
import { NetworkError } from './network-error.ts';
import type { Audience, LocationFor, PartnerFeed } from './partner-feed.ports.ts';
import { readsFor, sameParty, type Reader } from '../domain/parties.ts';

type OperatorEvse = EVSE & { ocpp?: OcppBinding };
export type OperatorLocation = Omit<Location, 'evses'> & { evses?: OperatorEvse[] };

/**
 * Who reads OCPI objects: the operator sees everything; a partner connection, acting for some of its parties,
 * sees published locations and those one of these parties may see.
 */
export type Viewer = Reader | 'operator';

/** Our charging network as operators edit it and partners read it: locations, EVSEs, connectors, tariffs. */
export class Network {
  private readonly bindings: EvseBindings;

  constructor(
    private readonly storage: Storage,
    private readonly config: Config,
    private readonly clock: Clock,
    private readonly feed: PartnerFeed,
  ) {
    this.bindings = new EvseBindings(storage);
  }

  putLocation(id: string, input: LocationInput): { location: OperatorLocation; created: boolean } {
    const { locations, tariffs, transact } = this.storage;
    this.checkOwnership('location', id, input);
    const problem = publishProblem(input) ?? hoursProblem(input);
    if (problem) throw new NetworkError('invalid', problem);
    const evses = input.evses ?? [];
    evses.forEach((evse, i) => {
      const dup = evses.findIndex((other) => idKey(other.uid) === idKey(evse.uid));
      if (dup !== i) throw new NetworkError('invalid', `evses/${i}/uid: ${evse.uid} appears twice`);
      const sameBinding = evses.findIndex((o) => o.ocpp && evse.ocpp && o.ocpp.charge_point_id === evse.ocpp.charge_point_id && o.ocpp.evse_id === evse.ocpp.evse_id);
      if (evse.ocpp && sameBinding !== i)
        throw new NetworkError('invalid', `evses/${i}/ocpp: charge point ${evse.ocpp.charge_point_id} EVSE ${evse.ocpp.evse_id} already feeds EVSE ${evses[sameBinding]!.uid}`);
      evse.connectors.forEach((c, j) => {
        if (evse.connectors.findIndex((o) => idKey(o.id) === idKey(c.id)) !== j)
          throw new NetworkError('invalid', `evses/${i}/connectors/${j}/id: ${c.id} appears twice in EVSE ${evse.uid}`);
      });
    });
    const tariffIds = [...new Set(evses.flatMap((e) => e.connectors.flatMap((c) => c.tariff_ids ?? [])))];
    const rows = evses.map((e) => ({ uidKey: idKey(e.uid), chargePointId: e.ocpp?.charge_point_id ?? null, ocppEvseId: e.ocpp?.evse_id ?? null }));
    const unbound = evses.map(({ ocpp: _, ...evse }) => evse);
    return transact(() => {
      const missing = tariffs.missing(tariffIds);
      if (missing.length > 0) throw new NetworkError('invalid', `evses/connectors/tariff_ids: unknown tariff ${missing.join(', ')} (create tariffs first)`);
      const conflicts = locations.conflictingEvses(id, rows);
      if (conflicts.length > 0) {
        const c = conflicts[0]!;
        throw new NetworkError('conflict', `EVSE ${c.uidKey} or its OCPP binding ${c.chargePointId ?? ''}/${c.ocppEvseId ?? ''} already belongs to location ${c.locationKey}`);
      }
      const previous = locations.get(id);
      const location = stampLocation(
        { ...input, id: input.id ?? id, country_code: this.config.cpo.countryCode, party_id: this.config.cpo.partyId, evses: unbound } as Parameters<typeof stampLocation>[0],
        previous,
        this.now(),
      );
      const { created } = locations.put(location, rows);
      // Pushed on any change of what partners see, also one within the second of the last (same last_updated).
      if (!previous || !sameContent(location, previous)) this.feed.locationChanged(location, this.audience(location));
      return { location: this.withBindings(location), created };
    });
  }

  operatorLocation(id: string): OperatorLocation | undefined {
    const location = this.storage.locations.get(id);
    return location && this.withBindings(location);
  }

  /**
   * Locations are never deleted in OCPI (sessions and CDRs point at them): partners are told every EVSE is
   * REMOVED, and our own copy goes.
   */
  deleteLocation(id: string): boolean {
    return this.storage.transact(() => {
      const location = this.storage.locations.get(id);
      if (!location) return false;
      const now = this.now();
      const removed = { ...location, evses: location.evses?.map((e) => ({ ...e, status: 'REMOVED' as const, last_updated: now })), last_updated: now };
      this.feed.locationChanged(removed, this.audience(location));
      return this.storage.locations.delete(id);
    });
  }

  /** A page of the locations the reader may see, as served (OCPI Locations Sender list). */
  locationsPage(reader: Reader, filter: PageFilter): RenderedPage {
    return this.storage.locations.page(filter, reader);
  }

  /** A page of all locations with their OCPP bindings, for the operator. */
  operatorLocationsPage(filter: PageFilter): { items: OperatorLocation[]; total: number } {
    const page = this.storage.locations.page(filter, 'operator');
    return { items: objectsOf<Location>(page).map((location) => this.withBindings(location)), total: page.total };
  }

  /** A location the viewer may see, or undefined (unknown and invisible look the same to a partner). */
  location(viewer: Viewer, id: string): Location | undefined {
    const location = this.storage.locations.get(id);
    if (!location || (viewer !== 'operator' && !location.publish && !this.maySee(viewer, location))) return undefined;
    return location;
  }

  evse(viewer: Viewer, locationId: string, evseUid: string): EVSE | undefined {
    return this.location(viewer, locationId)?.evses?.find((e) => idKey(e.uid) === idKey(evseUid));
  }

  connector(viewer: Viewer, locationId: string, evseUid: string, connectorId: string): Connector | undefined {
    return this.evse(viewer, locationId, evseUid)?.connectors.find((c) => idKey(c.id) === idKey(connectorId));
  }

  putTariff(id: string, input: TariffInput): { tariff: Tariff; created: boolean } {
    this.checkOwnership('tariff', id, input);
    const { last_updated: _, ...content } = input;
    const unstamped = { ...content, id: input.id ?? id, country_code: this.config.cpo.countryCode, party_id: this.config.cpo.partyId };
    return this.storage.transact(() => {
      // An identical PUT keeps its stamp, so date_from syncs do not re-pull unchanged tariffs.
      const previous = this.storage.tariffs.get(id);
      const { last_updated: stamp, ...before } = previous ?? { last_updated: undefined };
      const unchanged = previous !== undefined && sameContent(before, unstamped);
      const tariff = { ...unstamped, last_updated: unchanged ? stamp! : this.now() } as Tariff;
      const result = { tariff, ...this.storage.tariffs.put(tariff) };
      // A change within the same second as the last one has the same stamp, and is still news for partners.
      if (!unchanged) this.feed.tariffChanged(tariff);
      return result;
    });
  }

  tariff(id: string): Tariff | undefined {
    return this.storage.tariffs.get(id);
  }

  /** A page of tariffs, as served. */
  tariffsPage(filter: PageFilter): RenderedPage {
    return this.storage.tariffs.page(filter);
  }

  /** A tariff still listed on a connector cannot go (OCPI 2.2.1 Tariffs: delete only when no connector uses it). */
  deleteTariff(id: string): boolean {
    return this.storage.transact(() => {
      const users = this.storage.locations.referencingTariff(id);
      if (users.length > 0) throw new NetworkError('conflict', `Tariff ${id} is still used by connectors of location(s) ${users.join(', ')}`);
      const tariff = this.storage.tariffs.get(id);
      if (!tariff) return false;
      this.feed.tariffDeleted(tariff);
      return this.storage.tariffs.delete(id);
    });
  }

  /**
   * Live EVSE statuses from the charge point feeding them (`ocppEvseId` → OCPI status). Only a real change moves
   * the EVSE's and the location's `last_updated`; returns the EVSEs that changed. Call inside the transaction
   * that persists the station's actor.
   */
  applyEvseStatuses(chargePointId: string, statusOf: (ocppEvseId: number) => EVSE['status'] | undefined, at: string) {
    const { locations } = this.storage;
    const changed: { locationId: string; evseUid: string; status: EVSE['status'] }[] = [];
    const byLocation = Map.groupBy(locations.bindingsOf(chargePointId), (b) => b.locationKey);
    for (const [locationKey, bindings] of byLocation) {
      const location = locations.get(locationKey);
      if (!location?.evses) continue;
      let touched = false;
      const evses = location.evses.map((evse) => {
        const binding = bindings.find((b) => b.uidKey === idKey(evse.uid));
        const status = binding?.ocppEvseId != null ? statusOf(binding.ocppEvseId) : undefined;
        if (!status || status === evse.status || evse.status === 'REMOVED') return evse;
        touched = true;
        changed.push({ locationId: location.id, evseUid: evse.uid, status });
        return { ...evse, status, last_updated: at };
      });
      if (!touched) continue;
      const updated = { ...location, evses, last_updated: at };
      locations.replaceBody(updated);
      for (const change of changed.filter((c) => c.locationId === location.id))
        this.feed.evseChanged(updated, evses.find((e) => e.uid === change.evseUid)!, { status: change.status }, this.audience(updated));
    }
    return changed;
  }

  // Where the stations' OCPP EVSEs sit in the network: evse-bindings.ts.
  sessionPlace(chargePointId: string, ocppEvseId: number, at: string, wanted?: TariffType): SessionPlace | undefined {
    return this.bindings.sessionPlace(chargePointId, ocppEvseId, at, wanted);
  }

  bindingOf(locationId: string, evseUid: string): { chargePointId: string; ocppEvseId: number } | undefined {
    return this.bindings.bindingOf(locationId, evseUid);
  }

  locationReferences(chargePointId: string, ocppEvseId?: number) {
    return this.bindings.locationReferences(chargePointId, ocppEvseId);
  }

  /** Every tariff, then every location with whom it goes to: what a newly registered partner gets its share of. */
  snapshot(): { tariffs: Tariff[]; locations: LocationFor[] } {
    const all = { offset: 0, limit: Number.MAX_SAFE_INTEGER };
    const locations = objectsOf<Location>(this.storage.locations.page(all, 'operator')).map((location) => ({ location, audience: this.audience(location) }));
    return { tariffs: objectsOf<Tariff>(this.storage.tariffs.page(all)), locations };
  }

  /** Published: everyone; else the owners of the tokens publish_allowed_to names (OCPI 2.2.1 Location.publish). */
  private audience(location: Location): Audience {
    if (location.publish) return 'everyone';
    const holders = (location.publish_allowed_to ?? []).flatMap((entry) => this.storage.tokens.holdersMatching(entry));
    // Two entries may match tokens of one party: it still gets the location once.
    return holders.filter((h, i) => holders.findIndex((o) => o.partnerId === h.partnerId && sameParty(o.party, h.party)) === i);
  }

  private maySee(reader: Reader, location: Location): boolean {
    const audience = this.audience(location);
    return audience === 'everyone' || audience.some((a) => a.partnerId === reader.partnerId && readsFor(reader, a.party));
  }

  private withBindings(location: Location): OperatorLocation {
    const rows = new Map(this.storage.locations.evsesOf(location.id).map((r) => [r.uidKey, r]));
    return {
      ...location,
      ...(location.evses
        ? {
            evses: location.evses.map((evse) => {
              const row = rows.get(idKey(evse.uid));
              return row?.chargePointId != null ? { ...evse, ocpp: { charge_point_id: row.chargePointId, evse_id: row.ocppEvseId! } } : evse;
            }),
          }
        : {}),
    };
  }

  private checkOwnership(what: string, id: string, input: { id?: string; country_code?: string; party_id?: string }) {
    if (input.id !== undefined && idKey(input.id) !== idKey(id)) throw new NetworkError('invalid', `id: body ${what} id ${input.id} differs from ${id} in the URL`);
    const { countryCode, partyId } = this.config.cpo;
    if (input.country_code !== undefined && input.country_code.toUpperCase() !== countryCode)
      throw new NetworkError('invalid', `country_code: ${input.country_code} is not ours (${countryCode})`);
    if (input.party_id !== undefined && input.party_id.toUpperCase() !== partyId)
      throw new NetworkError('invalid', `party_id: ${input.party_id} is not ours (${partyId})`);
  }

  private now() {
    return ocpiDateTime(this.clock.now());
  }
}
