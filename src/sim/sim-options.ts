/**
 * Simulation options from flags (`--stations 10`, `--no-sim`) or the environment (SIM_STATIONS=10), flags
 * winning. Defaults make `bun dev` work with nothing set: 10 stations, an hour-long session in a minute.
 * Flags are parsed strictly (node:util parseArgs): a flag nobody knows is a mistake to report, not to ignore.
 */
import { parseArgs } from 'node:util';
import type { SimulationOptions } from './simulation.ts';

export interface SimArgs extends Omit<SimulationOptions, 'csmsUrl' | 'apiKey' | 'prefix' | 'onEvent'> {
  /** --help: print `simUsage` and do nothing else. */
  help: boolean;
  /** False with --no-sim: the server alone. */
  sim: boolean;
  /** Another CSMS to drive instead of our own (`bun run simulate`). */
  csms?: string;
  apiKey?: string;
  /** How long `bun run simulate` runs, in real seconds. */
  seconds: number;
  prefix: string;
}

/** The command the flags are for: `bun dev` or `bun run simulate`; each lists and accepts only its own flags. */
export type SimCommand = 'dev' | 'simulate';

/** A command-line mistake, one line: the usage is wrong (exit code 2) or a value is (exit code 1). */
export class SimArgsError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

interface Flag {
  type: 'string' | 'boolean';
  help: string;
  /** How the value is shown in the usage, e.g. "<n>". */
  value?: string;
  /** For numbers: the variable read when the flag is absent, the default, and whether it must be whole. */
  number?: { env: string; fallback: number; integer: boolean };
  only?: SimCommand;
  short?: string;
}

const FLAGS: Record<string, Flag> = {
  csms: { type: 'string', value: '<url>', help: 'base URL of the CSMS to drive (required)', only: 'simulate' },
  'api-key': { type: 'string', value: '<key>', help: 'operator API key of that CSMS (required)', only: 'simulate' },
  stations: { type: 'string', value: '<n>', help: 'simulated charge points', number: { env: 'SIM_STATIONS', fallback: 10, integer: true } },
  'arrival-rate': { type: 'string', value: '<n>', help: 'drivers per simulated hour', number: { env: 'SIM_ARRIVALS_PER_HOUR', fallback: 40, integer: false } },
  'meter-interval': { type: 'string', value: '<s>', help: 'simulated seconds between MeterValues', number: { env: 'SIM_METER_INTERVAL_S', fallback: 60, integer: false } },
  factor: { type: 'string', value: '<x>', help: 'simulated seconds per real second', number: { env: 'SIM_FACTOR', fallback: 60, integer: false } },
  seed: { type: 'string', value: '<n>', help: 'random seed (same seed, same drivers)', number: { env: 'SIM_SEED', fallback: 1, integer: true } },
  seconds: { type: 'string', value: '<s>', help: 'how long to run, in real seconds', number: { env: 'SIM_SECONDS', fallback: 60, integer: false }, only: 'simulate' },
  prefix: { type: 'string', value: '<text>', help: 'prefix of the stations, locations and tariffs created (default SIM)', only: 'simulate' },
  'no-emsp': { type: 'boolean', help: 'no simulated eMSP (it listens on loopback: use this unless the CSMS runs on this machine)' },
  'no-sim': { type: 'boolean', help: 'the server alone, with a static demo network (SIM=0)', only: 'dev' },
  help: { type: 'boolean', short: 'h', help: 'this text' },
};

const flagsOf = (command: SimCommand) => Object.entries(FLAGS).filter(([, flag]) => !flag.only || flag.only === command);

/** Every flag of the command, one per line, with its variable and default. */
export function simUsage(command: SimCommand): string {
  const head =
    command === 'simulate'
      ? 'usage: bun run simulate --csms <url> --api-key <key> [options]\n\nDrives simulated stations (and an eMSP) against a running CSMS through its public interfaces, then reports.'
      : 'usage: bun dev [options]\n\nThe server with demo configuration and a simulated network on loopback.';
  const rows = flagsOf(command).map(([name, flag]) => {
    const left = `  ${flag.short ? `-${flag.short}, ` : ''}--${name}${flag.value ? ` ${flag.value}` : ''}`;
    const extra = flag.number ? ` (${flag.number.env}, default ${flag.number.fallback})` : '';
    return `${left.padEnd(26)} ${flag.help}${extra}`;
  });
  return `${head}\n\noptions:\n${rows.join('\n')}\n`;
}

export function parseSimArgs(argv: string[], env: Record<string, string | undefined>, command: SimCommand): SimArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    const options = Object.fromEntries(flagsOf(command).map(([name, flag]) => [name, { type: flag.type, ...(flag.short ? { short: flag.short } : {}) }]));
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }));
  } catch (error) {
    // parseArgs names the flag and says what is wrong with it; the long hint about '--' is noise here.
    const reason = (error as Error).message.split('. To specify')[0]!.replace(/\.$/, '');
    throw new SimArgsError(`${reason} (see --help)`, 2);
  }
  const number = (name: string) => {
    const { env: variable, fallback, integer } = FLAGS[name]!.number!;
    const raw = (values[name] as string | undefined) ?? env[variable];
    if (raw === undefined) return fallback;
    const value = raw.trim() === '' ? NaN : Number(raw);
    if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
      throw new SimArgsError(`--${name} (${variable}) must be a positive ${integer ? 'whole number' : 'number'}, not "${raw}"`, 1);
    return value;
  };
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const csms = text('csms');
  const apiKey = text('api-key');
  return {
    help: values.help === true,
    sim: values['no-sim'] !== true && env.SIM !== '0',
    stations: number('stations'),
    arrivalsPerHour: number('arrival-rate'),
    meterIntervalS: number('meter-interval'),
    factor: number('factor'),
    seed: number('seed'),
    emsp: values['no-emsp'] !== true,
    ...(csms ? { csms } : {}),
    ...(apiKey ? { apiKey } : {}),
    seconds: number('seconds'),
    prefix: text('prefix') ?? 'SIM',
  };
}
