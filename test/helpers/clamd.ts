/**
 * A real clamd (Debian's clamav-daemon, /usr/sbin/clamd) for a test: its own temp dir with a
 * clamd.conf (foreground, a unix socket in the dir, no TCP, no freshclam) and a signature
 * database the test writes: the EICAR test file's MD5 hash signature and a body signature of a
 * marker string made here. Nothing is downloaded. `stop()` ends the process and removes the dir.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ClamdOptions } from '../../server/scanning/clamd-client.js';
import { ClamdClient } from '../../server/scanning/clamd-client.js';
import { makeTempDir } from './temp-dir.js';

export const CLAMD = '/usr/sbin/clamd';

/** The 68-byte EICAR anti-virus test file, which every scanner reports and nothing can run. */
export const EICAR = Buffer.from('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*', 'latin1');
export const EICAR_SIGNATURE = 'Eicar-Test-Signature';

/** A marker of our own: any file that holds it is reported as this signature. */
export const TEST_MARKER = Buffer.from('Sportello test marker: the signature database of this test names these bytes.', 'utf8');
export const TEST_SIGNATURE = 'Sportello.Test.Marker';

export interface RunningClamd {
  readonly socketPath: string;
  readonly dir: string;
  client(options?: Omit<ClamdOptions, 'address'>): ClamdClient;
  stop(): Promise<void>;
}

const START_DEADLINE_MS = 120_000;

export async function startClamd(options: { streamMaxLength?: string } = {}): Promise<RunningClamd> {
  const { dir, remove } = makeTempDir('sportello-clamd-');
  const socketPath = path.join(dir, 'clamd.sock');
  const md5 = crypto.createHash('md5').update(EICAR).digest('hex');
  fs.writeFileSync(path.join(dir, 'sportello-test.hdb'), `${md5}:${EICAR.length}:${EICAR_SIGNATURE}\n`);
  fs.writeFileSync(path.join(dir, 'sportello-test.ndb'), `${TEST_SIGNATURE}:0:*:${TEST_MARKER.toString('hex')}\n`);
  fs.mkdirSync(path.join(dir, 'tmp'));
  fs.writeFileSync(
    path.join(dir, 'clamd.conf'),
    [
      'Foreground yes',
      `LocalSocket ${socketPath}`,
      'LocalSocketMode 600',
      `DatabaseDirectory ${dir}`,
      `TemporaryDirectory ${path.join(dir, 'tmp')}`,
      `StreamMaxLength ${options.streamMaxLength ?? '1M'}`,
      'Bytecode no',
      'SelfCheck 0',
      '',
    ].join('\n'),
  );
  const child = spawn(CLAMD, [`--config-file=${path.join(dir, 'clamd.conf')}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr.on('data', (data: Buffer) => (output += data.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= end(child, exited).then(remove));
  try {
    await waitForPong(new ClamdClient({ address: { socketPath }, timeoutMs: 5_000 }), child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    socketPath,
    dir,
    client: (clientOptions = {}) => new ClamdClient({ ...clientOptions, address: { socketPath } }),
    stop,
  };
}

async function waitForPong(client: ClamdClient, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_DEADLINE_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`clamd exited while starting:\n${output()}`);
    try {
      await client.ping();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`clamd did not answer PING within ${START_DEADLINE_MS} ms:\n${output()}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function end(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killed = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000))]);
  if (!killed) {
    child.kill('SIGKILL');
    await exited;
  }
}
