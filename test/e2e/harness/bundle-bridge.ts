/** Bundles page-bridge.ts (with the preload's builder and the contract) into one script for the page. */
import path from 'node:path';
import { build } from 'vite';
import type { Rolldown } from 'vite';

export async function bundlePageBridge(): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      write: false,
      minify: false,
      lib: { entry: path.join(import.meta.dirname, 'page-bridge.ts'), formats: ['iife'], name: 'sportelloPageBridge' },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const chunk = outputs[0]?.output.find((item) => item.type === 'chunk');
  if (chunk === undefined || chunk.type !== 'chunk') throw new Error('bundling the page bridge produced no script');
  return chunk.code;
}
