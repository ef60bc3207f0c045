/**
 * A PostgreSQL cluster of one test's own, which the test may stop and start again (the shared
 * cluster of scripts/throwaway-postgres.sh serves every other test and must stay up). The same
 * steps as that script: a temporary directory, initdb and pg_ctl as an unprivileged user when
 * run as root, a free loopback port, a random password; `remove` stops it and deletes it.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface OwnPostgres {
  /** The maintenance database's URL (postgres), with the password. */
  readonly url: string;
  readonly dataDir: string;
  stop(mode?: 'fast' | 'immediate'): void;
  start(): void;
  remove(): void;
}

function binDir(): string {
  const onPath = ['pg_ctl', 'initdb'].every((tool) => {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  if (onPath) return path.dirname(execFileSync('sh', ['-c', 'command -v pg_ctl'], { encoding: 'utf8' }).trim());
  const versions = fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((version) => `/usr/lib/postgresql/${version}/bin`).find((dir) => fs.existsSync(path.join(dir, 'pg_ctl')));
  if (found === undefined) throw new Error("no PostgreSQL binaries (initdb, pg_ctl): install Debian's postgresql (apt-get install postgresql)");
  return found;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const run = (tool: string, args: readonly string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'nobody', '--', path.join(bin, tool), ...args], { stdio: 'pipe' })
      : execFileSync(path.join(bin, tool), args, { stdio: 'pipe' });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sportello-own-pg-'));
  fs.chmodSync(work, 0o755);
  const data = path.join(work, 'data');
  fs.mkdirSync(data, { mode: 0o700 });
  const password = crypto.randomBytes(18).toString('base64url');
  const passwordFile = path.join(work, 'pwfile');
  fs.writeFileSync(passwordFile, `${password}\n`);
  if (asRoot) for (const owned of [work, data, passwordFile]) execFileSync('chown', ['nobody', owned]);
  let running = false;
  const port = await freePort();
  const start = () => {
    run('pg_ctl', [
      '-D',
      data,
      '-l',
      path.join(work, 'server.log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories=${work} -c max_connections=100 -c shared_buffers=32MB`,
      'start',
    ]);
    running = true;
  };
  const stop = (mode: 'fast' | 'immediate' = 'fast') => {
    if (!running) return;
    run('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
    running = false;
  };
  try {
    run('initdb', ['-D', data, '-U', 'sportello', `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C.UTF-8']);
    fs.rmSync(passwordFile);
    start();
  } catch (error) {
    fs.rmSync(work, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgres://sportello:${password}@127.0.0.1:${port}/postgres`,
    dataDir: data,
    stop,
    start,
    remove() {
      try {
        stop('immediate');
      } finally {
        fs.rmSync(work, { recursive: true, force: true });
      }
    },
  };
}
