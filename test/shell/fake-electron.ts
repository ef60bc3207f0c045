/**
 * A recording stand-in for the 'electron' module (the binary cannot run here): it keeps every
 * window's options, protocol and IPC handler, session handler and web contents listener the
 * shell installs, so tests can assert them and drive them. Use with
 * `vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectronModule)`.
 */
import { EventEmitter } from 'node:events';
import type {
  BrowserWindowConstructorOptions,
  CustomScheme,
  MessageBoxOptions,
  NotificationConstructorOptions,
  OpenDialogOptions,
  SaveDialogOptions,
} from 'electron';

/** The shell's functions take Electron's types; the fakes stand in for them at run time. */
export function asElectron<T>(fake: object): T {
  return fake as T;
}

export class FakeEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export class FakeWebFrame {
  constructor(
    readonly url: string,
    readonly frameTreeNodeId: number,
    readonly parent: FakeWebFrame | null = null,
  ) {}
}

let nextId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly mainFrame: FakeWebFrame;
  readonly sent: Array<{ channel: string; message: unknown }> = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  destroyed = false;

  constructor(url = 'app://sportello/index.html') {
    super();
    this.mainFrame = new FakeWebFrame(url, this.id * 1000);
  }

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }

  send(channel: string, message: unknown): void {
    this.sent.push({ channel, message });
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** A frame inside this page (an iframe), at `url`. */
  subframe(url: string): FakeWebFrame {
    return new FakeWebFrame(url, this.mainFrame.frameTreeNodeId + 1, this.mainFrame);
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loadedUrls: string[] = [];
  contentProtected: boolean | null = null;
  focused = 0;
  destroyed = false;

  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    FakeBrowserWindow.created.push(this);
  }

  loadURL(url: string): Promise<void> {
    this.loadedUrls.push(url);
    return Promise.resolve();
  }
  loadFile(): Promise<void> {
    throw new Error('the app never loads file:// pages');
  }
  setContentProtection(blocked: boolean): void {
    this.contentProtected = blocked;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  show(): void {}
  focus(): void {
    this.focused += 1;
  }
}

type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void;
type DisplayMediaHandler = (request: unknown, callback: (streams: unknown) => void) => void;

export class FakeSession extends EventEmitter {
  permissionRequestHandler: PermissionRequestHandler | null = null;
  permissionCheckHandler: ((contents: unknown, permission: string, origin: string, details: unknown) => boolean) | null = null;
  devicePermissionHandler: ((details: unknown) => boolean) | null = null;
  displayMediaRequestHandler: DisplayMediaHandler | null = null;
  spellCheckerLanguages: string[] = [];

  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: FakeSession['permissionCheckHandler']): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: FakeSession['devicePermissionHandler']): void {
    this.devicePermissionHandler = handler;
  }
  setDisplayMediaRequestHandler(handler: DisplayMediaHandler): void {
    this.displayMediaRequestHandler = handler;
  }
  setSpellCheckerLanguages(languages: string[]): void {
    this.spellCheckerLanguages = languages;
  }
}

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;

/** Chromium's command line as the app changes it before ready (`app.commandLine`). */
class FakeCommandLine {
  readonly switches = new Map<string, string>();
  appendSwitch(name: string, value = ''): void {
    this.switches.set(name, value);
  }
  hasSwitch(name: string): boolean {
    return this.switches.has(name);
  }
  getSwitchValue(name: string): string {
    return this.switches.get(name) ?? '';
  }
}

class FakeApp extends EventEmitter {
  readonly commandLine = new FakeCommandLine();
  isPackaged = true;
  sandboxEnabled = false;
  singleInstanceLock = true;
  locale = 'en-US';
  paths: Record<string, string> = {};
  userModelId: string | null = null;
  quitCalls = 0;
  exitCodes: number[] = [];
  readonly ready: Promise<void>;
  markReady: () => void = () => {};

  constructor() {
    super();
    this.ready = new Promise((resolve) => {
      this.markReady = resolve;
    });
  }

  enableSandbox(): void {
    this.sandboxEnabled = true;
  }
  requestSingleInstanceLock(): boolean {
    return this.singleInstanceLock;
  }
  setAppUserModelId(id: string): void {
    this.userModelId = id;
  }
  getPath(name: string): string {
    return this.paths[name] ?? `/fake/${name}`;
  }
  getVersion(): string {
    return '1.2.3';
  }
  getLocale(): string {
    return this.locale;
  }
  whenReady(): Promise<void> {
    return this.ready;
  }
  quit(): void {
    this.quitCalls += 1;
    const event = new FakeEvent();
    this.emit('will-quit', event);
  }
  exit(code = 0): void {
    this.exitCodes.push(code);
  }
}

export class FakeNotification extends EventEmitter {
  static shown: FakeNotification[] = [];
  static supported = true;
  static isSupported(): boolean {
    return FakeNotification.supported;
  }
  constructor(readonly options: NotificationConstructorOptions) {
    super();
  }
  show(): void {
    FakeNotification.shown.push(this);
  }
}

export function createFakeElectron() {
  const app = new FakeApp();
  const defaultSession = new FakeSession();
  const protocol = {
    privileged: [] as CustomScheme[],
    handlers: new Map<string, (request: Request) => Response | Promise<Response>>(),
    registerSchemesAsPrivileged(schemes: CustomScheme[]): void {
      this.privileged.push(...schemes);
    },
    handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
      this.handlers.set(scheme, handler);
    },
  };
  const ipcMain = {
    handlers: new Map<string, InvokeHandler>(),
    handle(channel: string, handler: InvokeHandler): void {
      if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      this.handlers.set(channel, handler);
    },
    removeHandler(channel: string): void {
      this.handlers.delete(channel);
    },
  };
  // Chromium's `--password-store` values and the backends they select (key_storage_util_linux.cc).
  const passwordStores: Record<string, string> = {
    basic: 'basic_text',
    'gnome-libsecret': 'gnome_libsecret',
    kwallet: 'kwallet',
    kwallet5: 'kwallet5',
    kwallet6: 'kwallet6',
  };
  const safeStorage = {
    /** Whether the selected store answers (a keyring that is not running or stays locked does not). */
    available: true,
    /** The store Chromium picks from the desktop session when no `--password-store` is given. */
    linuxBackend: 'gnome_libsecret' as string,
    backendAsked: 0,
    isEncryptionAvailable(): boolean {
      return this.available;
    },
    getSelectedStorageBackend(): string {
      this.backendAsked += 1;
      return this.selected();
    },
    selected(): string {
      const asked = app.commandLine.switches.get('password-store');
      return asked !== undefined && asked in passwordStores ? (passwordStores[asked] ?? this.linuxBackend) : this.linuxBackend;
    },
    /** The key a seal is made with: the selected store's, or Chromium's fixed one when that store does not answer. */
    sealingKey(): string {
      return this.available ? this.selected() : 'basic_text';
    },
    // A reversible stand-in for the OS cipher, visibly different from its input, that only the
    // store which sealed a text (or anyone, for the fixed basic_text key) can open.
    encryptString(plain: string): Buffer {
      return Buffer.from(`sealed:${this.sealingKey()}:${[...plain].reverse().join('')}`);
    },
    decryptString(sealed: Buffer): string {
      const match = /^sealed:([a-z0-9_]+):/.exec(sealed.toString());
      if (match === null || (match[1] !== this.sealingKey() && match[1] !== 'basic_text')) {
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      }
      return [...sealed.toString().slice(match[0].length)].reverse().join('');
    },
  };
  const powerMonitor = Object.assign(new EventEmitter(), {
    idleSeconds: 0,
    getSystemIdleTime(): number {
      return powerMonitor.idleSeconds;
    },
  });
  const dialog = {
    openDialogResult: { canceled: true, filePaths: [] as string[] },
    messageBoxResponse: 0,
    openDialogCalls: [] as Array<{ parent: unknown; options: OpenDialogOptions }>,
    saveDialogResult: { canceled: true, filePath: '' } as { canceled: boolean; filePath: string },
    saveDialogCalls: [] as Array<{ parent: unknown; options: SaveDialogOptions }>,
    messageBoxCalls: [] as Array<{ parent: unknown; options: MessageBoxOptions }>,
    errorBoxes: [] as Array<{ title: string; content: string }>,
    showOpenDialog(...args: [unknown, OpenDialogOptions] | [OpenDialogOptions]) {
      const [parent, options] = args.length === 2 ? args : [null, args[0]];
      this.openDialogCalls.push({ parent, options });
      return Promise.resolve(this.openDialogResult);
    },
    showSaveDialog(...args: [unknown, SaveDialogOptions] | [SaveDialogOptions]) {
      const [parent, options] = args.length === 2 ? args : [null, args[0]];
      this.saveDialogCalls.push({ parent, options });
      return Promise.resolve(this.saveDialogResult);
    },
    showMessageBox(...args: [unknown, MessageBoxOptions] | [MessageBoxOptions]) {
      const [parent, options] = args.length === 2 ? args : [null, args[0]];
      this.messageBoxCalls.push({ parent, options });
      return Promise.resolve({ response: this.messageBoxResponse, checkboxChecked: false });
    },
    showErrorBox(title: string, content: string): void {
      this.errorBoxes.push({ title, content });
    },
  };
  const shell = {
    opened: [] as string[],
    openExternal(url: string): Promise<void> {
      this.opened.push(url);
      return Promise.resolve();
    },
  };
  const contextBridge = {
    exposed: new Map<string, unknown>(),
    exposeInMainWorld(key: string, api: unknown): void {
      if (this.exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property on the window object: ${key}`);
      this.exposed.set(key, api);
    },
  };
  const ipcRenderer = Object.assign(new EventEmitter(), {
    invocations: [] as Array<{ channel: string; args: unknown[] }>,
    answer: (channel: string, request: unknown): Promise<unknown> => Promise.resolve({ ok: true, value: { channel, request } }),
    invoke(channel: string, ...args: unknown[]): Promise<unknown> {
      ipcRenderer.invocations.push({ channel, args });
      return ipcRenderer.answer(channel, args[0]);
    },
  });
  return { app, protocol, ipcMain, safeStorage, powerMonitor, dialog, shell, contextBridge, ipcRenderer, session: { defaultSession } };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;

/** The one fake per test file (vitest isolates modules per file). */
export const fake = createFakeElectron();

export const fakeElectronModule = {
  ...fake,
  BrowserWindow: FakeBrowserWindow,
  Notification: FakeNotification,
};
