/**
 * The simulation talks to the CSMS like any operator integration: over its public REST API with an API key.
 * Never through internals — the same code smoke-tests a remote deployment.
 */
export interface CsmsClient {
  baseUrl: string;
  call<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; headers: Headers }>;
}

export function createCsmsClient(baseUrl: string, apiKey: string): CsmsClient {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    baseUrl: base,
    async call(method, path, body) {
      const response = await fetch(base + path, {
        method,
        headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(40_000),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // Not JSON (a PDF, an HTML error page): handed back as text.
      }
      return { status: response.status, body: parsed as never, headers: response.headers };
    },
  };
}

/** Fails loudly when the CSMS refuses a setup call: a simulation on a half-built network tells nothing. */
export async function expectOk(result: Promise<{ status: number; body: unknown }>, what: string) {
  const { status, body } = await result;
  if (status >= 300) throw new Error(`${what}: HTTP ${status} ${JSON.stringify(body)}`);
  return body;
}
