/** An integer command-line value within [min, max]; anything else ends the bench with a clear line and exit code 2. */
export function intArg(raw: string | undefined, min: number, max: number, flag: string) {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`${flag} must be an integer from ${min} to ${max} (got "${raw}")`);
    process.exit(2);
  }
  return value;
}
