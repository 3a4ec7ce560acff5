/**
 * Registered eMSP partners for OCPI tests, and the driver tokens they push to us. Every fake eMSP started here
 * is remembered so the test file can stop them all in afterAll.
 */
import { expect } from 'bun:test';
import { startFakeEmsp, type FakeEmsp, type FakeEmspOptions } from '../fake-emsp.ts';
import type { TestServer } from '../server.ts';

export interface Partner {
  emsp: FakeEmsp;
  /** Token C: what the partner presents on our functional OCPI modules. */
  token: string;
  countryCode: string;
  partyId: string;
}

export function partnerPool() {
  const started: FakeEmsp[] = [];
  const start = (options: FakeEmspOptions) => {
    const emsp = startFakeEmsp(options);
    started.push(emsp);
    return emsp;
  };
  return {
    /** The eMSP-initiated handshake (invitation → token A → emsp.registerWith), as a partner does it. */
    async registered(server: TestServer, options: FakeEmspOptions = {}): Promise<Partner> {
      const emsp = start(options);
      const invitation = await server.api('POST', '/api/v1/ocpi/invitations', { name: `Fake eMSP ${emsp.partyId}` });
      expect(invitation.status).toBe(201);
      const { cpo } = await emsp.registerWith(invitation.body.versions_url, invitation.body.token);
      return { emsp, token: cpo.token, countryCode: emsp.countryCode, partyId: emsp.partyId };
    },
    /**
     * The same handshake with the credentials POST sent straight to the server, for a server whose PUBLIC_URL
     * is not reachable from the test (registerWith follows the URLs we publish).
     */
    async registeredDirectly(server: TestServer, options: FakeEmspOptions = {}): Promise<Partner> {
      const emsp = start(options);
      const invitation = await server.api('POST', '/api/v1/ocpi/invitations', { name: `Fake eMSP ${emsp.partyId}` });
      expect(invitation.status).toBe(201);
      const tokenB = emsp.issueTokenA(); // any token the fake accepts serves as B
      const response = await server.ocpi('POST', '/ocpi/cpo/2.2.1/credentials', invitation.body.token, emsp.credentials(tokenB));
      expect(response.body.status_code).toBe(1000);
      return { emsp, token: response.body.data.token, countryCode: emsp.countryCode, partyId: emsp.partyId };
    },
    stopAll() {
      for (const emsp of started) emsp.stop();
    },
  };
}

/** A driver token of the partner's own role. */
export function aDriverToken(partner: Partner, more: Record<string, unknown> & { uid: string }) {
  return {
    country_code: partner.countryCode,
    party_id: partner.partyId,
    type: 'RFID',
    contract_id: `${partner.countryCode}${partner.partyId}C${more.uid}`.slice(0, 36),
    issuer: 'Fake eMSP',
    valid: true,
    whitelist: 'ALLOWED',
    last_updated: '2024-01-01T00:00:00Z',
    ...more,
  };
}

/** The partner pushes a token to our Tokens Receiver (PUT {tokens}/{cc}/{pid}/{uid}?type=). */
export async function pushToken(server: TestServer, partner: Partner, token: ReturnType<typeof aDriverToken>) {
  const response = await server.ocpi(
    'PUT',
    `/ocpi/cpo/2.2.1/tokens/${partner.countryCode}/${partner.partyId}/${encodeURIComponent(token.uid)}?type=${token.type}`,
    partner.token,
    token,
  );
  expect(response.body.status_code).toBe(1000);
  expect([200, 201]).toContain(response.status);
}
