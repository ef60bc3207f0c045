/**
 * Builds the sandboxed preload into one CommonJS file, dist/preload/index.js: a sandboxed
 * preload cannot load modules, so everything but 'electron' is bundled in.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  publicDir: false,
  logLevel: 'warn',
  build: {
    lib: { entry: 'preload/index.ts', formats: ['cjs'], fileName: () => 'index.js' },
    outDir: 'dist/preload',
    emptyOutDir: true,
    // Electron 45 ships Chromium 140.
    target: 'chrome140',
    minify: false,
    sourcemap: false,
    rolldownOptions: { external: ['electron'], output: { codeSplitting: false } },
  },
});
