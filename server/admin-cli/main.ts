/**
 * `npm run admin -- <group> <command> …`: the admin CLI on the server machine. It opens the
 * server's own database with the server's settings, so it works beside a running server.
 */
import readline from 'node:readline/promises';
import type { CliIo } from './admin-command.js';
import { runAdminCli } from './admin-program.js';

async function askOnTerminal(question: string): Promise<string> {
  const prompt = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    // Ctrl-C or end of input (Ctrl-D) answer nothing, which is a no.
    return await new Promise<string>((resolve, reject) => {
      prompt.once('SIGINT', () => resolve(''));
      prompt.once('close', () => resolve(''));
      prompt.question(question).then(resolve, reject);
    });
  } finally {
    prompt.close();
  }
}

const io: CliIo = {
  env: process.env,
  stdinIsTerminal: process.stdin.isTTY === true,
  writeOut: (text) => process.stdout.write(text),
  writeErr: (text) => process.stderr.write(text),
  ask: askOnTerminal,
};

process.exitCode = await runAdminCli(process.argv.slice(2), io);
