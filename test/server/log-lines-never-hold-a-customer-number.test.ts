/**
 * pino redacts customers' numbers by the fields that name them (`wa_id`, `waId`, `phone`,
 * `recipient_id`), at the top of a log object and one level down, in both forms the server writes
 * (JSON lines and a terminal's readable ones): docs/safety-rules.md, "Masked numbers".
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createServerLogger } from '../../server/http/logging.js';

const NUMBER = '393471234501';

function output(isTTY: boolean): { stream: PassThrough & { isTTY?: boolean }; text: () => string } {
  const stream: PassThrough & { isTTY?: boolean } = new PassThrough();
  if (isTTY) stream.isTTY = true;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('the server logger', () => {
  for (const isTTY of [false, true]) {
    it(`redacts customers' numbers${isTTY ? ' on a terminal' : ' in JSON lines'}`, () => {
      const out = output(isTTY);
      const log = createServerLogger('info', out.stream);
      log.info({ wa_id: NUMBER, conversationId: 7 }, 'one');
      log.info({ customer: { phone: NUMBER, waId: NUMBER }, status: { recipient_id: NUMBER } }, 'two');
      log.info({ phone: NUMBER }, 'three');
      const text = out.text();
      expect(text).toContain('three');
      expect(text).toContain('[redacted]');
      expect(text.includes(NUMBER)).toBe(false);
    });
  }
});
