/**
 * A desktop client's main-process core in a process of its own, so a test can kill it (-9) and
 * start it again on the same install. Commands come as JSON lines on stdin, answers and the
 * core's events go out as JSON lines on stdout.
 */
import readline from 'node:readline';
import { ClientCore } from '../../main/core/client-core.js';
import { dispatchIpc } from '../../main/ipc/ipc-dispatch.js';
import { makeTestPlatform } from './node-platform.js';

const install = JSON.parse(process.argv[2] ?? '{}') as { dir: string; rawMachineId: string; keyringKey: string; hostname: string };
const platform = makeTestPlatform({
  hostname: install.hostname,
  install: { dir: install.dir, rawMachineId: install.rawMachineId, keyringKey: Buffer.from(install.keyringKey, 'hex') },
});
const core = new ClientCore(platform, { pairingPollMs: 100, reconnectBackoffMs: 100, housekeepingMs: 200 });
const write = (line: unknown) => process.stdout.write(`${JSON.stringify(line)}\n`);
core.onEvent((event, payload) => write({ event, payload }));

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line) as { id: number; call: string; request: unknown };
  void dispatchIpc(core, command.call, command.request).then((result) => write({ id: command.id, result }));
});
await core.start();
write({ started: true, state: core.state });
