/** `devices …`: the allowlist, pairing decisions, revocation. */
import fs from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { AllowlistImportRequest, AllowMachineRequest, RevokeDeviceRequest } from '../../common/api/admin.js';
import type { DeviceView, PairingForApproval } from '../../common/api/admin.js';
import { MachineId } from '../../common/api/device-proof.js';
import { IdParams } from '../../common/api/inbox.js';
import { PairingCode } from '../../common/devices/pairing-code.js';
import { CodedError } from '../../common/errors/coded-error.js';
import { parseAllowlistCsv, pendingPairingView } from '../devices/device-admin.js';
import type { AdminRunner, CommandOptions, Terminal } from './admin-command.js';
import type { AdminContext } from './admin-context.js';
import { ArgumentError, argumentsOf, noArguments, typedNumber } from './arguments.js';
import {
  formatAllowed,
  formatApproved,
  formatDeviceList,
  formatImported,
  formatPairingForApproval,
  formatRejected,
  formatRevoked,
  formatUnrevoked,
} from './devices-format.js';

const CODE_HELP = 'the code the workstation shows, e.g. ACDE-FGHJ';
const DEVICE_ID_HELP = 'the device id (the ID column of devices list)';
const DeviceId = typedNumber(IdParams.shape.id, 'must be a device id: a whole number from the ID column of devices list');

const parseAllow = argumentsOf(
  z.object({
    // The MDM may export upper case; the CSV import lowercases too.
    machineId: z.string().trim().toLowerCase().pipe(MachineId),
    label: AllowMachineRequest.shape.label,
  }),
  'machineId',
);
const parseCsvFile = argumentsOf(z.object({ csvFile: z.string().min(1, 'name the CSV file') }), 'csvFile');
const parseDecision = argumentsOf(z.object({ code: PairingCode, yes: z.boolean().default(false) }), 'code');
const parseRevoke = argumentsOf(z.object({ deviceId: DeviceId, reason: RevokeDeviceRequest.shape.reason }), 'deviceId');
const parseDeviceId = argumentsOf(z.object({ deviceId: DeviceId }), 'deviceId');

/** The MDM's CSV, read and checked whole before the store is opened: any bad line refuses the file. */
function readAllowlistCsv(file: string): Array<{ machineId: string; label: string }> {
  let csv: string;
  try {
    csv = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CodedError('csv_unreadable', `Cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}): nothing was imported.`);
  }
  const checked = AllowlistImportRequest.safeParse({ csv });
  if (!checked.success) throw new ArgumentError(`<csvFile>: ${checked.error.issues[0]?.message ?? 'is not a CSV of machine_id,label'}`);
  return parseAllowlistCsv(checked.data.csv);
}

/** The file named, read and checked whole: any bad line refuses the import. */
function parseImport(values: readonly unknown[], options: CommandOptions): { file: string; entries: Array<{ machineId: string; label: string }> } {
  const { csvFile } = parseCsvFile(values, options);
  return { file: csvFile, entries: readAllowlistCsv(csvFile) };
}

/** Approving needs a person's yes: on a terminal they are asked; elsewhere --yes says it. */
function parseApproval(values: readonly unknown[], options: CommandOptions, terminal: Terminal): { code: string; yes: boolean } {
  const input = parseDecision(values, options);
  if (!input.yes && !terminal.interactive) {
    throw new ArgumentError(
      '--yes: stdin is not a terminal, so approve cannot ask "Approve? [y/N]"; check the fingerprint with `devices list`, then pass --yes',
    );
  }
  return input;
}

async function pairingForApproval(context: AdminContext, code: string): Promise<PairingForApproval> {
  const { pairing, device } = await context.pairing.findByCode(code);
  return { device: await context.devices.get(device.id), pairing: pendingPairingView(pairing) };
}

/** The device a pairing decision was about, as `devices list` shows it. */
async function decided(context: AdminContext, decision: Promise<{ id: number }>): Promise<DeviceView> {
  return context.devices.get((await decision).id);
}

export function registerDeviceCommands(program: Command, run: AdminRunner): void {
  const devices = program.command('devices').description('register, approve, list and revoke workstations');

  run
    .command(devices, 'allow', 'register one machine ID (from the workstation or the MDM) with a label')
    .argument('<machineId>', 'the app-scoped machine ID the workstation shows (64 hex characters)')
    .requiredOption('--label <label>', 'the name IT knows the machine by, e.g. "Front desk 2"')
    .action(
      run.action({
        parse: parseAllow,
        perform: async (context, input) => ({ ...input, ...(await context.devices.allow([input], context.actor, 'single')) }),
        render: formatAllowed,
      }),
    );

  run
    .command(devices, 'import', 'register machine IDs from the MDM: a CSV of machine_id,label; any bad line imports nothing')
    .argument('<csvFile>', 'the CSV file (a header line and # comments are allowed)')
    .action(
      run.action({
        parse: parseImport,
        perform: async (context, input) => ({ file: input.file, ...(await context.devices.allow(input.entries, context.actor, 'csv')) }),
        render: formatImported,
      }),
    );

  run
    .command(devices, 'list', 'every device with its status, key fingerprint, last contact and pending pairing; and the allowlist')
    .action(run.action({ parse: noArguments, perform: (context) => context.devices.list(), render: formatDeviceList }));

  run
    .command(devices, 'approve', 'approve the pairing showing this code: shows the device and asks first, unless --yes')
    .argument('<code>', CODE_HELP)
    .option('--yes', 'approve without asking (required when stdin is not a terminal)')
    .action(
      run.action({
        parse: parseApproval,
        perform: async (context, input, terminal) => {
          terminal.note(formatPairingForApproval(await pairingForApproval(context, input.code)));
          if (!input.yes && !(await terminal.confirm('Approve? [y/N] '))) throw new CodedError('not_approved', 'Not approved: nothing changed.');
          return decided(context, context.pairing.approve(input.code, context.actor));
        },
        render: formatApproved,
      }),
    );

  run
    .command(devices, 'reject', 'reject the pairing showing this code')
    .argument('<code>', CODE_HELP)
    .action(
      run.action({
        parse: parseDecision,
        perform: (context, input) => decided(context, context.pairing.reject(input.code, context.actor)),
        render: formatRejected,
      }),
    );

  run
    .command(devices, 'revoke', 'revoke a device now: its sessions end, its connection closes, its cache key is forgotten')
    .argument('<deviceId>', DEVICE_ID_HELP)
    .requiredOption('--reason <text>', 'why; the workstation shows it, and the audit log keeps it')
    .action(
      run.action({
        parse: parseRevoke,
        perform: (context, input) => context.devices.revoke(input.deviceId, input.reason, context.actor),
        render: formatRevoked,
      }),
    );

  run
    .command(devices, 'unrevoke', 'lift a revocation: the machine may ask to pair again, with a new key, and needs an approval')
    .argument('<deviceId>', DEVICE_ID_HELP)
    .action(
      run.action({ parse: parseDeviceId, perform: (context, input) => context.devices.unrevoke(input.deviceId, context.actor), render: formatUnrevoked }),
    );
}
