/** Working with the endpoints a platform publishes in its version details (OCPI 2.2.1 versions, 2.2). */
import type { Endpoint, InterfaceRole } from './versions.ts';

/**
 * The interfaces of an eMSP that a CPO talks to (OCPI 2.2.1 module matrix): we push to its Receivers and pull
 * its token list; commands and charging profiles come from its Sender side, which also takes our
 * ActiveChargingProfile updates.
 */
export const EMSP_INTERFACES_FOR_A_CPO: ReadonlyArray<Pick<Endpoint, 'identifier' | 'role'>> = [
  { identifier: 'locations', role: 'RECEIVER' },
  { identifier: 'sessions', role: 'RECEIVER' },
  { identifier: 'cdrs', role: 'RECEIVER' },
  { identifier: 'tariffs', role: 'RECEIVER' },
  { identifier: 'tokens', role: 'SENDER' },
  { identifier: 'commands', role: 'SENDER' },
  { identifier: 'chargingprofiles', role: 'SENDER' },
];

/**
 * The interface of a partner that our pushes of a module go to: its Receiver — except ChargingProfiles, whose
 * Sender (the eMSP or SCSP) takes our ActiveChargingProfile PUTs on its Sender interface (OCPI 2.2.1 4.7).
 */
export function pushInterfaceOf(module: string): InterfaceRole {
  return module === 'chargingprofiles' ? 'SENDER' : 'RECEIVER';
}

/** The URL a platform published for a module in a role, if it did. */
export function endpointUrl(endpoints: readonly Endpoint[] | undefined, identifier: string, role: InterfaceRole): string | undefined {
  return endpoints?.find((e) => e.identifier === identifier && e.role === role)?.url;
}

/**
 * Endpoint URL + path with exactly one slash between them, and none added for an empty path (a CDR is POSTed to
 * the endpoint itself). Published URLs may or may not end in a slash; the spec's own have none.
 */
export function joinUrl(base: string, path: string): string {
  const trimmed = base.replace(/\/+$/, '');
  const rest = path.replace(/^\/+/, '');
  return rest ? `${trimmed}/${rest}` : trimmed;
}
