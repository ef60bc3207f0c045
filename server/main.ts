/**
 * `npm run server` / `npm start`: reads the configuration, starts the inbox server and, when no
 * real access token is configured, the sandbox standing in for Meta.
 */
import fs from 'node:fs';
import { CodedError } from '../common/errors/coded-error.js';
import { startInboxServer } from './app/inbox-server.js';
import type { InboxServer } from './app/inbox-server.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import type { ServerConfig, WhatsAppChannel } from './config/load-config.js';
import { createServerLogger } from './http/logging.js';
import { startSandbox } from './sandbox/start-sandbox.js';
import type { Sandbox } from './sandbox/start-sandbox.js';
import { openUnscannedFilesInTheSandbox } from './sandbox/sandbox-scanning.js';
import { ensureDevCertificate, writeDevProvisioningFile } from './tls/dev-certificate.js';
import type { DevCertificate } from './tls/dev-certificate.js';

/** A start-up failure a person can fix: one line, exit code 1, no stack trace. */
function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

let config: ServerConfig;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}

// Readable lines on a terminal, JSON lines anywhere else (npm start reads them from a pipe).
const log = createServerLogger(config.logLevel);
let sandbox: Sandbox | undefined;
let channel: WhatsAppChannel;
if (config.sandbox !== undefined) {
  sandbox = await startSandbox({ channel: config.channel, limits: config.sending });
  channel = sandbox.channel;
  log.warn(
    { graphApiUrl: channel.graphApiUrl, stripeApiUrl: sandbox.stripe.url, phoneNumberIds: sandbox.numbers.map((number) => number.phoneNumberId) },
    'SANDBOX MODE: no WHATSAPP_ACCESS_TOKEN is set, so Meta is replaced by a local stand-in with simulated customers. Nothing reaches WhatsApp.',
  );
} else {
  channel = config.channel as WhatsAppChannel;
}

let devCertificate: DevCertificate | undefined;
if (config.devTls && config.tls === undefined) {
  devCertificate = await ensureDevCertificate(config.dataDir);
  config = { ...config, tls: { certFile: devCertificate.certFile, keyFile: devCertificate.keyFile } };
}

let server: InboxServer;
try {
  server = await startInboxServer({ config, channel, seedNumbers: sandbox?.numbers, logger: log, stripeApiUrl: sandbox?.stripe.url });
} catch (error) {
  await sandbox?.close();
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
    fail(`SPORTELLO_PORT ${config.port} is already in use on ${config.host}: stop the other process or choose another port.`);
  if (error instanceof CodedError) fail(error.message);
  throw error;
}
log.info(
  { url: server.url, webhook: server.webhookUrl, metrics: `${server.metricsUrl}/metrics`, dataDir: config.dataDir, store: server.database.file },
  'Sportello inbox server listening',
);
// Without clamd the sandbox opens unscanned files, and says so (docs/safety-rules.md, "Without a scanner").
if (sandbox !== undefined && config.scanner === undefined) await openUnscannedFilesInTheSandbox(server.safety.policies, log);
if (devCertificate !== undefined) {
  const provisioningFile = writeDevProvisioningFile(config.dataDir, server.url, devCertificate, config.identity.orgName);
  log.info({ provisioningFile }, 'wrote the provisioning file for a desktop client on this machine');
}
if (sandbox !== undefined && config.sandbox !== undefined) {
  const trustedCertificate = devCertificate === undefined ? undefined : fs.readFileSync(devCertificate.certFile, 'utf8');
  const customers = sandbox.connect(server.webhookUrl, config.sandbox.customers, { trustedCertificate });
  customers.start(config.sandbox.customersPerSecond);
  // Meta's review in the sandbox: the pending order_confirmation template is approved a minute in (its status webhook; docs/templates.md).
  setTimeout(
    () =>
      void sandbox.graph
        .setTemplateStatus('1689556908129832', 'APPROVED')
        .catch((error: unknown) => log.warn({ err: error }, 'sandbox template approval failed')),
    60_000,
  ).unref();
  log.info({ customers: config.sandbox.customers, perSecond: config.sandbox.customersPerSecond }, 'sandbox customers writing');
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  await sandbox?.close();
  await server.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
