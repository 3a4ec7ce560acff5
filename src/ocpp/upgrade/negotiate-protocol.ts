import { OCPP_VERSIONS, type OcppVersion } from '../../model/ocpp-version.ts';

/**
 * Picks one subprotocol the station offered, preferring the newest we support (OCA TC_B_58_CSMS). We must answer
 * with exactly one offered value ourselves: left alone, Bun echoes the client's first offer even when we do not
 * speak it. Undefined means refuse the upgrade.
 */
export function negotiateProtocol(offered: string | null): OcppVersion | undefined {
  const offers = (offered ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  return OCPP_VERSIONS.find((version) => offers.includes(version));
}
