/**
 * Regression of issue 16: an idTag/idToken holding a lone surrogate is schema-valid JSON, but no OCPI token uid
 * (printable ASCII) can match it. It is answered Invalid/Unknown, never InternalError, and such a transaction still
 * stops (a station retries an unanswered StopTransaction forever).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { partnerPool } from '../support/mothers/partners.ts';
import { rawStation } from '../support/raw-station.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

const HOSTILE = 'FZK16A\ud800';
const partners = partnerPool();
let cpo: TestServer;

beforeAll(async () => {
  cpo = startTestServer();
  // A registered eMSP with a Tokens Sender: an unknown idTag would be asked of it in real time.
  await partners.registered(cpo);
});
afterAll(async () => {
  await cpo.stop();
  partners.stopAll();
  removeDir(cpo.dir);
});

const now = () => new Date().toISOString();

describe('OCPP 1.6', () => {
  test('Authorize, StartTransaction and StopTransaction with a lone surrogate are answered Invalid; the stop completes', async () => {
    const station = await rawStation(cpo, 'CP-SURR-16', 'ocpp1.6');
    const authorize = await station.call('a1', [2, 'a1', 'Authorize', { idTag: HOSTILE }]);
    expect(authorize).toEqual([3, 'a1', { idTagInfo: { status: 'Invalid' } }]);
    const start = await station.call('s1', [2, 's1', 'StartTransaction', { connectorId: 1, idTag: HOSTILE, meterStart: 0, timestamp: now() }]);
    expect(start[0]).toBe(3);
    const { transactionId, idTagInfo } = start[2] as { transactionId: number; idTagInfo: { status: string } };
    expect(idTagInfo.status).toBe('Invalid');
    const stop = await station.call('t1', [2, 't1', 'StopTransaction', { transactionId, idTag: HOSTILE, meterStop: 10, timestamp: now() }]);
    expect(stop[0]).toBe(3);
    expect(stop[2]).toEqual({ idTagInfo: { status: 'Invalid' } });
    station.close();
  });
});

describe('OCPP 2.0.1', () => {
  test('Authorize with a lone surrogate is Unknown, and a transaction started with it ends', async () => {
    const station = await rawStation(cpo, 'CP-SURR-201', 'ocpp2.0.1');
    const idToken = { idToken: HOSTILE, type: 'ISO14443' };
    const authorize = await station.call('a1', [2, 'a1', 'Authorize', { idToken }]);
    expect(authorize).toEqual([3, 'a1', { idTokenInfo: { status: 'Unknown' } }]);
    const event = (seqNo: number, eventType: string, more: Record<string, unknown>) => ({
      eventType,
      timestamp: now(),
      triggerReason: eventType === 'Ended' ? 'StopAuthorized' : 'Authorized',
      seqNo,
      transactionInfo: { transactionId: 'TX-SURR-1', ...(eventType === 'Ended' ? { stoppedReason: 'Local' } : {}) },
      evse: { id: 1, connectorId: 1 },
      idToken,
      ...more,
    });
    const started = await station.call('e1', [2, 'e1', 'TransactionEvent', event(0, 'Started', {})]);
    expect(started[0]).toBe(3);
    expect((started[2] as any).idTokenInfo?.status).toBe('Unknown');
    const ended = await station.call('e2', [2, 'e2', 'TransactionEvent', event(1, 'Ended', {})]);
    expect(ended[0]).toBe(3);
    station.close();
  });
});
