/**
 * Our credentials endpoint (OCPI 2.2.1 credentials) for a CPO that takes the initiative: it registers with a
 * token A we issued (POST), rotates or announces new endpoints (PUT) and unregisters (DELETE). We read its
 * versions and details with the token it sends before answering, and hand it a new token of ours each time.
 */
import type { Credentials } from '../../model/ocpi/credentials.ts';
import type { EmspContext } from './context.ts';
import { CpoCallError } from './cpo-client.ts';
import type { CpoLink } from './cpo-link.ts';
import { ok, OcpiProblem, OcpiStatus, problems } from './envelope.ts';
import { MODULES_PATH } from './paths.ts';
import { discoverCpo } from './registration.ts';
import type { Route } from './router.ts';
import { requireObject, requireStrings } from './validate.ts';

export function credentialsRoutes(ctx: EmspContext): Route[] {
  const path = `${MODULES_PATH}/credentials`;
  return [
    { method: 'GET', path, access: 'configuration', handle: ({ caller }) => ok(ctx.ourCredentials(caller.token)) },
    {
      method: 'POST',
      path,
      access: 'configuration',
      async handle({ caller, body }) {
        if (ctx.cpo.link) throw problems.methodNotAllowed('Already registered: PUT to update, DELETE to unregister');
        const link = await readCpo(body);
        const ours = ctx.access.issuePartnerToken();
        ctx.access.retireRegistrationToken(caller.token);
        ctx.cpo.link = link;
        // No token push here: the CPO pulls our token list once it has our answer (README, Tokens).
        ctx.emit('registered', `the CPO at ${link.versionsUrl} registered with us`);
        return ok(ctx.ourCredentials(ours));
      },
    },
    {
      method: 'PUT',
      path,
      access: 'configuration',
      async handle({ caller, body }) {
        if (!ctx.cpo.link || caller.kind !== 'partner') throw problems.methodNotAllowed('Not registered: POST to register');
        const link = await readCpo(body);
        const ours = ctx.access.issuePartnerToken();
        ctx.cpo.link = link;
        ctx.emit('credentials', 'the CPO updated its credentials; it has a new token of ours');
        return ok(ctx.ourCredentials(ours));
      },
    },
    {
      method: 'DELETE',
      path,
      access: 'configuration',
      handle({ caller }) {
        if (!ctx.cpo.link || caller.kind !== 'partner') throw problems.methodNotAllowed('Not registered');
        ctx.cpo.link = undefined;
        ctx.access.revokePartnerToken();
        ctx.emit('unregistered', 'the CPO unregistered');
        return ok();
      },
    },
  ];
}

/** The CPO's Credentials body, then its endpoints read with the token it gave us; its platform failing is 3001. */
async function readCpo(body: unknown): Promise<CpoLink> {
  const credentials = requireObject<Credentials>(body, 'Credentials', ['token', 'url', 'roles']);
  requireStrings(credentials, 'Credentials', ['token', 'url']);
  if (!Array.isArray(credentials.roles) || credentials.roles.length === 0) throw problems.invalid('Credentials: roles must list at least one role');
  try {
    const { endpoints } = await discoverCpo(credentials.url, credentials.token);
    return { versionsUrl: credentials.url, token: credentials.token, endpoints, roles: credentials.roles };
  } catch (error) {
    if (!(error instanceof CpoCallError)) throw error;
    // The request itself was fine; the CPO's own API was not usable: HTTP 200 with 3001 (OCPI 2.2.1 credentials).
    throw new OcpiProblem(200, OcpiStatus.clientApiUnusable, `Could not read the CPO's versions: ${error.message}`);
  }
}
