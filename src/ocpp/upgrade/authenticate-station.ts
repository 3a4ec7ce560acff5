import type { Secrets } from '../../lib/secrets.ts';

export interface StationCredentialsLookup {
  passwordHashOf(chargePointId: string): string | undefined;
}

/**
 * Security profile 1/2: HTTP Basic with user = the identity in the URL and the station's password. Every
 * failure looks the same to the caller (unknown id, wrong password, another user, no header), so a response
 * never reveals whether an id exists. We split after the known identity rather than at the first colon, so a
 * password containing colons works (as ocpp-rpc sends it).
 */
export function authenticateStation(authorization: string | null, chargePointId: string, stations: StationCredentialsLookup, secrets: Secrets): boolean {
  const encoded = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '')?.[1];
  const storedHash = stations.passwordHashOf(chargePointId);
  if (!encoded) return false;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  if (!decoded.startsWith(`${chargePointId}:`)) return false;
  const password = decoded.slice(chargePointId.length + 1);
  // Hash even for unknown ids so timing does not tell them apart.
  const matches = secrets.matches(password, storedHash ?? secrets.hash('\u0000unknown-station'));
  return storedHash !== undefined && matches;
}
