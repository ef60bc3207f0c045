/** Drives a client core running in a child process (core-process-main.ts): calls, events, kill -9, restart. */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import readline from 'node:readline';
import type { AppState } from '../../common/ipc/app-state.js';
import type { IpcResult } from '../../common/ipc/ipc-result.js';
import { makeTempDir } from './temp-dir.js';

const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

export interface Install {
  readonly dir: string;
  readonly rawMachineId: string;
  readonly keyringKey: string;
  readonly hostname: string;
  remove(): void;
}

export function newInstall(hostname = 'kiosk-3'): Install {
  const temp = makeTempDir('sportello-install-');
  return { dir: temp.dir, rawMachineId: crypto.randomUUID(), keyringKey: crypto.randomBytes(32).toString('hex'), hostname, remove: temp.remove };
}

export class CoreProcess {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #pending = new Map<number, (result: IpcResult<unknown>) => void>();
  readonly states: AppState[] = [];
  /** The core's other events (inbox, outbox, connection), in the order they came. */
  readonly events: Array<{ event: string; payload: unknown }> = [];
  readonly #stateWaiters: Array<{ screen: string; resolve: (state: AppState) => void }> = [];
  readonly exited: Promise<void>;
  #nextId = 1;
  #stderr = '';

  private constructor(install: Install) {
    const config = { dir: install.dir, rawMachineId: install.rawMachineId, keyringKey: install.keyringKey, hostname: install.hostname };
    this.#child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/core-process-main.ts', JSON.stringify(config)], {
      cwd: PROJECT_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.#child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.#stderr = (this.#stderr + chunk).slice(-10_000)));
    this.exited = new Promise((resolve) => this.#child.once('exit', () => resolve()));
    readline.createInterface({ input: this.#child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as { id?: number; result?: IpcResult<unknown>; event?: string; payload?: unknown; started?: boolean; state?: AppState };
      if (message.event !== undefined && message.event !== 'state') this.events.push({ event: message.event, payload: message.payload });
      const state = message.event === 'state' ? (message.payload as AppState) : message.started === true ? message.state : undefined;
      if (state !== undefined) {
        this.states.push(state);
        for (const waiter of [...this.#stateWaiters]) {
          if (waiter.screen === state.screen) {
            this.#stateWaiters.splice(this.#stateWaiters.indexOf(waiter), 1);
            waiter.resolve(state);
          }
        }
      }
      if (message.id !== undefined && message.result !== undefined) this.#pending.get(message.id)?.(message.result);
    });
  }

  static start(install: Install): CoreProcess {
    return new CoreProcess(install);
  }

  call<T = unknown>(name: string, request: unknown = {}): Promise<IpcResult<T>> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve as (result: IpcResult<unknown>) => void);
      this.#child.stdin.write(`${JSON.stringify({ id, call: name, request })}\n`);
    });
  }

  async value<T = unknown>(name: string, request: unknown = {}): Promise<T> {
    const result = await this.call<T>(name, request);
    if (!result.ok) throw new Error(`${name}: ${result.code}: ${result.message}`);
    return result.value;
  }

  screen(screen: AppState['screen'], timeoutMs = 15_000): Promise<AppState> {
    const seen = this.states.findLast((state) => state.screen === screen);
    if (seen !== undefined && this.states.at(-1)?.screen === screen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${screen} screen within ${timeoutMs} ms; last: ${this.states.at(-1)?.screen}; stderr: ${this.#stderr}`)),
        timeoutMs,
      );
      this.#stateWaiters.push({ screen, resolve: (state) => (clearTimeout(timer), resolve(state)) });
    });
  }

  kill(): Promise<void> {
    this.#child.kill('SIGKILL');
    return this.exited;
  }

  async stop(): Promise<void> {
    this.#child.kill('SIGTERM');
    await this.exited;
  }
}
