import type { ChargePoints } from '../../actors/charge-point/charge-points.ts';
import type { Partners } from '../../actors/partner/partners.ts';
import type { Deliveries } from '../../actors/partner/deliveries.ts';
import type { GuestSessions } from '../../actors/guest/guest-sessions.ts';
import type { Sessions } from '../../actors/session/sessions.ts';
import type { OcppGateway } from '../ocpp/ocpp-gateway.ts';
import type { Config } from '../config.ts';
import type { Clock } from '../lib/clock.ts';
import type { Secrets } from '../lib/secrets.ts';
import type { Network } from '../charging-network/network.ts';
import type { Storage } from '../storage/storage.ts';

/** What the operator REST adapter needs; wired in src/app.ts. */
export interface ApiDeps {
  config: Config;
  clock: Clock;
  secrets: Secrets;
  storage: Storage;
  network: Network;
  partners: Partners;
  chargePoints: ChargePoints;
  /** ChargePoints.remove, on the node holding the station's socket when that is another one (several nodes). */
  removeChargePoint(id: string): Promise<boolean>;
  gateway: OcppGateway;
  sessions: Sessions;
  deliveries: Deliveries;
  guests: GuestSessions;
  payments: { name: string; isPaymentMethodId: (s: string) => boolean };
}
