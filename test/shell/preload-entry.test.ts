/** The Electron preload itself: one contextBridge exposure of window.sportello over ipcRenderer, nothing else. */
import { describe, expect, it, vi } from 'vitest';
import { IPC_CALL_NAMES, IPC_EVENT_CHANNEL } from '../../common/ipc/contract.js';
import type { SportelloApi } from '../../common/ipc/contract.js';
import { FakeEvent, fake } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectronModule);

await import('../../preload/index.js');

function exposed(): SportelloApi {
  return fake.contextBridge.exposed.get('sportello') as SportelloApi;
}

describe('the preload', () => {
  it('exposes window.sportello and nothing else', () => {
    expect([...fake.contextBridge.exposed.keys()]).toEqual(['sportello']);
    expect(Object.keys(exposed()).sort()).toEqual([...IPC_CALL_NAMES, 'on'].sort());
  });

  it('invokes main through ipcRenderer on the call’s channel', async () => {
    expect(await exposed().markRead({ conversationId: 7 })).toEqual({ ok: true, value: { channel: 'sportello:markRead', request: { conversationId: 7 } } });
    expect(fake.ipcRenderer.invocations).toEqual([{ channel: 'sportello:markRead', args: [{ conversationId: 7 }] }]);
  });

  it('delivers events without Electron’s event object and unsubscribes from ipcRenderer', () => {
    const received: unknown[][] = [];
    const stop = exposed().on('connection', (...args: unknown[]) => received.push(args));
    expect(fake.ipcRenderer.listenerCount(IPC_EVENT_CHANNEL)).toBe(1);
    const electronEvent = Object.assign(new FakeEvent(), { sender: fake.ipcRenderer, senderId: 0 });
    fake.ipcRenderer.emit(IPC_EVENT_CHANNEL, electronEvent, { event: 'connection', payload: { status: 'connecting' } });
    fake.ipcRenderer.emit(IPC_EVENT_CHANNEL, electronEvent, { event: 'state', payload: { screen: 'starting' } });
    expect(received).toEqual([[{ status: 'connecting' }]]);
    stop();
    expect(fake.ipcRenderer.listenerCount(IPC_EVENT_CHANNEL)).toBe(0);
  });
});
