/**
 * `npm run admin -- <group> <command> …`: the admin CLI on the server machine. It opens the
 * server's own database with the server's settings, so it works beside a running server.
 */
import readline from 'node:readline';
import readlinePromises from 'node:readline/promises';
import { Writable } from 'node:stream';
import type { CliIo } from './admin-command.js';
import { runAdminCli } from './admin-program.js';

async function askOnTerminal(question: string): Promise<string> {
  const prompt = readlinePromises.createInterface({ input: process.stdin, output: process.stderr });
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

/** A secret typed at the terminal: the prompt on stderr, the keys typed not echoed. */
async function secretOnTerminal(prompt: string): Promise<string> {
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  // Raw mode first (the terminal stops echoing), then the prompt: keys typed after it are not shown.
  const reader = readline.createInterface({ input: process.stdin, output: silent, terminal: true });
  process.stderr.write(prompt);
  try {
    return await new Promise<string>((resolve) => {
      reader.once('SIGINT', () => resolve(''));
      reader.once('close', () => resolve(''));
      reader.once('line', resolve);
    });
  } finally {
    reader.close();
    process.stderr.write('\n');
  }
}

/** Secrets piped in: one per line, in the order the command asks for them. */
let pipedLines: Promise<string[]> | undefined;
async function secretFromStdin(): Promise<string> {
  pipedLines ??= (async () => {
    let text = '';
    for await (const chunk of process.stdin) text += (chunk as Buffer).toString('utf8');
    return text.split(/\r?\n/);
  })();
  return (await pipedLines).shift() ?? '';
}

const io: CliIo = {
  env: process.env,
  stdinIsTerminal: process.stdin.isTTY === true,
  writeOut: (text) => process.stdout.write(text),
  writeErr: (text) => process.stderr.write(text),
  ask: askOnTerminal,
  readSecret: (prompt) => (process.stdin.isTTY === true ? secretOnTerminal(prompt) : secretFromStdin()),
};

process.exitCode = await runAdminCli(process.argv.slice(2), io);
