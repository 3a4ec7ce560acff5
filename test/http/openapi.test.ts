/**
 * The OpenAPI document the real server publishes at /swagger/json, read as a client would: every operation says
 * what success looks like, every JSON body has an example that its own schema accepts, and the parts the plugin
 * cannot derive from routes (the PDF receipt, 204s, OCPI error envelopes, the OCPP WebSocket) are there.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import Ajv2020 from 'ajv/dist/2020.js';
import { FormatRegistry } from '@sinclair/typebox';
import { OCPP_VERSIONS } from '../../src/model/ocpp-version.ts';
import '../../src/model/ocpi/types.ts'; // registers our named string formats
import { MAX_FRAME_BYTES } from '../../src/ocpp/ocpp-gateway.ts';
import { removeDir, startTestServer, type TestServer } from '../support/server.ts';

type Schema = Record<string, any>;
type Operation = { method: string; path: string; op: any };

let server: TestServer;
let doc: any;
let operations: Operation[];

beforeAll(async () => {
  server = startTestServer();
  const response = await fetch(`${server.url}/swagger/json`);
  expect(response.status).toBe(200);
  doc = await response.json();
  operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );
});

afterAll(async () => {
  await server.stop();
  removeDir(server.dir);
});

/** JSON Schema 2020-12 (OpenAPI 3.1) in strict mode, so a format nobody defined fails instead of passing. */
function validator() {
  const ajv = new Ajv2020({ strict: true, strictTypes: false, allErrors: true });
  // Our formats (model/ocpi/types.ts), and the two Elysia writes for numeric strings in query and responses.
  for (const name of ['calendar-date', 'http-url', 'iana-time-zone', 'iso-639-1']) ajv.addFormat(name, (value: string) => FormatRegistry.Get(name)!(value));
  ajv.addFormat('integer', /^-?\d+$/);
  ajv.addFormat('numeric', /^-?\d+(\.\d+)?$/);
  ajv.addFormat('binary', () => true);
  return ajv;
}

const jsonContent = (holder: any): Schema | undefined => holder?.content?.['application/json']?.schema;
const successes = (op: any) => Object.keys(op.responses ?? {}).filter((status) => /^2\d\d$/.test(status));

/** An example of its own, or (for a list) one of each item: what Swagger UI shows as the sample. */
function hasExample(schema: Schema): boolean {
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return true;
  return schema.type === 'array' && schema.items !== undefined && hasExample(schema.items);
}

/** Every schema node below `schema` (itself included), through properties, items and unions. */
function* nodes(schema: unknown): Generator<Schema> {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return;
  const node = schema as Schema;
  yield node;
  for (const key of ['properties', 'patternProperties', '$defs']) for (const child of Object.values(node[key] ?? {})) yield* nodes(child);
  for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems']) for (const child of node[key] ?? []) yield* nodes(child);
  for (const key of ['items', 'additionalProperties', 'not']) yield* nodes(node[key]);
}

/**
 * Elysia writes an optional body (t.MaybeEmpty) as `anyOf: [object, {type: 'null'}, {type: 'undefined'}]`; JSON
 * has no undefined (it means "no body"), so that branch is dropped before the schema is compiled.
 */
function withoutUndefined(schema: Schema): Schema {
  return JSON.parse(JSON.stringify(schema), (_key, value) =>
    value && Array.isArray(value.anyOf) ? { ...value, anyOf: value.anyOf.filter((branch: Schema) => branch.type !== 'undefined') } : value,
  );
}

/** Request bodies and JSON responses of every operation, named for failure messages. */
function bodySchemas(): { where: string; schema: Schema; success: boolean; request: boolean }[] {
  const found = [];
  for (const { method, path, op } of operations) {
    const body = jsonContent(op.requestBody);
    if (body) found.push({ where: `${method} ${path} request body`, schema: body, success: true, request: true });
    // What we send back later (OpenAPI callbacks: results POSTed to a response_url) is documented the same way.
    for (const [name, callback] of Object.entries(op.callbacks ?? {}))
      for (const [expression, item] of Object.entries(callback as Record<string, Record<string, any>>))
        for (const [verb, call] of Object.entries(item)) {
          const sent = jsonContent(call.requestBody);
          if (sent) found.push({ where: `${method} ${path} callback ${name} ${verb.toUpperCase()} ${expression}`, schema: sent, success: true, request: true });
        }
    for (const [status, response] of Object.entries(op.responses ?? {})) {
      const schema = jsonContent(response);
      if (schema) found.push({ where: `${method} ${path} ${status}`, schema, success: /^2\d\d$/.test(status), request: false });
    }
  }
  return found;
}

describe('OpenAPI document', () => {
  test('every operation says what success is: a 2xx (101 for the WebSocket upgrade)', () => {
    expect(operations.length).toBeGreaterThan(50);
    const without = operations.filter(({ path, op }) => successes(op).length === 0 && !(path.startsWith('/ocpp/') && op.responses?.['101']));
    expect(without.map(({ method, path }) => `${method} ${path}`)).toEqual([]);
  });

  test('every request body and 2xx JSON response has an example', () => {
    const missing = bodySchemas().filter((b) => b.success && !hasExample(b.schema));
    expect(missing.map((b) => b.where)).toEqual([]);
  });

  test('every example in the document validates against the schema it belongs to', () => {
    const ajv = validator();
    const checked = new Map<string, string[]>();
    let examples = 0;
    for (const { where, schema } of bodySchemas()) {
      for (const node of nodes(schema)) {
        if (!Array.isArray(node.examples)) continue;
        const key = JSON.stringify(node);
        if (!checked.has(key)) {
          const validate = ajv.compile(withoutUndefined(node));
          const failures = node.examples.flatMap((example: unknown, i: number) =>
            validate(example) ? [] : [`example ${i} of ${node.title ?? 'schema'}: ${ajv.errorsText(validate.errors)}`],
          );
          examples += node.examples.length;
          checked.set(key, failures);
        }
        for (const failure of checked.get(key)!) throw new Error(`${where}: ${failure}`);
      }
    }
    // The spec's Location, Tariff, Token, Session, CDR, Credentials and version examples are among them.
    expect(examples).toBeGreaterThan(60);
  });

  test('OCPI objects carry the examples of the OCPI 2.2.1 release', () => {
    const location = doc.paths['/ocpi/cpo/2.2.1/locations/{location_id}'].get.responses['200'].content['application/json'].schema;
    expect(location.properties.data.examples[0]).toMatchObject({ country_code: 'BE', party_id: 'BEC', id: 'LOC1', name: 'Gent Zuid' });
    expect(location.examples[0]).toMatchObject({ status_code: 1000, data: { id: 'LOC1' } });
    const token = jsonContent(doc.paths['/ocpi/cpo/2.2.1/tokens/{country_code}/{party_id}/{token_uid}'].put.requestBody)!;
    expect(token.examples[0]).toMatchObject({ uid: '12345678905880', issuer: 'TheNewMotion' });
    const cdrs = jsonContent(doc.paths['/ocpi/cpo/2.2.1/cdrs'].get.responses['200'])!;
    expect(cdrs.examples[0].data[0]).toMatchObject({ id: '12345', total_energy: 15.342 });
  });

  test('HubClientInfo and the parties behind a partner connection are described', () => {
    const hubClientInfo = doc.paths['/ocpi/cpo/2.2.1/hubclientinfo/{country_code}/{party_id}'];
    expect(Object.keys(hubClientInfo).sort()).toEqual(['get', 'put']);
    expect(jsonContent(hubClientInfo.put.requestBody)!.examples[0]).toMatchObject({ country_code: 'NL', party_id: 'ALL', role: 'CPO', status: 'PLANNED' });
    expect(Object.keys(hubClientInfo.put.responses).sort()).toEqual(['200', '201', '400', '401', '403']);
    expect(jsonContent(hubClientInfo.get.responses['404'])!.examples.map((e: any) => e.status_code)).toEqual([2000]);
    const partner = jsonContent(doc.paths['/api/v1/ocpi/partners/{id}'].get.responses['200'])!;
    expect(partner.properties.parties.items.properties.status.enum).toEqual(['CONNECTED', 'OFFLINE', 'PLANNED', 'SUSPENDED']);
    expect(partner.examples[0].parties[0]).toMatchObject({ role: 'EMSP', status: 'CONNECTED' });
    const deliveries = jsonContent(doc.paths['/api/v1/ocpi/partners/{id}/deliveries'].get.responses['200'])!;
    expect(deliveries.items.properties.to.description).toContain('SUSPENDED');
  });

  test('ChargingProfiles: the SetChargingProfile body, the ChargingProfileResponse, and what follows as callbacks', () => {
    const item = doc.paths['/ocpi/cpo/2.2.1/chargingprofiles/{session_id}'];
    expect(jsonContent(item.put.requestBody)!.title).toBe('SetChargingProfile');
    for (const method of ['get', 'put', 'delete']) expect(jsonContent(item[method].responses['200'])!.examples[0].data).toEqual({ result: 'ACCEPTED', timeout: 30 });
    expect(item.get.parameters.filter((p: any) => p.in === 'query').map((p: any) => p.name).sort()).toEqual(['duration', 'response_url']);
    const sent = (method: string, name: string, expression: string, verb = 'post') => jsonContent(item[method].callbacks[name][expression][verb].requestBody)!.title;
    expect(sent('get', 'result', '{$request.query.response_url}')).toBe('ActiveChargingProfileResult');
    expect(sent('put', 'result', '{$request.body#/response_url}')).toBe('ChargingProfileResult');
    expect(sent('delete', 'result', '{$request.query.response_url}')).toBe('ClearProfileResult');
    expect(sent('put', 'schedule', '{your chargingprofiles endpoint}/{session_id}', 'put')).toBe('ActiveChargingProfile');
  });

  test('the guest receipt is a PDF, with its 404 and 409 as JSON', () => {
    const receipt = doc.paths['/api/v1/sessions/guest/{session_token}/receipt'].get;
    expect(receipt.responses['200'].content).toEqual({ 'application/pdf': { schema: { type: 'string', format: 'binary' } } });
    for (const status of ['404', '409']) expect(hasExample(jsonContent(receipt.responses[status])!)).toBe(true);
  });

  test('every DELETE documents its answers: success and the unknown id', () => {
    const deletes = operations.filter((o) => o.method === 'DELETE');
    expect(deletes.length).toBeGreaterThanOrEqual(6);
    for (const { path, op } of deletes) {
      expect(successes(op).length, path).toBeGreaterThan(0);
      for (const status of successes(op)) {
        const response = op.responses[status];
        expect(response.description, path).toBeString();
        // 204 has no body at all (the plugin's own rendering of a void schema is an invalid `content`).
        if (status === '204') expect(response.content, path).toBeUndefined();
        else expect(hasExample(jsonContent(response)!), path).toBe(true);
      }
      // The id in the URL may be unknown: 404, except the OCPI credentials (the token names the partner).
      if (path.startsWith('/api/')) expect(jsonContent(op.responses['404']), path).toBeDefined();
      else expect(op.responses['401'], path).toBeDefined();
    }
  });

  test('OCPI routes list the error envelopes: 401 everywhere, 400 + 2001 wherever a request can be invalid', () => {
    const ocpi = operations.filter((o) => o.path.startsWith('/ocpi/'));
    expect(ocpi.length).toBeGreaterThan(20);
    const statusOf = (schema: Schema) => schema.examples[0].status_code;
    for (const { method, path, op } of ocpi) {
      const unauthorized = jsonContent(op.responses['401']);
      expect(unauthorized, `${method} ${path}`).toBeDefined();
      expect(statusOf(unauthorized!)).toBe(2000);
      expect(unauthorized!.title).toBe('OcpiErrorEnvelope');
      // Only the token-A reads (versions, our credentials, unregistering) take nothing a caller could get wrong.
      const configurationRead = path.startsWith('/ocpi/versions') || (path.endsWith('/credentials') && (method === 'GET' || method === 'DELETE'));
      if (configurationRead) continue;
      const invalid = jsonContent(op.responses['400']);
      expect(invalid, `${method} ${path}`).toBeDefined();
      expect(statusOf(invalid!)).toBe(2001);
    }
    const notFound = (path: string, method = 'get') => jsonContent(doc.paths[path][method].responses['404'])!.examples.map((e: any) => e.status_code);
    for (const path of ['/ocpi/cpo/2.2.1/locations/{location_id}', '/ocpi/cpo/2.2.1/locations/{location_id}/{evse_uid}', '/ocpi/cpo/2.2.1/locations/{location_id}/{evse_uid}/{connector_id}'])
      expect(notFound(path)).toEqual([2003]);
    expect(notFound('/ocpi/cpo/2.2.1/tokens/{country_code}/{party_id}/{token_uid}')).toEqual([2004]);
    expect(notFound('/ocpi/cpo/2.2.1/tokens/{country_code}/{party_id}/{token_uid}', 'patch')).toEqual([2004]);
    expect(notFound('/ocpi/cpo/2.2.1/tokens/{token_uid}/authorize', 'post')).toEqual([2004, 2003]);
    expect(notFound('/ocpi/cpo/2.2.1/commands/START_SESSION', 'post')).toEqual([2003]);
    // One envelope schema: every error case is the same shape, documented by its description and example.
    const shapes = new Set(
      ocpi.flatMap(({ op }) =>
        Object.entries(op.responses)
          .filter(([status]) => status === '400' || status === '401')
          // Elysia sets additionalProperties on a schema once a route validates with it: shape = title, fields, required.
          .map(([, r]) => {
            const { title, properties, required } = jsonContent(r)!;
            return JSON.stringify({ title, properties, required });
          }),
      ),
    );
    expect([...shapes].map((shape) => JSON.parse(shape).title)).toEqual(['OcpiErrorEnvelope']);
  });

  test('the error envelopes document what the server really answers', async () => {
    const unauthorized = await server.ocpi('GET', '/ocpi/cpo/2.2.1/locations', undefined);
    expect(unauthorized.status).toBe(401);
    const schema = jsonContent(doc.paths['/ocpi/cpo/2.2.1/locations'].get.responses['401'])!;
    const validate = validator().compile(schema);
    expect(validate(unauthorized.body), JSON.stringify(validate.errors)).toBe(true);
    expect(unauthorized.body.status_code).toBe(schema.examples[0].status_code);
  });

  test('the OCPP WebSocket is described: Basic auth, both subprotocols, 401 before the upgrade, frame limit', () => {
    const ws = doc.paths['/ocpp/{chargePointId}']?.get;
    expect(ws).toBeDefined();
    const text = `${ws.summary}\n${ws.description}\n${JSON.stringify(ws.parameters)}`;
    for (const version of OCPP_VERSIONS) expect(text).toContain(version);
    expect(OCPP_VERSIONS).toEqual(['ocpp2.0.1', 'ocpp1.6']);
    expect(text).toContain('Sec-WebSocket-Protocol');
    expect(text).toContain('PUT /api/v1/charge-points/{id}');
    expect(text).toContain(String(MAX_FRAME_BYTES));
    expect(ws.security).toEqual([{ ocppBasic: [] }]);
    expect(doc.components.securitySchemes.ocppBasic).toMatchObject({ type: 'http', scheme: 'basic' });
    expect(Object.keys(ws.responses).sort()).toEqual(['101', '400', '401', '426']);
    expect(ws.responses['401'].headers['WWW-Authenticate']).toBeDefined();
  });

  test('the described refusals are what the gateway answers', async () => {
    const url = `${server.url}/ocpp/CP-UNKNOWN`;
    const upgrade = { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' };
    const noAuth = await fetch(url, { headers: { ...upgrade, 'sec-websocket-protocol': 'ocpp1.6' } });
    expect(noAuth.status).toBe(401);
    expect(noAuth.headers.get('www-authenticate')).toBe('Basic realm="OCPP"');
    expect(await noAuth.text()).toBe(doc.paths['/ocpp/{chargePointId}'].get.responses['401'].content['text/plain'].example);
  });
});
