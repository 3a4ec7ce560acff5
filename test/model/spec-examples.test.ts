/**
 * The examples our model schemas carry into the OpenAPI document (the OCPI ones are the release's own files, in
 * src/model/ocpi/examples): every example of every model schema is valid for it.
 */
import { describe, expect, test } from 'bun:test';
import type { TSchema } from '@sinclair/typebox';
import * as networkInput from '../../src/model/api/network-input.ts';
import * as apiResponses from '../../src/model/api/api-responses.ts';
import * as cdr from '../../src/model/ocpi/cdr.ts';
import * as commands from '../../src/model/ocpi/commands.ts';
import * as credentials from '../../src/model/ocpi/credentials.ts';
import * as location from '../../src/model/ocpi/location.ts';
import * as session from '../../src/model/ocpi/session.ts';
import * as tariff from '../../src/model/ocpi/tariff.ts';
import * as token from '../../src/model/ocpi/token.ts';
import * as types from '../../src/model/ocpi/types.ts';
import * as versions from '../../src/model/ocpi/versions.ts';
import { errors } from '../support/schema-checks.ts';

const modules = { networkInput, apiResponses, cdr, commands, credentials, location, session, tariff, token, types, versions };

const isSchema = (value: unknown): value is TSchema => typeof value === 'object' && value !== null && Symbol.for('TypeBox.Kind') in value;

describe('model schema examples', () => {
  const withExamples = Object.entries(modules).flatMap(([module, exports]) =>
    Object.entries(exports)
      .filter((entry): entry is [string, TSchema] => isSchema(entry[1]) && Array.isArray(entry[1].examples))
      .map(([name, schema]) => ({ name: `${module}.${name}`, schema })),
  );

  test('the objects of every OCPI module we serve have examples', () => {
    const names = withExamples.map((s) => s.name);
    for (const name of ['location.Location', 'location.EVSE', 'location.Connector', 'tariff.Tariff', 'token.Token', 'token.AuthorizationInfo', 'session.Session', 'cdr.CDR', 'credentials.Credentials', 'versions.Version', 'versions.VersionDetails', 'commands.StartSession', 'commands.CommandResponse', 'networkInput.LocationInput', 'networkInput.TariffInput', 'networkInput.OperatorLocation'])
      expect(names).toContain(name);
  });

  for (const { name, schema } of withExamples) {
    test(`${name}: every example is valid`, () => {
      expect(schema.examples.length).toBeGreaterThan(0);
      for (const value of schema.examples) expect(errors(schema, value)).toEqual([]);
    });
  }
});
