import { expect, test } from 'bun:test';
import fc from 'fast-check';
import { ocpiDateTime } from '../../src/lib/clock.ts';

test('ocpiDateTime: whole seconds in UTC with Z, whatever order the instants come in (the current second is cached)', () => {
  // Instants close together (the cache's case) and far apart, forwards and backwards, years 0–9999.
  const instant = fc.oneof(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), fc.integer({ min: 1_700_000_000_000, max: 1_700_000_003_000 }));
  fc.assert(
    fc.property(fc.array(instant, { minLength: 1, maxLength: 50 }), (instants) => {
      for (const ms of instants) {
        const text = ocpiDateTime(new Date(ms));
        expect(text).toBe(new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z'));
        expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      }
    }),
  );
});
