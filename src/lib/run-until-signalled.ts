import { ConfigError } from '../config.ts';

/**
 * The process shell of `bun run start` and `bun dev`: start, then on SIGINT/SIGTERM run the returned stop and
 * exit cleanly. A configuration mistake is one readable line and exit code 1, not a stack trace.
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
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
