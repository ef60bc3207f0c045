/**
 * Builds the renderer for the app:// scheme under the app's CSP (no inline script or style):
 * relative asset paths, CSS as files, and no module-preload polyfill (Vite would inline it).
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const rendererDir = import.meta.dirname;

export default defineConfig({
  root: rendererDir,
  base: './',
  plugins: [react()],
  build: {
    outDir: `${rendererDir}/../dist/renderer`,
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
    // Every asset is a file of its own: a data: URL font or script would be one more thing the CSP must allow.
    assetsInlineLimit: 0,
    sourcemap: false,
    // One bundle read from the local disk: its size costs no download, so the warning would only be noise.
    chunkSizeWarningLimit: 2048,
    target: 'chrome140',
  },
});
