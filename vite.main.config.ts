/**
 * Builds the Electron main process into one ES module, dist/main/index.js. Everything is bundled
 * except Electron itself and native modules, which electron-builder ships (rebuilt for
 * Electron) beside the bundle; the package then holds no other node_modules.
 */
import { defineConfig } from 'vite';

/** Loaded at run time, never bundled: provided by Electron, or compiled per platform. */
export const MAIN_RUNTIME_MODULES = ['electron', 'better-sqlite3-multiple-ciphers'];

export default defineConfig({
  root: import.meta.dirname,
  publicDir: false,
  logLevel: 'warn',
  build: {
    ssr: 'main/index.ts',
    outDir: 'dist/main',
    emptyOutDir: true,
    // Electron 45 runs Node 22.
    target: 'node22',
    minify: false,
    sourcemap: true,
    rolldownOptions: { output: { format: 'es', entryFileNames: 'index.js' } },
  },
  ssr: { target: 'node', noExternal: true, external: MAIN_RUNTIME_MODULES },
});
