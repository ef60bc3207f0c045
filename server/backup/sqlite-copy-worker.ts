/**
 * The SQLite snapshot's copy, in a worker thread: the backup API's step that copies every page
 * runs synchronously, and on the server's own thread it would hold up webhooks for as long as a
 * large store takes to copy. Here it runs beside them on a connection of its own.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3-multiple-ciphers';

const { databaseFile, copy } = workerData as { databaseFile: string; copy: string };
try {
  const source = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    // The first step reads the page count; the second copies every page at once, in one read transaction.
    await source.backup(copy, { progress: () => 0x7fffffff });
  } finally {
    source.close();
  }
  parentPort?.postMessage({ ok: true });
} catch (error) {
  parentPort?.postMessage({ ok: false, message: (error as Error).message });
}
