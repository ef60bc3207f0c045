/** Reads and checks the provisioning file; a missing or malformed file is a clear problem, never a crash. */
import fs from 'node:fs';
import { ProvisioningFile } from '../../common/provisioning/provisioning-file.js';
import type { UiError } from '../../common/ipc/app-state.js';

export type ProvisioningOutcome = { readonly ok: true; readonly file: ProvisioningFile } | { readonly ok: false; readonly problem: UiError };

export function readProvisioning(filePath: string): ProvisioningOutcome {
  let text: string;
  try {
    text = fs.readFileSync(filePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      problem: {
        code: 'provisioning_missing',
        message:
          code === 'ENOENT'
            ? `There is no provisioning file at ${filePath}. IT installs it with the app.`
            : `The provisioning file ${filePath} cannot be read (${code ?? 'error'}).`,
      },
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: { code: 'provisioning_malformed', message: `The provisioning file ${filePath} is not valid JSON.` } };
  }
  const parsed = ProvisioningFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = (issue?.path ?? []).map(String).join('.') || 'file';
    return {
      ok: false,
      problem: { code: 'provisioning_malformed', message: `The provisioning file ${filePath} is not usable: ${where}: ${issue?.message ?? 'invalid'}.` },
    };
  }
  return { ok: true, file: parsed.data };
}
