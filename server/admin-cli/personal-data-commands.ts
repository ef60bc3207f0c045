/**
 * `personal-data export <contact>`: a data-subject export (server/personal-data/personal-data-export.ts)
 * of the contact named by its id or WhatsApp number: every request for personal data made of them
 * (kinds, purpose, who, when) and their consent answers, as one JSON document on stdout (with or
 * without --json: an export is for a file or a script). Audited as the CLI's act.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { exportPersonalData } from '../personal-data/personal-data-export.js';
import type { AdminRunner } from './admin-command.js';
import { argumentsOf } from './arguments.js';

const parseExport = argumentsOf(
  z.object({
    contact: z
      .string()
      .trim()
      .regex(/^\+?\d{1,20}$/, 'a contact is its id (a whole number) or its WhatsApp number (digits, as 393471234567)'),
  }),
  'contact',
);

/** A contact id is short; a WhatsApp number has a country code and at least 8 digits. */
const contactOf = (typed: string): number | string => {
  const digits = typed.replace(/^\+/, '');
  return digits.length < 8 && !typed.startsWith('+') ? Number(digits) : digits;
};

export function registerPersonalDataCommands(program: Command, run: AdminRunner): void {
  const group = program.command('personal-data').description('personal data asked of customers, with its purpose: exports for data-subject requests');
  run
    .command(group, 'export', 'everything asked of a contact and why, and their consent answers, as JSON (audited)')
    .argument('<contact>', 'the contact’s id, or their WhatsApp number')
    .action(
      run.action({
        parse: parseExport,
        perform: (context, input) =>
          exportPersonalData({ db: context.db, committer: context.committer, now: Date.now }, context.actor, contactOf(input.contact)),
        render: (result) => JSON.stringify(result, null, 2),
      }),
    );
}
