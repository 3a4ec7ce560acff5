/** What the actor system needs from outside besides storage: the charging network, the station link, settings. */
import type { LocationFor, PartnerFeed } from '../../src/charging-network/partner-feed.ports.ts';
import type { Reader } from '../../src/domain/parties.ts';
import type { SessionPlace } from '../../src/domain/cdr/session-view.ts';
import type { Credentials } from '../../src/model/ocpi/credentials.ts';
import type { Location } from '../../src/model/ocpi/location.ts';
import type { Tariff, TariffType } from '../../src/model/ocpi/tariff.ts';
import type { Clock } from '../../src/lib/clock.ts';
import type { Logger } from '../../src/lib/logger.ts';
import type { Secrets } from '../../src/lib/secrets.ts';
import type { ActorStorage } from '../../src/storage/ports.ts';
import type { EvseStatusRule, EvseStatusSink } from '../charge-point/charge-points.ts';
import type { PaymentPort } from '../guest/guest.ports.ts';
import type { DeliveryLease, DeliveryPolicy } from '../partner/deliveries.ts';
import type { PartnerGateway } from '../partner/partner.ports.ts';

/** The charging network as the actors use it (src/charging-network/network.ts implements it). */
export interface ChargingNetworkPort extends EvseStatusSink {
  sessionPlace(chargePointId: string, ocppEvseId: number, at: string, tariffType?: TariffType): SessionPlace | undefined;
  location(reader: Reader, locationId: string): Location | undefined;
  bindingOf(locationId: string, evseUid: string): { chargePointId: string; ocppEvseId: number } | undefined;
  /** Every tariff, and every location with whom it goes to, for a newly registered partner's initial sync. */
  snapshot(): { tariffs: Tariff[]; locations: LocationFor[] };
}

/** The stations' live connections (the OCPP gateway implements it). */
export interface StationLink {
  /** Our CALL to a connected station; rejects when it is not connected, times out or answers with an error. */
  call(chargePointId: string, action: string, payload: unknown, timeoutMs: number): Promise<unknown>;
  disconnect(chargePointId: string, reason: string): void;
  isConnected(chargePointId: string): boolean;
}

/**
 * Several nodes: which stations this node owns (src/cluster/station-ownership.ts implements it). Without it
 * (one node) every station is this node's.
 */
export interface StationOwnershipPort {
  /** Throws when a newer owner's epoch is stored for the station; called inside the write's transaction. */
  fence(chargePointId: string): void;
  /** Whether this node holds the station now, so its actors may stay in memory here. */
  holds(chargePointId: string): boolean;
}

/**
 * Several nodes: `write` (known to every node by `type`; it resolves once committed) runs on the node holding the
 * station, whichever node asks for it (src/cluster/station-router.ts). Without it (one node) it runs here.
 */
export type OnStationOwner = <A extends { chargePointId: string }, R>(type: string, write: (args: A) => Promise<R>) => (args: A) => Promise<R>;

export interface ActorSystemSettings {
  owner: { countryCode: string; partyId: string; name: string };
  invitationTtlSeconds: number;
  offlineGraceSeconds: number;
  /** Idle charge-point actors leave memory after this long (to twice it); 0: never (actors/system/actor-host.ts). */
  actorIdleEvictSeconds: number;
  commandTimeoutSeconds: number;
  authorizeTimeoutMs: number;
  guest: { holdAmount: string; startTimeoutSeconds: number; stopWaitSeconds: number };
  delivery: DeliveryPolicy;
  /** At most one Session PATCH per session and partner in this time (0: every change at once). */
  sessionPatchIntervalSeconds: number;
}

export interface ActorSystemPorts<N extends ChargingNetworkPort> {
  storage: ActorStorage;
  /** Built once the partner outbox exists: the network tells partners of its changes through it. */
  network: (feed: PartnerFeed) => N;
  stations: StationLink;
  partnerGateway: PartnerGateway;
  payments: PaymentPort;
  /** OCPP station statuses → OCPI EVSE status (src/domain/evse-status.ts). */
  evseStatus: EvseStatusRule;
  /** Our Credentials carrying the token a partner is to use with us. */
  ourCredentials: (token: string) => Credentials;
  secrets: Secrets;
  clock: Clock;
  logger: Logger;
  settings: ActorSystemSettings;
  onDeadLetter?: (channel: string) => void;
  /** Told of every group commit: how many actor steps it held, and whether it committed. */
  onCommit?: (steps: number, outcome: 'committed' | 'failed') => void;
  ownership?: StationOwnershipPort;
  onStationOwner?: OnStationOwner;
  /** Several nodes: one node at a time delivers a channel (src/cluster/delivery-lease.ts). */
  deliveryLease?: DeliveryLease;
}
