/** The only door to main: the preload exposes the IPC contract's API as window.sportello. */
import type { SportelloApi } from '../common/ipc/contract.js';

declare global {
  interface Window {
    readonly sportello: SportelloApi;
  }
}

export {};
