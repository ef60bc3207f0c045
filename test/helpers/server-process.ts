/**
 * The real server (`node --import tsx server/main.ts`, sandbox mode) in a process of its own, for
 * what an in-process server cannot show: a SIGKILL mid-write (the crash test) and a load
 * generator that must not share the server's event loop (the ingest benchmark).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { signWebhookBody } from '../../server/cloud-api/webhook-signature.js';
import { inboundMessageWebhook } from '../../server/sandbox/webhook-builder.js';
import type { SandboxBusiness, SandboxCustomer } from '../../server/sandbox/webhook-builder.js';
import { testDatabaseUrl } from './test-store.js';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');
const START_TIMEOUT_MS = 30_000;
const LISTENING = 'Sportello inbox server listening';

/** The sandbox's number (WHATSAPP_PHONE_NUMBER_ID is not set for the child). */
export const SANDBOX_BUSINESS: SandboxBusiness = { wabaId: '200000000000001', phoneNumberId: '100000000000001', displayPhoneNumber: '15550001234' };

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** The port of its /metrics listener (loopback, apart from the public one). */
  readonly metricsPort: number;
  readonly exited: Promise<void>;
  stderr(): string;
}

export interface ServerProcessOptions {
  readonly appSecret: string;
  readonly verifyToken: string;
  /** Node flags for the server only, e.g. ["--cpu-prof"]. */
  readonly nodeArgs?: readonly string[];
  /** The store on PostgreSQL; by default, the test store's (test/helpers/test-store.ts). */
  readonly databaseUrl?: string;
  /** More settings for the child, over the sandbox's (e.g. SPORTELLO_SANDBOX=0 and a Graph API of the test's own). */
  readonly env?: Readonly<Record<string, string>>;
  /** Each JSON log line the server writes after it is listening. */
  readonly onLogLine?: (entry: { level?: unknown }, line: string) => void;
}

/** Starts the server and resolves once it has logged its listening URL. */
export async function startServerProcess(dataDir: string, options: ServerProcessOptions): Promise<ServerProcess> {
  const databaseUrl = options.databaseUrl ?? (await testDatabaseUrl(dataDir));
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'server/main.ts'], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      TMPDIR: process.env.TMPDIR ?? '',
      SPORTELLO_SANDBOX: '1',
      SPORTELLO_SANDBOX_RATE: '0',
      SPORTELLO_PORT: '0',
      SPORTELLO_HOST: '127.0.0.1',
      SPORTELLO_METRICS_PORT: '0',
      SPORTELLO_DATA_DIR: dataDir,
      ...(databaseUrl === undefined ? {} : { SPORTELLO_DATABASE_URL: databaseUrl }),
      // info: the listening line is logged at info; request logging is off, so runs stay quiet.
      SPORTELLO_LOG_LEVEL: 'info',
      WHATSAPP_APP_SECRET: options.appSecret,
      WHATSAPP_VERIFY_TOKEN: options.verifyToken,
      ...options.env,
    },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return new Promise<ServerProcess>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: { port: number; metricsPort: number } | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (outcome instanceof Error) {
        child.kill('SIGKILL');
        reject(outcome);
      } else {
        resolve({ child, port: outcome.port, metricsPort: outcome.metricsPort, exited, stderr: () => stderr });
      }
    };
    const timer = setTimeout(
      () => settle(new Error(`the server did not log "${LISTENING}" within ${START_TIMEOUT_MS} ms; its stderr:\n${stderr}`)),
      START_TIMEOUT_MS,
    );
    child.once('error', (error) => settle(new Error(`the server could not be started: ${error.message}`)));
    child.once('exit', (code, signal) => settle(new Error(`the server exited before listening (code ${code}, signal ${signal}); its stderr:\n${stderr}`)));
    // Read stdout for the child's whole life, so its log writes never block on a full pipe.
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      let entry: { msg?: unknown; url?: unknown; metrics?: unknown; level?: unknown };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        return;
      }
      if (settled) options.onLogLine?.(entry, line);
      if (entry.msg !== LISTENING || typeof entry.url !== 'string' || typeof entry.metrics !== 'string') return;
      const port = Number(new URL(entry.url).port);
      const metricsPort = Number(new URL(entry.metrics).port);
      if (![port, metricsPort].every((value) => Number.isInteger(value) && value > 0))
        settle(new Error(`the server logged an unusable url: ${entry.url}, metrics ${entry.metrics}`));
      else settle({ port, metricsPort });
    });
  });
}

/** SIGKILL: no chance to finish anything. */
export async function killServerProcess(server: ServerProcess): Promise<void> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  await server.exited;
}

/** SIGTERM (the server finishes its commits and closes the store), SIGKILL if it hangs; true when it had to be killed. */
export async function stopServerProcess(server: ServerProcess, timeoutMs = 15_000): Promise<boolean> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return false;
  server.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), timeoutMs);
  });
  const tooLong = await Promise.race([server.exited.then(() => false), hung]);
  clearTimeout(timer);
  if (tooLong) await killServerProcess(server);
  return tooLong;
}

export interface SignedWebhook {
  readonly wamid: string;
  readonly body: Buffer;
  readonly signature: string;
}

/** One signed webhook carrying one text message from `customer`, in Meta's shape. */
export function signedTextWebhook(customer: SandboxCustomer, text: string, appSecret: string, timestampMs = Date.now()): SignedWebhook {
  const { wamid, body } = inboundMessageWebhook(SANDBOX_BUSINESS, customer, { type: 'text', text: { body: text } }, { timestampMs });
  const bytes = Buffer.from(body);
  return { wamid, body: bytes, signature: signWebhookBody(bytes, appSecret) };
}
