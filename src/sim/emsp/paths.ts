/**
 * The simulated eMSP's URL layout in one place, so its version details, its handlers and the URLs it hands out
 * (response_url, CDR Location headers) cannot drift apart.
 */
import { EMSP_INTERFACES_FOR_A_CPO } from '../../model/ocpi/endpoints.ts';

export const OCPI_VERSION = '2.2.1';

/** Path prefix of the functional modules (the CPO's side lives under /ocpi/cpo/2.2.1). */
export const MODULES_PATH = `/ocpi/emsp/${OCPI_VERSION}`;
export const VERSIONS_PATH = '/ocpi/versions';
export const DETAILS_PATH = `/ocpi/${OCPI_VERSION}`;

/**
 * What we publish in our 2.2.1 version details: the eMSP mirror of a CPO (OCPI 2.2.1 module matrix). The CPO
 * pushes to our Receivers and pulls our tokens; `commands` SENDER says we send commands (results come back to
 * the response_url of each), `chargingprofiles` SENDER that we set charging profiles and take schedule updates.
 */
export const PUBLISHED_ENDPOINTS = [{ identifier: 'credentials', role: 'SENDER' }, ...EMSP_INTERFACES_FOR_A_CPO] as const;

export type EmspUrls = ReturnType<typeof emspUrls>;

export function emspUrls(base: string) {
  const module = (identifier: string) => `${base}${MODULES_PATH}/${identifier}`;
  return {
    base,
    versions: `${base}${VERSIONS_PATH}`,
    details: `${base}${DETAILS_PATH}`,
    module,
    /** Where a received CDR can be read back (the `Location` header of the CDR POST). */
    cdr: (n: number) => `${module('cdrs')}/${n}`,
    /** The response_url of one command we send. */
    commandResult: (commandId: string) => `${module('commands')}/results/${encodeURIComponent(commandId)}`,
    /** The response_url of one charging-profile request we send. */
    profileResult: (requestId: string) => `${module('chargingprofiles')}/results/${encodeURIComponent(requestId)}`,
    tokens: module('tokens'),
  };
}
