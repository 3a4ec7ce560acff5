/** What the operator reads in the logs on a bad night: station connections with their close codes, partners that failed to register. */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { capturingLogger } from '../support/capturing-logger.ts';
import { eventually } from '../support/eventually.ts';
import { connectStation } from '../support/stations.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

const { logger: capturing, lines } = capturingLogger();

let server: TestServer;
beforeAll(() => {
  server = startTestServer({ logger: capturing });
});
afterAll(async () => {
  await server.stop();
  removeDir(server.dir);
});

test('a station connecting, being replaced and leaving is logged with its protocol, takeover and close code', async () => {
  const first = await connectStation(server, 'CP-LOG');
  const second = await connectStation(server, 'CP-LOG', { register: false });
  await second.client.close({ code: 1000, reason: 'maintenance' });
  await eventually(() => expect(lines.filter((l) => l.msg === 'Station disconnected' && l.fields?.chargePointId === 'CP-LOG')).toHaveLength(2));
  const about = lines.filter((l) => l.fields?.chargePointId === 'CP-LOG');
  expect(about.map((l) => [l.level, l.msg])).toContainEqual(['warn', 'Station connection replaced by a newly authenticated one']);
  expect(about.filter((l) => l.msg === 'Station connected').map((l) => l.fields)).toEqual([
    { chargePointId: 'CP-LOG', protocol: 'ocpp1.6', takeover: false },
    { chargePointId: 'CP-LOG', protocol: 'ocpp1.6', takeover: true },
  ]);
  const codes = about.filter((l) => l.msg === 'Station disconnected').map((l) => l.fields?.code);
  expect(codes).toEqual(expect.arrayContaining([4000, 1000]));
  await first.client.close().catch(() => undefined);
});

test('a partner whose platform cannot be reached is a warning naming the reason, not an unhandled error', async () => {
  const dead = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response('down', { status: 500 }) });
  const answer = await server.api('POST', '/api/v1/ocpi/partners', { versions_url: `http://127.0.0.1:${dead.port}/ocpi/versions`, token: 'token-a-of-theirs' });
  dead.stop(true);
  expect(answer.status).toBe(502);
  const failed = lines.find((l) => l.msg === 'Partner registration failed');
  expect(failed).toMatchObject({ level: 'warn', fields: { reason: 'client-api-unusable', path: '/api/v1/ocpi/partners', requestId: expect.any(String) } });
  expect(lines.some((l) => l.msg === 'Unhandled error')).toBe(false);
  expect(JSON.stringify(lines)).not.toContain('token-a-of-theirs');
});
