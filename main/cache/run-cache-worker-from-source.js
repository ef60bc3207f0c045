/**
 * The cache worker run from its TypeScript source (tests, `node --import tsx`): a worker thread
 * does not take its parent's loader hooks, so tsx is registered here, in the worker, first. The
 * built app runs dist/main/cache-worker.js and never loads this file.
 */
import { register } from 'tsx/esm/api';

register();
await import('./cache-worker.ts');
