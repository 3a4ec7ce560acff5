/** Working with the endpoints a platform publishes in its version details (OCPI 2.2.1 versions, 2.2). */
import type { Endpoint, InterfaceRole } from './versions.ts';

/**
 * The interfaces of an eMSP that a CPO talks to (OCPI 2.2.1 module matrix): we push to its Receivers and pull
 * its token list; commands come from its Sender side.
 */
export const EMSP_INTERFACES_FOR_A_CPO: ReadonlyArray<Pick<Endpoint, 'identifier' | 'role'>> = [
  { identifier: 'locations', role: 'RECEIVER' },
  { identifier: 'sessions', role: 'RECEIVER' },
  { identifier: 'cdrs', role: 'RECEIVER' },
  { identifier: 'tariffs', role: 'RECEIVER' },
  { identifier: 'tokens', role: 'SENDER' },
  { identifier: 'commands', role: 'SENDER' },
];

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
