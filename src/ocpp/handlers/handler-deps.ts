import type { ChargePoints } from '../../../actors/charge-point/charge-points.ts';
import type { Sessions } from '../../../actors/session/sessions.ts';
import type { Config } from '../../config.ts';
import type { Clock } from '../../lib/clock.ts';
import type { TokenAuthorizer } from '../../charging-network/token-authorizer.ts';

export interface OcppHandlerDeps {
  chargePoints: ChargePoints;
  sessions: Sessions;
  /** Reservations consumed by a starting transaction. */
  commands: { reservationUsed(reservationId: number): void };
  /** The station's limits changed: the smart-charging eMSPs of its sessions hear of it. */
  chargingProfiles: { scheduleChanged(chargePointId: string, ocppEvseId: number | undefined): void };
  authorizer: TokenAuthorizer;
  config: Config;
  clock: Clock;
}
