/**
 * How every admin command runs, in three separate steps: parse its arguments (nothing is opened
 * when one is bad), perform it with the services, then print the result as text for people or,
 * with --json, as one JSON document on stdout.
 */
import type { Command } from 'commander';
import type { AdminContext } from './admin-context.js';
import type { ServerConfig } from '../config/load-config.js';

/** The process the CLI talks through: its environment and the terminal. */
export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  /** Whether a person can answer a question on stdin. */
  readonly stdinIsTerminal: boolean;
  writeOut(text: string): void;
  writeErr(text: string): void;
  /** Shows `question` and reads one line of answer. */
  ask(question: string): Promise<string>;
  /**
   * Reads one secret (a token): on a terminal after `prompt`, without echoing it; otherwise the
   * next line of stdin. Never from argv, which every user of the machine sees in `ps`.
   */
  readSecret(prompt: string): Promise<string>;
}

/** The person at the terminal while a command runs. */
export interface Terminal {
  /** Whether questions can be asked (stdin is a terminal). */
  readonly interactive: boolean;
  /** Text shown before the result (on stderr under --json, so stdout stays one document). */
  note(text: string): void;
  /** Asks a yes/no question; only "y" or "yes" is a yes. */
  confirm(question: string): Promise<boolean>;
  /** Reads a secret from stdin or, on a terminal, a prompt that does not echo it. */
  readSecret(prompt: string): Promise<string>;
}

/** The options commander parsed, by camel-case name (`--json` → json). */
export type CommandOptions = Readonly<Record<string, unknown>>;

export interface AdminCommandSpec<Input, Result> {
  /** Checks the positional arguments and options; throws an ArgumentError, before anything is opened. */
  parse(values: readonly unknown[], options: CommandOptions, terminal: Terminal): Input;
  /** Reads and checks the secrets the command needs (stdin or a prompt), still before anything is opened. */
  readSecrets?(input: Input, terminal: Terminal): Promise<Input>;
  perform(context: AdminContext, input: Input, terminal: Terminal): Promise<Result>;
  render(result: Result): string;
  /** 0 unless the result itself is a failure the caller must see (a broken audit chain). */
  exitCode?(result: Result): number;
}

/** A command that does not open the store (it works on backup archives, or restores into an empty one): it gets the configuration. */
export interface OfflineCommandSpec<Input, Result> {
  parse(values: readonly unknown[], options: CommandOptions, terminal: Terminal): Input;
  perform(config: ServerConfig, input: Input, env: NodeJS.ProcessEnv): Promise<Result>;
  render(result: Result): string;
}

export class AdminRunner {
  readonly #io: CliIo;
  /** The exit code of the command that ran. */
  exitCode = 0;

  constructor(io: CliIo) {
    this.#io = io;
  }

  get io(): CliIo {
    return this.#io;
  }

  /** A subcommand of `group` with the --json option every admin command has. */
  command(group: Command, name: string, description: string): Command {
    return group.command(name).description(description).option('--json', 'print one JSON document (for scripts) instead of text');
  }

  /** A commander action running `spec`; errors propagate to the program, which prints them. */
  action<Input, Result>(spec: AdminCommandSpec<Input, Result>): (...params: unknown[]) => Promise<void> {
    return async (...params) => {
      const command = params[params.length - 1] as Command;
      const options = command.opts();
      const json = options.json === true;
      const terminal = this.#terminal(json);
      const parsed = spec.parse(command.processedArgs, options, terminal);
      const input = spec.readSecrets === undefined ? parsed : await spec.readSecrets(parsed, terminal);
      // Loaded only once the arguments are good: a mistake or --help answers in half the time.
      const { openAdminContext } = await import('./admin-context.js');
      const context = await openAdminContext(this.#io.env);
      let result: Result;
      let warning: string | undefined;
      try {
        if (context.generatedKeyFile !== undefined) {
          this.#io.writeErr(`note: generated a server key into ${context.generatedKeyFile} (sandbox); set SPORTELLO_SERVER_KEY in production\n`);
        }
        result = await spec.perform(context, input, terminal);
      } finally {
        warning = await context.close();
      }
      if (warning !== undefined) this.#io.writeErr(`warning: ${warning}\n`);
      this.#io.writeOut(`${json ? JSON.stringify(result, null, 2) : spec.render(result)}\n`);
      this.exitCode = spec.exitCode?.(result) ?? 0;
    };
  }

  /** A commander action running `spec` with the configuration only. */
  offlineAction<Input, Result>(spec: OfflineCommandSpec<Input, Result>): (...params: unknown[]) => Promise<void> {
    return async (...params) => {
      const command = params[params.length - 1] as Command;
      const options = command.opts();
      const json = options.json === true;
      const terminal = this.#terminal(json);
      const input = spec.parse(command.processedArgs, options, terminal);
      const { loadConfig } = await import('../config/load-config.js');
      const result = await spec.perform(loadConfig(this.#io.env), input, this.#io.env);
      this.#io.writeOut(`${json ? JSON.stringify(result, null, 2) : spec.render(result)}\n`);
      this.exitCode = 0;
    };
  }

  #terminal(json: boolean): Terminal {
    return {
      interactive: this.#io.stdinIsTerminal,
      note: (text) => (json ? this.#io.writeErr(`${text}\n`) : this.#io.writeOut(`${text}\n`)),
      confirm: async (question) => /^(y|yes)$/i.test((await this.#io.ask(question)).trim()),
      readSecret: (prompt) => this.#io.readSecret(prompt),
    };
  }
}
