import { openapi } from '@elysiajs/openapi';
import { Elysia, t } from 'elysia';
import { dirname, join } from 'node:path';
import { BAD_FRAME_BUDGET, MAX_FRAME_BYTES } from '../ocpp/ocpp-gateway.ts';
import { OCPP_VERSIONS } from '../model/ocpp-version.ts';

const assetsDir = dirname(Bun.resolveSync('swagger-ui-dist/package.json', import.meta.dir));
const assets: Record<string, string> = { 'swagger-ui-bundle.js': 'text/javascript', 'swagger-ui.css': 'text/css' };

const textBody = (description: string, example: string) => ({ description, content: { 'text/plain': { schema: { type: 'string' as const }, example } } });

/**
 * The OCPP WebSocket endpoint. Bun's server upgrades /ocpp/{id} before Elysia sees the request
 * (src/server.ts, ocpp/ocpp-gateway.ts), so no route describes it: it is written out here.
 */
type Paths = NonNullable<NonNullable<NonNullable<Parameters<typeof openapi>[0]>['documentation']>['paths']>;

export const ocppWebSocketPath: Paths = {
  '/ocpp/{chargePointId}': {
    get: {
      tags: ['OCPP'],
      operationId: 'ocppWebSocket',
      summary: `OCPP-J WebSocket for charge points (${OCPP_VERSIONS.join(', ')})`,
      description: [
        'A charge point opens one WebSocket here (`ws://` or `wss://`, GET with `Upgrade: websocket`) and speaks OCPP-J on it.',
        '',
        `**Subprotocols.** Offer \`${OCPP_VERSIONS.join('` and/or `')}\` in \`Sec-WebSocket-Protocol\`; we answer with exactly one of the offered values, the newest we speak (${OCPP_VERSIONS.join(' before ')}). An upgrade that offers none of them is refused with HTTP 400 before the 101.`,
        '',
        '**Authentication** (OCPP security profile 1, or 2 behind TLS): HTTP Basic with user = the charge point id of the URL and the password set with `PUT /api/v1/charge-points/{id}`. Every failure (no header, unknown id, wrong password, a user other than the id) is the same HTTP 401 with `WWW-Authenticate: Basic realm="OCPP"`, answered before the upgrade; repeated failures from one address for one id are answered more slowly (up to 5 s), never locked out.',
        '',
        `**Frames.** Text frames of at most ${MAX_FRAME_BYTES} bytes (${MAX_FRAME_BYTES / 1024 / 1024} MiB; a larger one closes the socket with 1009). A malformed frame is answered with a CALLERROR (message id "-1" when the id is unreadable); more than ${BAD_FRAME_BUDGET} malformed frames within a minute close the socket with 1008. Bun pings a socket idle for 60 s and closes it when nothing answers. A newly authenticated connection for the same id replaces the old one (closed with 4000).`,
      ].join('\n'),
      parameters: [
        { name: 'chargePointId', in: 'path', required: true, description: 'The charge point id (percent-encoded in the URL, as registered)', schema: { type: 'string' }, example: 'CP001' },
        { name: 'Authorization', in: 'header', required: true, description: 'Basic base64(chargePointId:password)', schema: { type: 'string' }, example: 'Basic Q1AwMDE6eDdLcTJtVm45THBSNHRXejhiWWM=' },
        {
          name: 'Sec-WebSocket-Protocol',
          in: 'header',
          required: true,
          description: `Comma-separated subprotocols the station speaks; we pick one of ${OCPP_VERSIONS.join(', ')}`,
          schema: { type: 'string' },
          example: OCPP_VERSIONS.join(', '),
        },
        { name: 'Upgrade', in: 'header', required: true, schema: { type: 'string', enum: ['websocket'] } },
      ],
      security: [{ ocppBasic: [] }],
      responses: {
        101: {
          description: 'Switching Protocols: the WebSocket is open; `Sec-WebSocket-Protocol` names the chosen OCPP version',
          headers: { 'Sec-WebSocket-Protocol': { description: 'One of the offered values', schema: { type: 'string', enum: [...OCPP_VERSIONS] } } },
        },
        400: textBody('Not a readable charge point id, or no supported subprotocol offered', `No supported OCPP subprotocol offered (${OCPP_VERSIONS.join(', ')})`),
        401: {
          ...textBody('Authentication failed (any reason); nothing tells whether the id exists', 'Unauthorized'),
          headers: { 'WWW-Authenticate': { schema: { type: 'string' }, example: 'Basic realm="OCPP"' } },
        },
        426: textBody('A plain HTTP request, not a WebSocket upgrade', 'Expected a WebSocket upgrade'),
      },
    },
  },
};

/**
 * OpenAPI document at /swagger/json, generated from the TypeBox schemas that validate requests, and a Swagger
 * UI at /swagger whose assets come from the swagger-ui-dist package, so the page works without internet.
 */
export function docsPlugin() {
  return new Elysia({ name: 'docs' })
    .use(
      openapi({
        path: '/swagger',
        provider: 'swagger-ui',
        // The OCPI routes contain "2.2.1": without this the plugin takes them for static files and hides them.
        exclude: { staticFile: false, paths: [/^\/swagger/] },
        swagger: { cdn: '/swagger/assets/swagger-ui-bundle.js', theme: '/swagger/assets/swagger-ui.css' },
        documentation: {
          info: {
            title: 'Dynamo CSMS',
            version: '0.1.0',
            description:
              'CPO backend: OCPI 2.2.1 (CPO role) under /ocpi, operator REST API under /api/v1, OCPP 1.6/2.0.1 WebSocket at /ocpp/{chargePointId}. OCPI calls take `Authorization: Token <base64 token>`; the operator API takes `Authorization: Bearer <key>` or `X-API-Key`; charge points authenticate with HTTP Basic.',
          },
          tags: [{ name: 'OCPP', description: 'Charge point WebSocket (handled by the server before the HTTP routes)' }],
          paths: ocppWebSocketPath,
          components: {
            securitySchemes: {
              bearer: { type: 'http', scheme: 'bearer' },
              apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
              ocpiToken: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Token <base64(credentials token)>' },
              ocppBasic: { type: 'http', scheme: 'basic', description: 'Charge points: user = charge point id, password from PUT /api/v1/charge-points/{id}' },
            },
          },
        },
      }),
    )
    .get(
      '/swagger/assets/:file',
      ({ params, set }) => {
        const type = assets[params.file];
        if (!type) {
          set.status = 404;
          return 'Not found';
        }
        set.headers['content-type'] = type;
        set.headers['cache-control'] = 'public, max-age=86400';
        return Bun.file(join(assetsDir, params.file));
      },
      { params: t.Object({ file: t.String() }), detail: { hide: true } },
    );
}
