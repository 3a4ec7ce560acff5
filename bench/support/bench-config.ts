import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';

/**
 * The configuration a bench server runs with: any free port on loopback, its database in `dir`, our bench identity;
 * TRACE=off|on from the environment, so that the trace's cost is measured by running a bench both ways (and
 * ACTOR_IDLE_EVICT_S).
 */
export function benchConfig(dir: string, adminKey: string) {
  return loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_PATH: join(dir, 'dynamo.sqlite'),
    ADMIN_API_KEY: adminKey,
    SECRET_KEY: 'bench-secret-key-0123456789abcdef0123456789',
    CPO_COUNTRY_CODE: 'NL',
    CPO_PARTY_ID: 'DYN',
    CPO_NAME: 'Dynamo Bench CPO',
    ...(process.env.TRACE ? { TRACE: process.env.TRACE } : {}),
    // bench:idle shortens it to see idle stations' actors leave memory within the run.
    ...(process.env.ACTOR_IDLE_EVICT_S ? { ACTOR_IDLE_EVICT_S: process.env.ACTOR_IDLE_EVICT_S } : {}),
  });
}
