/**
 * The one application window: created hardened, loaded from app://, shown when painted. It
 * remembers the screenshot-blocking setting so a window made later starts with it.
 */
import { BrowserWindow } from 'electron';
import { APP_ENTRY_URL } from '../app-protocol/app-origin.js';
import { mainWindowWebPreferences } from './web-preferences.js';

/** Painted before the renderer's first frame, so the window never flashes white. */
export const WINDOW_BACKGROUND_COLOR = '#f4f5f7';
export const WINDOW_MIN_SIZE = { width: 960, height: 600 } as const;

export interface MainWindowOptions {
  readonly preloadPath: string;
  readonly isPackaged: boolean;
  readonly onLoadFailed: (error: unknown) => void;
}

export class MainWindow {
  readonly #options: MainWindowOptions;
  #window: BrowserWindow | null = null;
  #contentProtected = false;

  constructor(options: MainWindowOptions) {
    this.#options = options;
  }

  /** The live window, or null before it is opened and after it is closed. */
  current(): BrowserWindow | null {
    return this.#window !== null && !this.#window.isDestroyed() ? this.#window : null;
  }

  open(): BrowserWindow {
    const existing = this.current();
    if (existing !== null) return existing;
    const window = new BrowserWindow({
      title: 'Sportello',
      width: 1280,
      height: 820,
      minWidth: WINDOW_MIN_SIZE.width,
      minHeight: WINDOW_MIN_SIZE.height,
      show: false,
      backgroundColor: WINDOW_BACKGROUND_COLOR,
      webPreferences: mainWindowWebPreferences(this.#options),
    });
    window.setContentProtection(this.#contentProtected);
    window.once('ready-to-show', () => window.show());
    window.on('closed', () => {
      if (this.#window === window) this.#window = null;
    });
    this.#window = window;
    window.loadURL(APP_ENTRY_URL).catch(this.#options.onLoadFailed);
    return window;
  }

  /** Brings the window to the front (a second start of the app lands here). */
  focus(): void {
    const window = this.current();
    if (window === null) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  }

  setContentProtection(blocked: boolean): void {
    this.#contentProtected = blocked;
    this.current()?.setContentProtection(blocked);
  }
}
