import { describe, expect, test } from 'bun:test';
import fc from 'fast-check';
import { Histogram, Registry } from 'prom-client';
import { BucketHistogram } from '../../src/ops/bucket-histogram.ts';

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

describe('BucketHistogram', () => {
  test('a scrape reads exactly as prom-client’s own Histogram fed the same observations', async () => {
    const observation = fc.record({
      action: fc.constantFrom('Heartbeat', 'StatusNotification', 'MeterValues'),
      // Bucket bounds themselves included: `le` is inclusive.
      seconds: fc.oneof(fc.constantFrom(...BUCKETS, 0, 3), fc.double({ min: 0, max: 5, noNaN: true })),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(observation, { maxLength: 200 }), async (observations) => {
        const ours = new Registry();
        const theirs = new Registry();
        const fast = new BucketHistogram('reply_seconds', 'Reply time', ['action'], BUCKETS, [ours]);
        const reference = new Histogram({ name: 'reply_seconds', help: 'Reply time', labelNames: ['action'], buckets: BUCKETS, registers: [theirs] });
        for (const { action, seconds } of observations) {
          fast.labels({ action }).observe(seconds);
          reference.labels(action).observe(seconds);
        }
        expect(await ours.metrics()).toBe(await theirs.metrics());
      }),
      { numRuns: 200 },
    );
  });
});
