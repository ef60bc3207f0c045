/**
 * The desktop build: main is one ES module that loads only Node built-ins, Electron and the
 * native module at run time; the sandboxed preload is one CommonJS file whose only import is
 * 'electron'. Built with the real Vite configs into a scratch directory.
 */
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from 'vite';

const PROJECT_DIR = path.resolve(import.meta.dirname, '../..');
const MAIN_RUNTIME_MODULES = ['electron', 'better-sqlite3-multiple-ciphers'];
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sportello-build-'));

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

async function buildWith(configFile: string, outDir: string): Promise<string[]> {
  await build({ configFile: path.join(PROJECT_DIR, configFile), logLevel: 'silent', build: { outDir, emptyOutDir: true, sourcemap: false } });
  return fs.readdirSync(outDir);
}

/** Every module specifier the bundle loads: static imports, dynamic imports and require calls (comments aside). */
function loadedModules(bundle: string): string[] {
  const code = bundle.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const patterns = [/^\s*import\s[^'"]*?from\s*["']([^"']+)["']/gm, /^\s*import\s*["']([^"']+)["']/gm, /\bimport\(\s*["']([^"']+)["']\s*\)/g, /\brequire\(\s*["']([^"']+)["']\s*\)/g];
  return [...new Set(patterns.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => match[1] ?? '')))].sort();
}

const isBuiltin = (specifier: string): boolean => specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0] ?? '');

describe('the desktop build', () => {
  it('bundles main into dist/main/index.js, loading only built-ins, Electron and the native module', async () => {
    const outDir = path.join(workDir, 'main');
    expect(await buildWith('vite.main.config.ts', outDir)).toEqual(['index.js']);
    const code = fs.readFileSync(path.join(outDir, 'index.js'), 'utf8');
    const loaded = loadedModules(code);
    expect(loaded).toContain('electron');
    expect(loaded.filter((specifier) => !isBuiltin(specifier) && !MAIN_RUNTIME_MODULES.includes(specifier))).toEqual([]);
  });

  it('bundles the preload into one CommonJS file whose only import is electron', async () => {
    const outDir = path.join(workDir, 'preload');
    expect(await buildWith('vite.preload.config.ts', outDir)).toEqual(['index.js']);
    const code = fs.readFileSync(path.join(outDir, 'index.js'), 'utf8');
    expect(loadedModules(code)).toEqual(['electron']);
    expect(code).toMatch(/\brequire\("electron"\)/);
    expect(code).toContain('exposeInMainWorld("sportello"');
  });
});
