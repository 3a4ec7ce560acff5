/**
 * The simulated eMSP's request pipeline: credentials token → route → body → handler, every outcome in the OCPI
 * envelope. Nothing a caller sends can crash it: a handler's unexpected error becomes a 3000 answer and an
 * `error` event.
 */
import { requestIdHeaders } from '../../ocpi/transport/request-ids.ts';
import type { Access } from './access.ts';
import { cpoRole, type CpoLink, type PartyIdentity } from './cpo-link.ts';
import type { SimEmspEventKind } from './context.ts';
import { failure, OcpiProblem, OcpiStatus, problems } from './envelope.ts';
import { matchRoute, type Route } from './router.ts';

export function createRequestHandler(
  routes: readonly Route[],
  deps: { access: Access; us: PartyIdentity; cpo: () => CpoLink | undefined; emit: (kind: SimEmspEventKind, message: string) => void },
) {
  return async function handle(request: Request): Promise<Response> {
    let response: Response;
    let functional = false;
    try {
      const url = new URL(request.url);
      const caller = deps.access.identify(request.headers.get('authorization'));
      if (!caller) throw problems.unauthorized();
      const match = matchRoute(routes, request.method, url.pathname);
      if (!match) throw problems.notFound(`No route ${request.method} ${url.pathname}`);
      functional = match.route.access === 'functional';
      // A token A opens only versions and credentials (OCPI 2.2.1 credentials, token vocabulary).
      if (functional && caller.kind !== 'partner') throw problems.unauthorized('This token only opens the versions and credentials modules');
      if (functional) checkAddressedToUs(request.headers, deps.us);
      const body = await readBody(request);
      response = await match.route.handle({ params: match.params, query: url.searchParams, body, caller });
    } catch (error) {
      if (error instanceof OcpiProblem) response = failure(error);
      else {
        deps.emit('error', `${request.method} ${request.url}: ${(error as Error)?.message ?? String(error)}`);
        response = failure(new OcpiProblem(500, OcpiStatus.serverError, 'The simulated eMSP failed to handle this request'));
      }
    }
    for (const [name, value] of Object.entries(requestIdHeaders(request.headers))) response.headers.set(name, value);
    if (functional) for (const [name, value] of Object.entries(responseRouting(deps.us, deps.cpo()))) response.headers.set(name, value);
    return response;
  };
}

/** Invalid JSON is a transport error: HTTP 400 (OCPI 2.2.1, HTTP status codes). */
async function readBody(request: Request): Promise<unknown> {
  if (request.method === 'GET' || request.method === 'DELETE') return undefined;
  const text = await request.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw problems.invalid('The body is not valid JSON');
  }
}

/** When the CPO names an addressee (OCPI-to-*), it must be us: a misrouted push is refused, not stored. */
function checkAddressedToUs(headers: Headers, us: PartyIdentity) {
  const country = headers.get('ocpi-to-country-code');
  const party = headers.get('ocpi-to-party-id');
  if (country === null && party === null) return;
  if (country?.toUpperCase() !== us.countryCode.toUpperCase() || party?.toUpperCase() !== us.partyId.toUpperCase())
    throw problems.invalid(`OCPI-to-country-code/OCPI-to-party-id ${country ?? '?'}/${party ?? '?'} does not address ${us.countryCode}/${us.partyId}`);
}

/** Response routing headers of a direct connection: FROM = us, TO = the CPO (OCPI 2.2.1, message routing). */
function responseRouting(us: PartyIdentity, link: CpoLink | undefined): Record<string, string> {
  const to = link && cpoRole(link);
  return {
    'ocpi-from-country-code': us.countryCode,
    'ocpi-from-party-id': us.partyId,
    ...(to ? { 'ocpi-to-country-code': to.country_code, 'ocpi-to-party-id': to.party_id } : {}),
  };
}
