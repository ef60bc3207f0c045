/** Where `npm run screens` writes: SCREENS_DIR (relative to the working directory), else docs/screens/. */
import path from 'node:path';
import { PROJECT_ROOT } from './build-renderer.js';

export const DEFAULT_SCREENS_DIR = path.join(PROJECT_ROOT, 'docs/screens');

export function screensDir(env: NodeJS.ProcessEnv): string {
  const chosen = env.SCREENS_DIR?.trim();
  return chosen === undefined || chosen === '' ? DEFAULT_SCREENS_DIR : path.resolve(chosen);
}
