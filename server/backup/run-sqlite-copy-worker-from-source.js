/**
 * The SQLite copy worker run from its TypeScript source (the server runs under `node --import
 * tsx`): a worker thread does not take its parent's loader hooks, so tsx is registered here first.
 */
import { register } from 'tsx/esm/api';

register();
await import('./sqlite-copy-worker.ts');
