/**
 * Log settings: structured (pino), and never a secret, token or message body. Request lines keep
 * the path only: the webhook handshake carries the verify token in its query string.
 *
 * Where the lines go: a person at a terminal (the output is a TTY: `npm run server`, `npm start`)
 * reads them as pino-pretty shows them; anything else (a pipe, a file, a log collector) gets one
 * JSON object per line. Redaction happens in pino, before either form is written.
 */
import type { FastifyRequest } from 'fastify';
import { pino } from 'pino';
import type { DestinationStream, Logger, LoggerOptions } from 'pino';
import { prettyFactory } from 'pino-pretty';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-hub-signature-256"]',
  'req.headers.cookie',
  // At the top of a log object and one level down: pino's `*` matches exactly one level.
  'accessToken',
  'appSecret',
  'verifyToken',
  'token',
  'password',
  '*.accessToken',
  '*.appSecret',
  '*.verifyToken',
  '*.token',
  '*.password',
  // Customers' numbers (docs/safety-rules.md, "Masked numbers"): whatever names them, at the top and one level down.
  'wa_id',
  'waId',
  'phone',
  'recipient_id',
  '*.wa_id',
  '*.waId',
  '*.phone',
  '*.recipient_id',
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: 'sportello-server' },
    serializers: {
      req: (request: FastifyRequest) => ({
        id: request.id,
        method: request.method,
        path: request.url.split('?')[0],
        remoteAddress: request.ip,
      }),
    },
  };
}

/** A stream log lines are written to; `isTTY` is true for a terminal (as on process.stdout). */
export interface LogOutput {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/** The server's logger, writing to `output` (stdout by default) in the form its reader takes (see above). */
export function createServerLogger(level: string, output?: LogOutput): Logger {
  const target = output ?? process.stdout;
  if (target.isTTY === true) {
    const show = prettyLine();
    return pino(loggerOptions(level), { write: (line: string) => target.write(show(line)) });
  }
  // Not a terminal: pino's own stdout destination unless another stream is given.
  return output === undefined ? pino(loggerOptions(level)) : pino(loggerOptions(level), output as DestinationStream);
}

/**
 * Writes lines that are, or may be, JSON log lines (the server's and the desktop app's, relayed
 * by `npm start`): readable on a terminal, unchanged anywhere else. A line that is not a JSON
 * object (Chromium's own messages) is shown as it came.
 */
export function terminalLineWriter(output: LogOutput = process.stdout): (line: string) => void {
  if (output.isTTY !== true) return (line) => void output.write(`${line}\n`);
  const show = prettyLine();
  return (line) => void output.write(show(line));
}

/**
 * pino-pretty's formatter, called in the writer's own turn (not its worker-thread transport), so
 * a line is on the terminal before the process exits. Local time; pid, host and
 * the service's name (the same on every line) left out.
 */
function prettyLine(): (line: string) => string {
  const pretty = prettyFactory({ translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' });
  return (line) => pretty(line);
}
