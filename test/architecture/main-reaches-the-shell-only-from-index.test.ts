/**
 * Only main/shell/ and main/index.ts are Electron code; the rest of main/ runs under Node and is
 * tested there. ESLint refused a direct `electron` import outside them, but not an import of
 * main/shell/ itself, which brings Electron in just the same. The project's own ESLint
 * configuration lints each snippet below as if it were the file named (without the type-checked
 * rules: the files do not exist for TypeScript's project, and import rules need no types).
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: ROOT, overrideConfig: { ...tseslint.configs.disableTypeChecked, files: ['**/*.ts'] } });

/** The import restrictions the snippet breaks, linted as `file`; throws if it could not be linted at all. */
async function restrictedImports(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  if (result === undefined) throw new Error(`ESLint returned nothing for ${file}`);
  const fatal = result.messages.filter((message) => message.fatal === true);
  if (fatal.length > 0) throw new Error(`${file} could not be linted: ${fatal.map((message) => message.message).join('; ')}`);
  return result.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

const SHELL_IMPORT = "import { createElectronPlatform } from '../shell/electron-platform.js';\nexport const platform = createElectronPlatform;\n";

describe('imports of main/shell/', () => {
  it('are refused in main/ outside the shell', async () => {
    expect(await restrictedImports('main/core/imports-the-shell.ts', SHELL_IMPORT)).toEqual([
      expect.stringMatching(/Only main\/shell\/ and main\/index\.ts may import main\/shell\//),
    ]);
    const deeper = "import { MainWindow } from '../../shell/main-window.js';\nexport const window = MainWindow;\n";
    expect(await restrictedImports('main/cache/nested/imports-the-shell.ts', deeper)).toEqual([expect.stringMatching(/may import main\/shell\//)]);
  });

  it('are allowed within the shell and in main/index.ts', async () => {
    expect(
      await restrictedImports('main/shell/imports-the-shell.ts', "import { MainWindow } from './main-window.js';\nexport const window = MainWindow;\n"),
    ).toEqual([]);
    expect(await restrictedImports('main/index.ts', "import { MainWindow } from './shell/main-window.js';\nexport const window = MainWindow;\n")).toEqual([]);
  });

  it('leave the other rules as they were: electron itself is still refused outside the shell', async () => {
    expect(await restrictedImports('main/core/imports-electron.ts', "import { app } from 'electron';\nexport const quit = () => app.quit();\n")).toEqual([
      expect.stringMatching(/Only main\/shell\/, main\/index\.ts and preload\/ may import 'electron'/),
    ]);
  });
});
