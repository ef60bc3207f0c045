/**
 * `npm start`: the product on its embedded defaults on one machine. The inbox server runs with
 * the sandbox standing in for Meta, over HTTPS with a self-signed certificate it writes a
 * provisioning file for; then the desktop client is built and started against that file, as
 * IT would deploy it. Where the Electron binary is not installed (it is downloaded by Electron's
 * own installer), the server keeps running and this says how to get the client.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { terminalLineWriter } from '../server/http/logging.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const dataDir = path.resolve(ROOT, process.env.SPORTELLO_DATA_DIR ?? 'data');
const provisioningFile = path.join(dataDir, 'provisioning.json');

function electronBinary(): string | undefined {
  try {
    // The electron package exports the path of its downloaded binary.
    const binary = createRequire(import.meta.url)('electron') as unknown;
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The system's clamd (Debian's clamav-daemon) scans files when it can: its socket is there and
 * freshclam has written a signature database. Without signatures clamd does not start, so the
 * sandbox runs without a scanner, opens unscanned files and says so (server/sandbox/sandbox-scanning.ts).
 */
const SYSTEM_CLAMD_SOCKET = '/run/clamav/clamd.ctl';
const SYSTEM_SIGNATURES = '/var/lib/clamav';
function systemScanner(): Record<string, string> {
  if (process.env.SPORTELLO_CLAMD_SOCKET !== undefined || process.env.SPORTELLO_CLAMD_TCP !== undefined) return {};
  const signatures = fs.existsSync(SYSTEM_SIGNATURES) ? fs.readdirSync(SYSTEM_SIGNATURES).filter((name) => /\.(cvd|cld)$/.test(name)) : [];
  if (signatures.length > 0 && fs.existsSync(SYSTEM_CLAMD_SOCKET)) {
    process.stderr.write(`Files are scanned by the system's clamd (${SYSTEM_CLAMD_SOCKET}, signatures: ${signatures.join(', ')}).\n`);
    return { SPORTELLO_CLAMD_SOCKET: SYSTEM_CLAMD_SOCKET };
  }
  process.stderr.write(
    [
      `No virus scanner: ${signatures.length === 0 ? `no ClamAV signature database in ${SYSTEM_SIGNATURES} (run freshclam)` : `clamd does not listen at ${SYSTEM_CLAMD_SOCKET}`}.`,
      'Customers’ files are NOT scanned; the sandbox opens unscanned files (attachments.refuseFilesWithoutCleanScan off).',
      '',
    ].join('\n'),
  );
  return {};
}

const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
  cwd: ROOT,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, ...systemScanner(), SPORTELLO_SANDBOX: '1', SPORTELLO_DEV_TLS: '1', SPORTELLO_DATA_DIR: dataDir },
});
const stop = (code: number): never => {
  server.kill('SIGTERM');
  process.exit(code);
};
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
server.on('exit', (code) => process.exit(code ?? 1));

// The server and the desktop app write JSON log lines to their pipes; a person at this terminal
// reads them pretty-printed, a pipe or file gets them as they came.
const showLine = terminalLineWriter(process.stdout);
const relayLines = (output: Readable, onLine: (line: string) => void = () => undefined): void => {
  readline.createInterface({ input: output }).on('line', (line) => {
    showLine(line);
    onLine(line);
  });
};

let clientStarted = false;
relayLines(server.stdout, (line) => {
  if (clientStarted || !line.includes('wrote the provisioning file')) return;
  clientStarted = true;
  startClient();
});

function startClient(): void {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) {
    process.stderr.write('The desktop client did not build (see above); the server keeps running.\n');
    return;
  }
  const binary = electronBinary();
  if (binary === undefined) {
    process.stderr.write(
      [
        '',
        'The desktop client is built (dist/), but the Electron binary is not installed on this machine:',
        'its download is blocked here. Where it can be downloaded, run `node node_modules/electron/install.js`',
        `and \`npm start\` again. The server keeps running; the client would use ${provisioningFile}.`,
        '',
      ].join('\n'),
    );
    return;
  }
  const client = spawn(binary, ['.'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, SPORTELLO_PROVISIONING_FILE: provisioningFile },
  });
  relayLines(client.stdout);
  client.on('exit', () => stop(0));
}
