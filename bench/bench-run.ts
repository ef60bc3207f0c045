/**
 * What every bench that starts server processes does around its measurement: read its numeric
 * options (a flag, else an environment variable, else the default, within a range), run, and
 * whatever happens (a failure, Ctrl-C) stop its servers and remove its temporary directories.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { stopServerProcess } from '../test/helpers/server-process.js';
import type { ServerProcess } from '../test/helpers/server-process.js';

const STOP_TIMEOUT_MS = 15_000;

export interface NumberOption {
  readonly env: string;
  readonly fallback: number;
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
}

class UsageError extends Error {}

/** The options named in `spec`, by flag (`--sockets-per-agent`) or environment variable; a bad one is a usage error. */
export function readNumberOptions<Flag extends string>(spec: Record<Flag, NumberOption>): Record<Flag, number> {
  const flags = Object.keys(spec) as Flag[];
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({ options: Object.fromEntries(flags.map((flag) => [flag, { type: 'string' }])), strict: true, allowPositionals: false }) as {
      values: Record<string, string | undefined>;
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (known options: ${flags.map((flag) => `--${flag}`).join(', ')})`);
  }
  const read = (flag: Flag): number => {
    const { env, fallback, min, max, integer } = spec[flag];
    const raw = values[flag] ?? process.env[env];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
      throw new UsageError(`--${flag} (${env}) must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, not "${raw}".`);
    }
    return value;
  };
  return Object.fromEntries(flags.map((flag) => [flag, read(flag)])) as Record<Flag, number>;
}

/** Stops a server process the bench started (SIGTERM, then SIGKILL past the timeout), saying so when it had to kill it. */
export async function stopServer(server: ServerProcess): Promise<void> {
  if (await stopServerProcess(server, STOP_TIMEOUT_MS)) console.log(`server did not stop within ${STOP_TIMEOUT_MS} ms of SIGTERM: killed`);
}

/** What a bench's run holds, released by `runBench` in this order: servers, directories, then `atExit` in turn. */
export interface BenchHoldings {
  readonly temps: string[];
  readonly servers: ServerProcess[];
  readonly atExit: Array<() => Promise<void>>;
}

/** Reads the options, runs the bench and exits with its code: 2 for bad options, 1 when the run failed, 130 on Ctrl-C. */
export async function runBench<Options>(
  name: string,
  readOptions: () => Options,
  main: (options: Options, held: BenchHoldings) => Promise<number>,
): Promise<never> {
  let options: Options;
  try {
    options = readOptions();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${name}: ${error.message}`);
    process.exit(2);
  }
  const held: BenchHoldings = { temps: [], servers: [], atExit: [] };
  const cleanUp = (): void => {
    for (const server of held.servers) if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    for (const dir of held.temps) fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    cleanUp();
    process.exit(130);
  });
  let exitCode = 1;
  try {
    exitCode = await main(options, held);
  } catch (error) {
    console.error(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    for (const server of held.servers) await stopServer(server);
    cleanUp();
    for (const release of held.atExit) await release();
  }
  process.exit(exitCode);
}
