/**
 * The eMSP side of bench/ocpi.ts: just enough of OCPI 2.2.1 to register with the server through an invitation
 * (versions, version details with a Tokens Sender endpoint and an empty token list) and get a token C to page
 * with. It publishes no Receiver endpoint, so the server pushes nothing to it while the load runs.
 */
const ok = (data: unknown, headers: Record<string, string> = {}) =>
  Response.json({ data, status_code: 1000, timestamp: new Date().toISOString() }, { headers });

export async function registerBenchPartner(serverUrl: string, adminKey: string, role: { countryCode: string; partyId: string }) {
  const tokenB = `bench-emsp-${crypto.randomUUID()}`;
  let pulled!: () => void;
  const tokensPulled = new Promise<void>((resolve) => (pulled = resolve));
  const stub: Bun.Server<undefined> = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch(request): Response {
      const path = new URL(request.url).pathname;
      if (path === '/ocpi/versions') return ok([{ version: '2.2.1', url: `${base}/ocpi/2.2.1` }]);
      if (path === '/ocpi/2.2.1')
        return ok({
          version: '2.2.1',
          endpoints: [
            { identifier: 'credentials', role: 'RECEIVER', url: `${base}/ocpi/emsp/2.2.1/credentials` },
            { identifier: 'tokens', role: 'SENDER', url: `${base}/ocpi/emsp/2.2.1/tokens` },
          ],
        });
      if (path === '/ocpi/emsp/2.2.1/tokens') {
        pulled();
        return ok([], { 'x-total-count': '0', 'x-limit': '100' });
      }
      return Response.json({ status_code: 2000, status_message: 'No such route', timestamp: new Date().toISOString() }, { status: 404 });
    },
  });
  const base: string = `http://127.0.0.1:${stub.port}`;
  try {
    const invitation = await call('POST', `${serverUrl}/api/v1/ocpi/invitations`, `Bearer ${adminKey}`, { name: 'Bench eMSP' });
    const versions = (await call('GET', invitation.versions_url, `Token ${invitation.token}`)).data as { version: string; url: string }[];
    const details = (await call('GET', versions.find((v) => v.version === '2.2.1')!.url, `Token ${invitation.token}`)).data as { endpoints: { identifier: string; url: string }[] };
    const credentials = details.endpoints.find((e) => e.identifier === 'credentials')!.url;
    const answer = await call('POST', credentials, `Token ${invitation.token}`, {
      token: tokenB,
      url: `${base}/ocpi/versions`,
      roles: [{ role: 'EMSP', country_code: role.countryCode, party_id: role.partyId, business_details: { name: 'Bench eMSP' } }],
    });
    return (answer.data as { token: string }).token;
  } finally {
    // The server pulls the token list right after registering: the stub stays until it has.
    await Promise.race([tokensPulled, Bun.sleep(10_000)]);
    // Not forced: the answer to that pull is still on its way out.
    await stub.stop();
  }
}

/** Server URLs use PUBLIC_URL (localhost); the bench calls 127.0.0.1 like the load does. */
async function call(method: string, url: string, authorization: string, body?: unknown): Promise<any> {
  const response = await fetch(url.replace('//localhost:', '//127.0.0.1:'), {
    method,
    headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json()) as any;
  if (!response.ok || (json.status_code !== undefined && json.status_code !== 1000)) throw new Error(`${method} ${url}: HTTP ${response.status} ${JSON.stringify(json)}`);
  return json;
}
