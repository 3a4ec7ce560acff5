/**
 * The credentials handshake (OCPI 2.2.1 credentials, "Registration"): reading the CPO's versions and 2.2.1
 * details, and registering with it as the initiator.
 */
import type { Credentials } from '../../model/ocpi/credentials.ts';
import type { Endpoint, Version, VersionDetails } from '../../model/ocpi/versions.ts';
import type { Access } from './access.ts';
import type { CpoLink } from './cpo-link.ts';
import { CpoCallError, requireData } from './cpo-client.ts';
import { OCPI_VERSION } from './paths.ts';

/** Reads the CPO's version list and its 2.2.1 details with `token` (A, B or C: all open these). */
export async function discoverCpo(versionsUrl: string, token: string): Promise<{ endpoints: Endpoint[]; credentialsUrl: string }> {
  const versions = (await requireData({ method: 'GET', url: versionsUrl, token })) as Version[] | undefined;
  const version = Array.isArray(versions) ? versions.find((v) => v.version === OCPI_VERSION) : undefined;
  if (!version) throw new CpoCallError(`The CPO at ${versionsUrl} offers no OCPI ${OCPI_VERSION}`);
  const details = (await requireData({ method: 'GET', url: version.url, token })) as VersionDetails | undefined;
  const endpoints = Array.isArray(details?.endpoints) ? details.endpoints : [];
  const credentialsUrl = endpoints.find((e) => e.identifier === 'credentials')?.url;
  if (!credentialsUrl) throw new CpoCallError(`The CPO's ${OCPI_VERSION} details at ${version.url} list no credentials endpoint`);
  return { endpoints, credentialsUrl };
}

/** We leave (OCPI 2.2.1 credentials DELETE): with the token the CPO gave us, so both sides' tokens stop working. */
export async function unregisterFrom(link: CpoLink): Promise<void> {
  const credentialsUrl = link.endpoints.find((e) => e.identifier === 'credentials')?.url;
  if (!credentialsUrl) throw new CpoCallError(`The CPO at ${link.versionsUrl} lists no credentials endpoint to unregister at`);
  await requireData({ method: 'DELETE', url: credentialsUrl, token: link.token });
}

/**
 * We initiate: with the CPO's token A we read its endpoints, hand it a fresh token B (accepted before the POST,
 * because the CPO calls our versions with it while handling the POST) and keep the token C it answers with.
 */
export async function registerAsInitiator(args: {
  cpoVersionsUrl: string;
  tokenA: string;
  access: Access;
  ourCredentials: (token: string) => Credentials;
}): Promise<{ link: CpoLink; tokenB: string }> {
  const { cpoVersionsUrl, tokenA, access, ourCredentials } = args;
  const { endpoints, credentialsUrl } = await discoverCpo(cpoVersionsUrl, tokenA);
  const tokenB = access.issuePartnerToken();
  try {
    const theirs = (await requireData({ method: 'POST', url: credentialsUrl, token: tokenA, body: ourCredentials(tokenB) })) as Credentials | undefined;
    if (typeof theirs?.token !== 'string' || !Array.isArray(theirs.roles))
      throw new CpoCallError(`The CPO answered our credentials POST without usable credentials`);
    return { link: { versionsUrl: theirs.url ?? cpoVersionsUrl, token: theirs.token, endpoints, roles: theirs.roles }, tokenB };
  } catch (error) {
    access.revokePartnerToken();
    throw error;
  }
}
