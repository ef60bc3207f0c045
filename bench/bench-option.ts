/** A bench's size options: a flag, else an environment variable, else the default. */
export function positiveCount(flag: string | undefined, envName: string, fallback: number): number {
  const raw = flag ?? process.env[envName];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${envName} must be a positive whole number, not "${raw}"`);
  return value;
}
