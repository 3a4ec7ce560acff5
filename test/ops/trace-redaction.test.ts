import { describe, expect, test } from 'bun:test';
import { MAX_PAYLOAD_CHARS, redactTrace, traceFrame, tracePayload } from '../../src/ops/trace/trace-redaction.ts';
import { moduleOfUrl } from '../../src/ops/trace/trace-recorder.ts';
import { partnerOfCall, sessionOfOcpi, transactionOf } from '../../src/ops/trace/trace-links.ts';

describe('trace redaction', () => {
  test('an OCPI credentials token is masked both ways; what an operator reads stays', () => {
    const credentials = { token: 'secret-token-c', url: 'https://emsp.example/versions', roles: [{ role: 'EMSP', party_id: 'EMS' }] };
    expect(redactTrace({ request: credentials, response: { data: credentials, status_code: 1000 } })).toEqual({
      request: { ...credentials, token: '[redacted]' },
      response: { data: { ...credentials, token: '[redacted]' }, status_code: 1000 },
    });
    const session = { id: 'S1', cdr_token: { uid: 'RFID1', type: 'RFID', contract_id: 'C1' }, authorization_reference: 'AUTH-1' };
    expect(redactTrace(session)).toEqual(session);
    // A Token object under `token` (AuthorizationInfo, START_SESSION) is no secret: kept.
    expect(redactTrace({ allowed: 'ALLOWED', token: { uid: 'RFID1' } })).toEqual({ allowed: 'ALLOWED', token: { uid: 'RFID1' } });
    expect(redactTrace({ headers: { Authorization: 'Token abc' }, password: 'p', apiKey: 'k' })).toEqual({ headers: { Authorization: '[redacted]' }, password: '[redacted]', apiKey: '[redacted]' });
  });

  test('OCPP frames: station secrets written through configuration are masked, everything else kept verbatim', () => {
    const change = JSON.stringify([2, 'm1', 'ChangeConfiguration', { key: 'AuthorizationKey', value: 'new-station-password' }]);
    expect(traceFrame(change, JSON.parse(change))).not.toContain('new-station-password');
    const set = [2, 'm2', 'SetVariables', { setVariableData: [{ component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' }, attributeValue: 'pw-201' }] }];
    expect(traceFrame(JSON.stringify(set), set)).not.toContain('pw-201');
    const heartbeat = '[2,"m3","Heartbeat",{}]';
    expect(traceFrame(heartbeat, JSON.parse(heartbeat))).toBe(heartbeat);
    const start = JSON.stringify([2, 'm4', 'TransactionEvent', { idToken: { idToken: 'RFID1', type: 'ISO14443' }, triggerReason: 'Authorized' }]);
    expect(JSON.parse(traceFrame(start, JSON.parse(start)))).toEqual(JSON.parse(start));
    const broken = '[2,"m5","DataTransfer",{"password":"oops"';
    expect(traceFrame(broken, undefined)).not.toContain('oops');
  });

  test('payloads beyond the cap are cut, still JSON', () => {
    const big = tracePayload({ data: 'x'.repeat(MAX_PAYLOAD_CHARS * 2) })!;
    expect(big.length).toBeLessThan(MAX_PAYLOAD_CHARS + 200);
    expect(JSON.parse(big)).toMatchObject({ truncated: true });
  });
});

describe('trace links', () => {
  test('sessions, transactions, modules and partners are named from what crossed the wire', () => {
    expect(sessionOfOcpi('https://emsp.example/ocpi/emsp/2.2.1/sessions/NL/DYN/S-1', {})).toBe('S-1');
    expect(sessionOfOcpi('/ocpi/cpo/2.2.1/sessions/S-2/charging_preferences', {})).toBe('S-2');
    expect(sessionOfOcpi('https://emsp.example/ocpi/emsp/2.2.1/cdrs', { session_id: 'S-3' })).toBe('S-3');
    expect(sessionOfOcpi('https://emsp.example/ocpi/emsp/2.2.1/locations/NL/DYN/L1', { session_id: 'no' })).toBeUndefined();
    expect(transactionOf({ transactionId: 7 })).toBe('7');
    expect(transactionOf({ transactionInfo: { transactionId: 'TX-1' } })).toBe('TX-1');
    expect(transactionOf({ connectorId: 1 })).toBeUndefined();
    expect(moduleOfUrl('https://emsp.example/ocpi/emsp/2.2.1/tokens/authorize')).toBe('tokens');
    expect(moduleOfUrl('https://emsp.example/ocpi/versions')).toBe('versions');
    const partners = [
      { id: 'A', status: 'registered', roles: [{ country_code: 'DE', party_id: 'EMS' }], versionsUrl: 'http://h:1/ocpi/versions', endpoints: [] },
      { id: 'B', status: 'registered', roles: [{ country_code: 'NL', party_id: 'OTH' }], versionsUrl: 'http://h:2/ocpi/versions', endpoints: [{ url: 'http://h:2/ocpi/2.2.1/cdrs' }] },
    ] as any[];
    expect(partnerOfCall(partners, 'http://anywhere/x', { country_code: 'nl', party_id: 'oth' })).toBe('B');
    expect(partnerOfCall(partners, 'http://h:1/ocpi/2.2.1', undefined)).toBe('A');
    expect(partnerOfCall(partners, 'http://h:2/ocpi/2.2.1/cdrs', undefined)).toBe('B');
    expect(partnerOfCall(partners, 'http://elsewhere/ocpi', undefined)).toBeUndefined();
  });
});
