/**
 * Simulation options from flags (`--stations 10`, `--no-sim`) or the environment (SIM_STATIONS=10), flags
 * winning. Defaults make `bun dev` work with nothing set: 10 stations, an hour-long session in a minute.
 */
import type { SimulationOptions } from './simulation.ts';

export interface SimArgs extends Omit<SimulationOptions, 'csmsUrl' | 'apiKey' | 'prefix' | 'onEvent'> {
  /** False with --no-sim: the server alone. */
  sim: boolean;
  /** Another CSMS to drive instead of our own (`bun run simulate`). */
  csms?: string;
  apiKey?: string;
  /** How long `bun run simulate` runs, in real seconds. */
  seconds: number;
  prefix: string;
}

const NUMERIC = {
  stations: ['SIM_STATIONS', 10],
  'arrival-rate': ['SIM_ARRIVALS_PER_HOUR', 40],
  'meter-interval': ['SIM_METER_INTERVAL_S', 60],
  factor: ['SIM_FACTOR', 60],
  seed: ['SIM_SEED', 1],
  seconds: ['SIM_SECONDS', 60],
} as const;

export function parseSimArgs(argv: string[], env: Record<string, string | undefined>): SimArgs {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    const next = argv[i + 1];
    if (inline !== undefined) flags.set(name, inline);
    else if (next !== undefined && !next.startsWith('--')) flags.set(name, argv[++i]!);
    else flags.set(name, true);
  }
  const number = (name: keyof typeof NUMERIC) => {
    const [variable, fallback] = NUMERIC[name];
    const raw = flags.get(name) ?? env[variable];
    const value = raw === undefined || raw === true ? fallback : Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} (${variable}) must be a positive number (got "${String(raw)}")`);
    return value;
  };
  const text = (name: string) => {
    const value = flags.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  return {
    sim: !flags.has('no-sim') && env.SIM !== '0',
    stations: Math.round(number('stations')),
    arrivalsPerHour: number('arrival-rate'),
    meterIntervalS: number('meter-interval'),
    factor: number('factor'),
    seed: Math.round(number('seed')),
    emsp: !flags.has('no-emsp'),
    ...(text('csms') ? { csms: text('csms')! } : {}),
    ...(text('api-key') ? { apiKey: text('api-key')! } : {}),
    seconds: number('seconds'),
    prefix: text('prefix') ?? 'SIM',
  };
}
