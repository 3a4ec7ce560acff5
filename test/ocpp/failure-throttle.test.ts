import { expect, test } from 'bun:test';
import { FailureThrottle } from '../../src/ocpp/upgrade/failure-throttle.ts';

test('repeated failures from one source and id are slowed down, capped, and forgotten after the window', () => {
  let now = 0;
  const throttle = new FailureThrottle(() => now, 60_000, 5_000);
  const delays = Array.from({ length: 9 }, () => throttle.fail('10.0.0.1', 'CP-1'));
  expect(delays).toEqual([0, 0, 0, 250, 500, 1000, 2000, 4000, 5000]);
  // Another station id or another source is not affected.
  expect(throttle.fail('10.0.0.1', 'CP-2')).toBe(0);
  expect(throttle.fail('10.0.0.2', 'CP-1')).toBe(0);
  now += 60_000;
  expect(throttle.fail('10.0.0.1', 'CP-1')).toBe(0);
});
