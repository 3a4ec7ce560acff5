/**
 * OCPI objects are stored in the form they are served in, so that a list page is the stored texts joined as they
 * are. Elysia answers an object route with its response schema's "exact mirror" of the value (properties in schema
 * order, unknown ones dropped) — the same library, applied to each object's own schema, gives the same bytes.
 */
import type { TSchema, Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { createMirror } from 'exact-mirror';

export function servedForm<T extends TSchema>(schema: T): (value: Static<T>) => Static<T> {
  return createMirror(schema, { TypeCompiler }) as (value: Static<T>) => Static<T>;
}
