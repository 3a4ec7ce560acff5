import { openapi } from '@elysiajs/openapi';
import { Elysia, t } from 'elysia';
import { dirname, join } from 'node:path';

const assetsDir = dirname(Bun.resolveSync('swagger-ui-dist/package.json', import.meta.dir));
const assets: Record<string, string> = { 'swagger-ui-bundle.js': 'text/javascript', 'swagger-ui.css': 'text/css' };

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
              'CPO backend: OCPI 2.2.1 (CPO role) under /ocpi, operator REST API under /api/v1. OCPI calls take `Authorization: Token <base64 token>`; the operator API takes `Authorization: Bearer <key>` or `X-API-Key`.',
          },
          components: {
            securitySchemes: {
              bearer: { type: 'http', scheme: 'bearer' },
              apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
              ocpiToken: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Token <base64(credentials token)>' },
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
