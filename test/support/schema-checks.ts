/** Assertions on TypeBox schemas, for the tests that hold the OCPI examples against our models. */
import { expect } from 'bun:test';
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';

/** Human-readable errors, e.g. `/connectors/0/power_type: Expected required property`. */
export function errors(schema: TSchema, value: unknown): string[] {
  return [...Value.Errors(schema, value)].map((e) => `${e.path}: ${e.message}`);
}

export function expectValid(schema: TSchema, value: unknown): void {
  expect(errors(schema, value)).toEqual([]);
  // The compiled checker is what route validation uses; it must agree with Value.Check.
  expect(TypeCompiler.Compile(schema).Check(value)).toBe(true);
}

/** Distinct failing paths (a missing property is reported both as missing and as wrongly typed). */
export function errorPaths(schema: TSchema, value: unknown): string[] {
  return [...new Set([...Value.Errors(schema, value)].map((e) => e.path))];
}

export function expectRejectedAt(schema: TSchema, value: unknown, paths: string[]): void {
  expect(errorPaths(schema, value)).toEqual(paths);
  expect(TypeCompiler.Compile(schema).Check(value)).toBe(false);
}
