/**
 * The desktop build: main is ES modules that load only Node built-ins, Electron, the native
 * module and each other at run time: the entry, the cache worker's entry beside it (the only one
 * that loads the native module, so the database never runs on the main thread) and their shared
 * chunks; the built worker opens a cache and answers. The sandboxed preload is one CommonJS file
 * whose only import is 'electron'. Built with the real Vite configs into a scratch directory.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import type { FromCacheWorker, ToCacheWorker } from '../../main/cache/cache-protocol.js';

const PROJECT_DIR = path.resolve(import.meta.dirname, '../..');
const MAIN_RUNTIME_MODULES = ['electron', 'better-sqlite3-multiple-ciphers'];
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sportello-build-'));
// As in the package, the native module is found in node_modules beside the built files.
fs.symlinkSync(path.join(PROJECT_DIR, 'node_modules'), path.join(workDir, 'node_modules'), 'dir');

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

async function buildWith(configFile: string, outDir: string): Promise<string[]> {
  await build({ configFile: path.join(PROJECT_DIR, configFile), logLevel: 'silent', build: { outDir, emptyOutDir: true, sourcemap: false } });
  return fs.readdirSync(outDir);
}

/** Every module specifier the bundle loads: static imports, dynamic imports and require calls (comments aside). */
function loadedModules(bundle: string): string[] {
  const code = bundle.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const patterns = [
    /^\s*import\s[^'"]*?from\s*["']([^"']+)["']/gm,
    /^\s*import\s*["']([^"']+)["']/gm,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\(\s*["']([^"']+)["']\s*\)/g,
  ];
  return [...new Set(patterns.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => match[1] ?? '')))].sort();
}

const isBuiltin = (specifier: string): boolean => specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0] ?? '');

describe('the desktop build', () => {
  it('bundles main into dist/main/index.js and the cache worker beside it, loading only built-ins, Electron, the native module and each other', async () => {
    const outDir = path.join(workDir, 'main');
    const files = await buildWith('vite.main.config.ts', outDir);
    expect(files).toEqual(expect.arrayContaining(['index.js', 'cache-worker.js']));
    expect(files.filter((file) => !['index.js', 'cache-worker.js'].includes(file)).every((file) => /^shared-[\w-]+\.js$/.test(file))).toBe(true);
    const loadedBy = (file: string) => loadedModules(fs.readFileSync(path.join(outDir, file), 'utf8'));
    for (const file of files) {
      const outside = loadedBy(file).filter((specifier) => !isBuiltin(specifier) && !MAIN_RUNTIME_MODULES.includes(specifier) && !specifier.startsWith('./'));
      expect({ file, outside }).toEqual({ file, outside: [] });
      for (const sibling of loadedBy(file).filter((specifier) => specifier.startsWith('./'))) expect(files).toContain(sibling.slice(2));
    }
    expect(loadedBy('index.js')).toContain('electron');
    // The database runs in the worker only: the main thread never loads the native module.
    const mainThread = [
      'index.js',
      ...loadedBy('index.js')
        .filter((specifier) => specifier.startsWith('./'))
        .map((specifier) => specifier.slice(2)),
    ];
    expect(mainThread.flatMap(loadedBy)).not.toContain('better-sqlite3-multiple-ciphers');
    expect(loadedBy('cache-worker.js')).toContain('better-sqlite3-multiple-ciphers');
    expect(loadedBy('cache-worker.js')).not.toContain('electron');
    // Main starts the worker by its path beside index.js (in the asar of a packaged app).
    expect(fs.readFileSync(path.join(outDir, 'index.js'), 'utf8')).toMatch(/new URL\([^)]*"\.\/cache-worker\.js"[^)]*,\s*import\.meta\.url\)/);
  });

  it('builds a cache worker that opens a cache and answers its operations', async () => {
    const outDir = path.join(workDir, 'main');
    if (!fs.existsSync(path.join(outDir, 'cache-worker.js'))) await buildWith('vite.main.config.ts', outDir);
    const userDataDir = path.join(workDir, 'user-data');
    const worker = new Worker(path.join(outDir, 'cache-worker.js'));
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
    const ask = (message: ToCacheWorker) =>
      new Promise<FromCacheWorker>((resolve) => {
        worker.once('message', resolve);
        worker.postMessage(message);
      });
    try {
      const open = {
        userDataDir,
        databaseKey: crypto.randomBytes(32),
        mediaKey: crypto.randomBytes(32),
        agentId: 7,
        mediaCapBytes: 1_000_000,
        now: Date.now(),
      };
      expect(await ask({ id: 1, type: 'open', request: open })).toEqual({ id: 1, ok: true, value: { lastSeq: 0 } });
      expect(await ask({ id: 2, type: 'call', name: 'applyFeed', args: [[], 12] })).toEqual({ id: 2, ok: true, value: undefined });
      expect(await ask({ id: 3, type: 'call', name: 'lastSeq', args: [] })).toEqual({ id: 3, ok: true, value: 12 });
      expect(await ask({ id: 4, type: 'close' })).toEqual({ id: 4, ok: true, value: undefined });
      expect(await exited).toBe(0);
      expect(fs.readdirSync(path.join(userDataDir, 'cache'))).toContain('cache.db');
    } finally {
      await worker.terminate();
    }
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
