import type { Partners } from '../../actors/partner/partners.ts';
import type { Sessions } from '../../actors/session/sessions.ts';
import type { Commands } from '../../actors/commands/commands.ts';
import type { ChargingProfiles } from '../../actors/charging-profiles/charging-profiles.ts';
import type { Config } from '../config.ts';
import type { Endpoint } from '../model/ocpi/versions.ts';
import type { Clock } from '../lib/clock.ts';
import type { Network } from '../charging-network/network.ts';
import type { DriverTokens } from '../charging-network/driver-tokens.ts';

/** What the OCPI adapter needs; wired in src/app.ts. */
export interface OcpiDeps {
  config: Config;
  clock: Clock;
  partners: Partners;
  network: Network;
  driverTokens: DriverTokens;
  sessions: Sessions;
  commands: Commands;
  chargingProfiles: ChargingProfiles;
}

/** A module we serve, as published in our version details (OCPI 2.2.1 versions, Endpoint). */
export type OcpiModule = Pick<Endpoint, 'identifier' | 'role'>;

export const OCPI_VERSION = '2.2.1' as const;
export const cpoBasePath = `/ocpi/cpo/${OCPI_VERSION}`;
