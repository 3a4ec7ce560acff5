import { describe, expect, test } from 'bun:test';
import { endpointUrl, joinUrl } from '../../src/model/ocpi/endpoints.ts';

describe('a published endpoint and a path below it', () => {
  test('one slash between them whether or not the endpoint URL ends in one', () => {
    expect(joinUrl('https://emsp.example/ocpi/emsp/2.2.1/locations', '/NL/DYN/LOC1')).toBe('https://emsp.example/ocpi/emsp/2.2.1/locations/NL/DYN/LOC1');
    expect(joinUrl('https://emsp.example/ocpi/emsp/2.2.1/locations/', 'NL/DYN/LOC1')).toBe('https://emsp.example/ocpi/emsp/2.2.1/locations/NL/DYN/LOC1');
  });

  test('an empty path is the endpoint itself, without a trailing slash (a CDR is POSTed there)', () => {
    expect(joinUrl('https://emsp.example/ocpi/emsp/2.2.1/cdrs/', '')).toBe('https://emsp.example/ocpi/emsp/2.2.1/cdrs');
  });

  test('an endpoint is found by module and role together', () => {
    const endpoints = [
      { identifier: 'tokens', role: 'SENDER' as const, url: 'https://emsp.example/tokens' },
      { identifier: 'locations', role: 'RECEIVER' as const, url: 'https://emsp.example/locations' },
    ];
    expect(endpointUrl(endpoints, 'tokens', 'SENDER')).toBe('https://emsp.example/tokens');
    expect(endpointUrl(endpoints, 'tokens', 'RECEIVER')).toBeUndefined();
    expect(endpointUrl(undefined, 'tokens', 'SENDER')).toBeUndefined();
  });
});
