import type { SimStats } from './sim-stats.ts';
import { formatStats } from './sim-stats.ts';

/**
 * The terminal view of `bun dev`: one status line refreshed in place (on a TTY; elsewhere printed every 10 s)
 * and notable events printed above it, so the log stays readable.
 */
export function createStatusLine(out: { isTTY?: boolean; write(text: string): unknown } = process.stdout) {
  let last = '';
  let lastPrintMs = 0;
  const clear = () => (out.isTTY ? out.write('\r\x1b[2K') : undefined);
  return {
    event(message: string) {
      clear();
      out.write(`  ${new Date().toISOString().slice(11, 19)}  ${message}\n`);
      if (out.isTTY && last) out.write(last);
    },
    update(stats: SimStats) {
      last = `  ▸ ${formatStats(stats)}`;
      if (out.isTTY) {
        clear();
        out.write(last);
      } else if (Date.now() - lastPrintMs > 10_000) {
        lastPrintMs = Date.now();
        out.write(`${last}\n`);
      }
    },
    done() {
      if (out.isTTY) out.write('\n');
    },
  };
}
