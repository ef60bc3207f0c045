/**
 * `backup create|list|verify|restore`: encrypted archives of the store and its media
 * (server/backup/, docs/backups.md). `create` opens the store (and audits the run); the others
 * work on archives only, and `restore` writes into the empty store the configuration names.
 */
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import type { ServerConfig } from '../config/load-config.js';
import { archivePath, listBackups, verifyBackup } from '../backup/backup-archives.js';
import { BackupError } from '../backup/backup-errors.js';
import { cliActor } from '../audit/actor.js';
import type { AdminRunner } from './admin-command.js';
import { argumentsOf } from './arguments.js';
import { formatArchiveList, formatCreated, formatRestored, formatVerified } from './backup-format.js';

const Dir = z.string().trim().min(1, 'must name a directory').optional();
const Archive = z
  .string()
  .trim()
  .min(1, 'must name a backup archive (its name from `backup list`, or its path)')
  .refine((value) => !value.includes('\0'), 'must be a path');

const parseCreate = argumentsOf(z.object({ dir: Dir }));
const parseList = argumentsOf(z.object({ dir: Dir }));
const parseVerify = argumentsOf(z.object({ archive: Archive, dir: Dir }), 'archive');
const parseRestore = argumentsOf(z.object({ archive: Archive, dir: Dir, previousDataDir: Dir }), 'archive');

function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return `uid-${process.getuid?.() ?? 'unknown'}`;
  }
}

function backupKeyOf(config: ServerConfig): Buffer {
  const key = config.backup?.key;
  if (key === undefined)
    throw new BackupError({
      code: 'backup_key_missing',
      message:
        'SPORTELLO_BACKUP_KEY is not set: backups are sealed under it (generate one with: openssl rand -base64 32, and keep a copy away from the server).',
    });
  return key;
}

function backupDirOf(config: ServerConfig, dir: string | undefined): string {
  const chosen = dir ?? config.backup?.dir;
  if (chosen === undefined) throw new BackupError({ code: 'backup_dir_missing', message: 'No backup directory: set SPORTELLO_BACKUP_DIR or give --dir.' });
  return path.resolve(chosen);
}

export function registerBackupCommands(program: Command, run: AdminRunner): void {
  const backup = program.command('backup').description('encrypted backups of the store and its media: make, list, verify and restore them');

  run
    .command(backup, 'create', 'a consistent snapshot of the running store and its media, encrypted under SPORTELLO_BACKUP_KEY')
    .option('--dir <dir>', 'where the archive goes (default SPORTELLO_BACKUP_DIR)')
    .action(
      run.action({
        parse: parseCreate,
        perform: async (context, input) => {
          const backupKey = backupKeyOf(context.config);
          const backupDir = backupDirOf(context.config, input.dir);
          const now = Date.now();
          // Loaded only when a command runs (the store drivers), as admin-context.ts is.
          const { createBackup } = await import('../backup/create-backup.js');
          const { auditBackupRun } = await import('../backup/backup-audit.js');
          try {
            const summary = await createBackup({
              source: { dataDir: context.config.dataDir, databaseUrl: context.config.databaseUrl },
              backupDir,
              backupKey,
              now,
            });
            await auditBackupRun(
              context.committer,
              context.actor,
              'ok',
              { archive: summary.name, parts: summary.parts, bytes: summary.bytes, trigger: 'cli' },
              Date.now(),
            );
            return summary;
          } catch (error) {
            const code = (error as { code?: unknown }).code;
            await auditBackupRun(
              context.committer,
              context.actor,
              'failed',
              { code: typeof code === 'string' ? code : 'internal', trigger: 'cli' },
              Date.now(),
            );
            throw error;
          }
        },
        render: formatCreated,
      }),
    );

  run
    .command(backup, 'list', 'the archives in the backup directory, newest first')
    .option('--dir <dir>', 'the backup directory (default SPORTELLO_BACKUP_DIR)')
    .action(
      run.offlineAction({
        parse: parseList,
        perform: (config, input) => Promise.resolve(listBackups(backupDirOf(config, input.dir))),
        render: formatArchiveList,
      }),
    );

  run
    .command(backup, 'verify', 'decrypt every part of an archive and check it against its manifest, restoring nothing')
    .argument('<archive>', 'the archive: its name in the backup directory, or its path')
    .option('--dir <dir>', 'the backup directory (default SPORTELLO_BACKUP_DIR)')
    .action(
      run.offlineAction({
        parse: parseVerify,
        perform: async (config, input) => {
          const backupKey = backupKeyOf(config);
          const verified = await verifyBackup(archivePath(input.archive, input.dir ?? config.backup?.dir), backupKey);
          return {
            name: verified.name,
            path: verified.path,
            createdAt: verified.manifest.createdAt,
            store: verified.manifest.store,
            parts: verified.manifest.parts.length,
            counts: verified.manifest.counts,
          };
        },
        render: formatVerified,
      }),
    );

  run
    .command(backup, 'restore', 'restore an archive into the empty data dir (and database) the configuration names')
    .argument('<archive>', 'the archive: its name in the backup directory, or its path')
    .option('--dir <dir>', 'the backup directory (default SPORTELLO_BACKUP_DIR)')
    .option(
      '--previous-data-dir <dir>',
      'the data dir of the store this restore replaces, read to name the workstations that must pair again (PostgreSQL: set SPORTELLO_PREVIOUS_DATABASE_URL)',
    )
    .action(
      run.offlineAction({
        parse: parseRestore,
        perform: async (config, input, env) => {
          const backupKey = backupKeyOf(config);
          const archive = archivePath(input.archive, input.dir ?? config.backup?.dir);
          const previousUrl = env.SPORTELLO_PREVIOUS_DATABASE_URL;
          const previous =
            input.previousDataDir === undefined && (previousUrl === undefined || previousUrl === '')
              ? undefined
              : { dataDir: input.previousDataDir ?? '', databaseUrl: previousUrl === '' ? undefined : previousUrl };
          const target = { dataDir: config.dataDir, databaseUrl: config.databaseUrl };
          const { restoreBackup } = await import('../backup/restore-backup.js');
          const { auditRestore } = await import('../backup/backup-audit.js');
          const restored = await restoreBackup({ archive, backupKey, target, previous });
          const audited = await auditRestore(
            target,
            config.identity.serverKey,
            cliActor(osUser()),
            { archive: restored.name, snapshot_at: restored.createdAt },
            Date.now(),
          );
          return { ...restored, audited };
        },
        render: formatRestored,
      }),
    );
}
