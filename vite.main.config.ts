/**
 * Builds the Electron main process into ES modules: dist/main/index.js, and beside it the cache
 * worker's entry, dist/main/cache-worker.js, which main starts as a worker thread by its path
 * next to index.js (main/cache/cache-worker-client.ts), inside the asar as the rest (Electron
 * gives worker threads its asar support). Code both use goes to shared chunks in the same
 * folder. Everything is bundled except Electron itself and native modules, which
 * electron-builder ships (rebuilt for Electron) beside the bundle; the package then holds no
 * other node_modules.
 */
import { defineConfig } from 'vite';

/** Loaded at run time, never bundled: provided by Electron, or compiled per platform. */
export const MAIN_RUNTIME_MODULES = ['electron', 'better-sqlite3-multiple-ciphers'];

export default defineConfig({
  root: import.meta.dirname,
  publicDir: false,
  logLevel: 'warn',
  build: {
    ssr: true,
    outDir: 'dist/main',
    emptyOutDir: true,
    // Electron 45 runs Node 22.
    target: 'node22',
    minify: false,
    sourcemap: true,
    rolldownOptions: {
      input: { index: 'main/index.ts', 'cache-worker': 'main/cache/cache-worker.ts' },
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'shared-[hash].js' },
    },
  },
  ssr: { target: 'node', noExternal: true, external: MAIN_RUNTIME_MODULES },
});
