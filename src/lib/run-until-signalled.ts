import { ConfigError } from '../config.ts';
import { StartupError } from './startup-error.ts';

/**
 * The process shell of `bun run start` and `bun dev`: start, then on SIGINT/SIGTERM run the returned stop and
 * exit cleanly. A configuration mistake or an unusable port or database is one readable line and exit code 1.
 */
export async function runUntilSignalled(start: () => Promise<() => Promise<void>> | (() => Promise<void>)): Promise<void> {
  try {
    const stop = await start();
    const shutdown = async () => {
      await stop();
      process.exit(0);
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  } catch (error) {
    // Whatever stops the start is said in words on stderr, exit code 1: never a stack trace (and under
    // `bun dev`'s watcher, a process that ends rather than one left half-started).
    const known = error instanceof ConfigError || error instanceof StartupError;
    console.error(known ? (error as Error).message : `Dynamo CSMS could not start: ${(error as Error).message ?? String(error)}`);
    process.exit(1);
  }
}
