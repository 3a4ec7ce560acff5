import { EMSP_INTERFACES_FOR_A_CPO } from '../../src/model/ocpi/endpoints.ts';
import type { PartnerGateway } from './partner.ports.ts';
import { RegistrationError } from './registration-error.ts';

export const SUPPORTED_VERSION = '2.2.1';

/** Reads a partner's versions and 2.2.1 details (OCPI 2.2.1 credentials, registration steps 6.2–6.4). */
export async function discoverPlatform(gateway: PartnerGateway, versionsUrl: string, token: string) {
  const versions = await gateway.getVersions(versionsUrl, token).catch((error: Error) => {
    throw new RegistrationError('client-api-unusable', `Could not read versions at ${versionsUrl}: ${error.message}`);
  });
  const version = versions.find((v) => v.version === SUPPORTED_VERSION);
  if (!version)
    throw new RegistrationError(
      'unsupported-version',
      `Partner offers versions ${versions.map((v) => v.version).join(', ') || '(none)'}; we need ${SUPPORTED_VERSION}`,
    );
  const details = await gateway.getVersionDetails(version.url, token).catch((error: Error) => {
    throw new RegistrationError('client-api-unusable', `Could not read version details at ${version.url}: ${error.message}`);
  });
  if (details.version !== SUPPORTED_VERSION)
    throw new RegistrationError('unsupported-version', `Version details at ${version.url} describe ${details.version}, not ${SUPPORTED_VERSION}`);
  const credentials = details.endpoints.find((e) => e.identifier === 'credentials');
  if (!credentials) throw new RegistrationError('no-matching-endpoints', 'Partner publishes no credentials endpoint');
  const useful = details.endpoints.filter((e) => EMSP_INTERFACES_FOR_A_CPO.some((u) => u.identifier === e.identifier && u.role === e.role));
  if (useful.length === 0)
    throw new RegistrationError(
      'no-matching-endpoints',
      'Partner publishes none of the endpoints a CPO exchanges data with (locations/sessions/cdrs/tariffs RECEIVER, tokens/commands/chargingprofiles SENDER)',
    );
  return { versionsUrl, version: SUPPORTED_VERSION, endpoints: details.endpoints, credentialsUrl: credentials.url };
}
