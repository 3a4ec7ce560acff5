import { describe, expect, test } from 'bun:test';
import { tokenCandidates, tokenHeader } from '../../src/domain/credentials-token.ts';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('tokenCandidates: what a partner may mean by "Authorization: Token <value>"', () => {
  test('a value that is valid Base64 yields the value as sent first, then its decoding', () => {
    expect(tokenCandidates('Token dGVzdA==')).toEqual(['dGVzdA==', 'test']);
    // The spec's own example token, encoded the 2.2.1 way (without a trailing newline).
    expect(tokenCandidates('Token ZXhhbXBsZS10b2tlbg==')).toEqual(['ZXhhbXBsZS10b2tlbg==', 'example-token']);
  });

  test('a raw token that is itself valid Base64 of printable text is still offered as sent', () => {
    // A legacy peer sending the raw token "QUJDRA==" must still be matched, even though it decodes to "ABCD".
    const candidates = tokenCandidates('Token QUJDRA==');
    expect(candidates[0]).toBe('QUJDRA==');
    expect(candidates).toContain('ABCD');
    expect(candidates).toHaveLength(2);
  });

  test('garbage or non-Base64 values yield only themselves', () => {
    expect(tokenCandidates('Token garbage!')).toEqual(['garbage!']);
    expect(tokenCandidates('Token abc')).toEqual(['abc']); // length not a multiple of 4
    expect(tokenCandidates('Token a-b_c-d_')).toEqual(['a-b_c-d_']); // URL-safe alphabet is not standard Base64
    expect(tokenCandidates('Token emsp-c-1234')).toEqual(['emsp-c-1234']);
  });

  test('Base64 that does not decode to printable ASCII, or is not canonical, is not decoded', () => {
    expect(tokenCandidates('Token AAEC')).toEqual(['AAEC']); // bytes 00 01 02
    expect(tokenCandidates('Token abcd')).toEqual(['abcd']); // decodes to non-printable bytes
    expect(tokenCandidates(`Token ${b64('a b')}`)).toEqual([b64('a b')]); // decodes to a value with a space
    expect(tokenCandidates('Token dGVzdB==')).toEqual(['dGVzdB==']); // non-zero padding bits: does not round-trip
  });

  test('whitespace: extra spaces between scheme and value and trailing whitespace are tolerated', () => {
    expect(tokenCandidates('Token  x')).toEqual(['x']);
    expect(tokenCandidates('Token\tx')).toEqual(['x']);
    expect(tokenCandidates('Token x  ')).toEqual(['x']);
    expect(tokenCandidates('Token  dGVzdA==')).toEqual(['dGVzdA==', 'test']);
  });

  test('the scheme is case-insensitive ("token", "TOKEN")', () => {
    expect(tokenCandidates('token dGVzdA==')).toEqual(['dGVzdA==', 'test']);
    expect(tokenCandidates('TOKEN x')).toEqual(['x']);
  });

  test('anything that is not a single Token credential yields nothing', () => {
    expect(tokenCandidates(undefined)).toEqual([]);
    expect(tokenCandidates(null)).toEqual([]);
    expect(tokenCandidates('')).toEqual([]);
    expect(tokenCandidates('Token')).toEqual([]);
    expect(tokenCandidates('Token ')).toEqual([]);
    expect(tokenCandidates('Bearer x')).toEqual([]);
    expect(tokenCandidates('Basic dGVzdA==')).toEqual([]);
    expect(tokenCandidates('Token a b')).toEqual([]);
    expect(tokenCandidates(' Token x')).toEqual([]);
    expect(tokenCandidates('Tokenx')).toEqual([]);
  });
});

describe('tokenHeader: the outbound Authorization value', () => {
  test('is "Token " + Base64 of the UTF-8 token, without a trailing newline', () => {
    expect(tokenHeader('example-token')).toBe('Token ZXhhbXBsZS10b2tlbg==');
    expect(tokenHeader('ebf3b399-779f-4497-9b9d-ac6ad3cc44d2')).toBe('Token ZWJmM2IzOTktNzc5Zi00NDk3LTliOWQtYWM2YWQzY2M0NGQy');
  });

  test('round-trips through tokenCandidates for tokens of every shape we issue', () => {
    for (const token of ['example-token', 'dGVzdA==', 'a-b_c-d_', 'x', 'Z'.repeat(64), '!~"#$%']) {
      expect(tokenCandidates(tokenHeader(token))).toContain(token);
    }
  });
});
