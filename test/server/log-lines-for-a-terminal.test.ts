/**
 * `npm run server` and `npm start` write the server's log to a person at a terminal: readable
 * lines (pino-pretty) when the output is a TTY, one JSON object per line otherwise (a pipe, a
 * file, a log collector). Either way a secret is redacted before it is written.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createServerLogger, terminalLineWriter } from '../../server/http/logging.js';

const ANSI = new RegExp(String.raw`\u001b\[[0-9;]*m`, 'g');

/** A stream that says it is (or is not) a terminal, keeping what is written to it. */
function output(isTTY: boolean): { stream: PassThrough & { isTTY?: boolean }; text: () => string } {
  const stream: PassThrough & { isTTY?: boolean } = new PassThrough();
  if (isTTY) stream.isTTY = true;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8').replace(ANSI, '') };
}

const SECRET = 'EAAG-secret-access-token';

describe('the server logger', () => {
  it('writes readable lines to a terminal, with secrets redacted', () => {
    const terminal = output(true);
    const log = createServerLogger('info', terminal.stream);
    log.info({ channel: { accessToken: SECRET }, port: 8443 }, 'Sportello inbox server listening');
    const text = terminal.text();
    expect(text).toMatch(/INFO.*Sportello inbox server listening/);
    expect(text).toMatch(/port: 8443/);
    expect(text).toContain('[redacted]');
    expect(text).not.toContain(SECRET);
    expect(() => void JSON.parse(text.split('\n')[0] ?? '')).toThrow();
  });

  it('writes one JSON object per line anywhere else, with secrets redacted', () => {
    const pipe = output(false);
    const log = createServerLogger('info', pipe.stream);
    log.info({ channel: { accessToken: SECRET } }, 'first');
    log.warn({ password: 'hunter2' }, 'second');
    const lines = pipe.text().trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ level: 30, msg: 'first', service: 'sportello-server', channel: { accessToken: '[redacted]' } }),
      expect.objectContaining({ level: 40, msg: 'second', password: '[redacted]' }),
    ]);
    expect(pipe.text()).not.toContain(SECRET);
  });

  it('honours the level in both forms', () => {
    for (const isTTY of [true, false]) {
      const out = output(isTTY);
      const log = createServerLogger('warn', out.stream);
      log.info('not shown');
      log.warn('shown');
      expect(out.text()).not.toContain('not shown');
      expect(out.text()).toContain('shown');
    }
  });
});

describe('lines relayed to a terminal (npm start shows the server and the desktop app)', () => {
  const serverLine = JSON.stringify({
    level: 30,
    time: 1_700_000_000_000,
    service: 'sportello-server',
    msg: 'wrote the provisioning file for a desktop client on this machine',
  });

  it('shows a JSON log line readably on a terminal, and any other line as it came', () => {
    const terminal = output(true);
    const write = terminalLineWriter(terminal.stream);
    write(serverLine);
    write('[1234:ERROR:gpu_init.cc] not a log line');
    const lines = terminal.text().trimEnd().split('\n');
    expect(lines[0]).toMatch(/INFO.*wrote the provisioning file/);
    expect(() => void JSON.parse(lines[0] ?? '')).toThrow();
    expect(lines.at(-1)).toBe('[1234:ERROR:gpu_init.cc] not a log line');
  });

  it('passes every line through unchanged anywhere else', () => {
    const pipe = output(false);
    const write = terminalLineWriter(pipe.stream);
    write(serverLine);
    write('not a log line');
    expect(pipe.text()).toBe(`${serverLine}\nnot a log line\n`);
  });
});
