/**
 * Main's log: structured (pino), in the app's log directory, and never a token, key, secret,
 * code or message text — only what happened and coded errors. The redaction paths are a net
 * under that rule, not a licence to log objects that might hold secrets.
 */
import path from 'node:path';
import pino from 'pino';

export type MainLogger = pino.Logger;

const REDACTED_PATHS = [
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.password',
  '*.secret',
  '*.appSecret',
  '*.secondFactor',
  '*.cacheKeyShare',
  '*.privateKey',
];

export function createMainLogger(options: { logDir: string; alsoToStdout: boolean; level?: string }): MainLogger {
  const file = pino.destination({ dest: path.join(options.logDir, 'main.log'), mkdir: true, sync: false });
  const streams: pino.StreamEntry[] = [{ stream: file }];
  if (options.alsoToStdout) streams.push({ stream: process.stdout });
  return pino(
    { level: options.level ?? 'info', base: { process: 'main' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    pino.multistream(streams),
  );
}
