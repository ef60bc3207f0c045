/**
 * Builds the renderer exactly as the app ships it (renderer/vite.config.ts), into a directory of
 * the caller's choosing, so tests never race one another or a developer's dist/.
 */
import path from 'node:path';
import { build } from 'vite';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../../..');
export const RENDERER_CONFIG = path.join(PROJECT_ROOT, 'renderer/vite.config.ts');

export async function buildRenderer(outDir: string): Promise<string> {
  await build({ configFile: RENDERER_CONFIG, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  return outDir;
}
