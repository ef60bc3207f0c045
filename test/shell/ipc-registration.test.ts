/**
 * IPC reaches the core only from our window's main frame on app://sportello, and only with input
 * the contract accepts. The backend here is a small recording IpcBackend standing in for the core.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { IpcMain, WebContents } from 'electron';
import { IPC_CALL_NAMES, IPC_EVENT_CHANNEL, callChannel } from '../../common/ipc/contract.js';
import type { IpcCallName, IpcEventName, IpcEventPayload, IpcParsedRequest, IpcResponse } from '../../common/ipc/contract.js';
import type { IpcBackend } from '../../main/ipc/ipc-dispatch.js';
import { FORBIDDEN_SENDER, forwardBackendEvents, registerIpcHandlers } from '../../main/shell/ipc-registration.js';
import { FakeWebContents, FakeWebFrame, asElectron, fake } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectronModule);

type EventListener = <E extends IpcEventName>(event: E, payload: IpcEventPayload<E>) => void;

class RecordingBackend implements IpcBackend {
  readonly calls: Array<{ name: IpcCallName; request: unknown }> = [];
  readonly listeners = new Set<EventListener>();

  handle<N extends IpcCallName>(name: N, request: IpcParsedRequest<N>): Promise<IpcResponse<N>> {
    this.calls.push({ name, request });
    if (name === 'getConnection') return Promise.resolve({ status: 'online' } as IpcResponse<N>);
    if (name === 'openLink') return Promise.resolve({ opened: false } as IpcResponse<N>);
    return Promise.reject(new Error(`${name} is not scripted in this test`));
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends IpcEventName>(event: E, payload: IpcEventPayload<E>): void {
    for (const listener of this.listeners) listener(event, payload);
  }
}

interface SenderEvent {
  sender: FakeWebContents;
  senderFrame: FakeWebFrame | null;
}

let backend: RecordingBackend;
let ours: FakeWebContents;
let current: FakeWebContents | null;

function invoke(name: string, event: SenderEvent, request: unknown): Promise<unknown> {
  const handler = fake.ipcMain.handlers.get(`sportello:${name}`);
  if (handler === undefined) throw new Error(`no handler for ${name}`);
  return Promise.resolve(handler(event, request));
}

/** What the shell asks for: our window's web contents right now. */
const trustedContents = (): WebContents | null => (current === null ? null : asElectron<WebContents>(current));

function fromOurWindow(): SenderEvent {
  return { sender: ours, senderFrame: ours.mainFrame };
}

let unregister: () => void = () => {};

beforeEach(() => {
  unregister();
  backend = new RecordingBackend();
  ours = new FakeWebContents();
  current = ours;
  unregister = registerIpcHandlers(asElectron<IpcMain>(fake.ipcMain), backend, trustedContents);
});

describe('IPC registration', () => {
  it('registers exactly one handler per contract call', () => {
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual(IPC_CALL_NAMES.map(callChannel).sort());
  });

  it('serves a call from our window’s main frame on app://sportello', async () => {
    expect(await invoke('getConnection', fromOurWindow(), {})).toEqual({ ok: true, value: { status: 'online' } });
    expect(backend.calls).toEqual([{ name: 'getConnection', request: {} }]);
  });

  it.each([
    ['another origin', (): SenderEvent => ({ sender: ours, senderFrame: new FakeWebFrame('https://evil.example/', ours.mainFrame.frameTreeNodeId) })],
    ['file://', (): SenderEvent => ({ sender: ours, senderFrame: new FakeWebFrame('file:///tmp/index.html', ours.mainFrame.frameTreeNodeId) })],
    [
      'a look-alike host',
      (): SenderEvent => ({ sender: ours, senderFrame: new FakeWebFrame('app://sportello.evil/index.html', ours.mainFrame.frameTreeNodeId) }),
    ],
    [
      'a port on our host',
      (): SenderEvent => ({ sender: ours, senderFrame: new FakeWebFrame('app://sportello:8080/index.html', ours.mainFrame.frameTreeNodeId) }),
    ],
    ['a subframe on our origin', (): SenderEvent => ({ sender: ours, senderFrame: ours.subframe('app://sportello/frame.html') })],
    ['a subframe on another origin', (): SenderEvent => ({ sender: ours, senderFrame: ours.subframe('https://evil.example/') })],
    ['no frame (gone or navigated)', (): SenderEvent => ({ sender: ours, senderFrame: null })],
    [
      'another web contents showing app://sportello',
      (): SenderEvent => {
        const other = new FakeWebContents();
        return { sender: other, senderFrame: other.mainFrame };
      },
    ],
  ])('refuses a call from %s without calling the core', async (_name, sender) => {
    expect(await invoke('openLink', sender(), { url: 'https://example.com/' })).toEqual(FORBIDDEN_SENDER);
    expect(backend.calls).toEqual([]);
  });

  it('refuses every call while there is no window', async () => {
    current = null;
    expect(await invoke('getConnection', fromOurWindow(), {})).toEqual(FORBIDDEN_SENDER);
    ours.destroyed = true;
    current = ours;
    expect(await invoke('getConnection', fromOurWindow(), {})).toEqual(FORBIDDEN_SENDER);
    expect(backend.calls).toEqual([]);
  });

  it('refuses the check for every channel, not only some', async () => {
    const foreign: SenderEvent = { sender: ours, senderFrame: new FakeWebFrame('https://evil.example/', ours.mainFrame.frameTreeNodeId) };
    for (const name of IPC_CALL_NAMES) expect(await invoke(name, foreign, {})).toEqual(FORBIDDEN_SENDER);
    expect(backend.calls).toEqual([]);
  });

  it.each([
    ['a wrong type', { url: 42 }],
    ['a missing field', {}],
    ['a string instead of an object', 'https://example.com/'],
    ['an oversized value', { url: `https://example.com/${'a'.repeat(5000)}` }],
  ])('refuses malformed input (%s) from our own window without calling the core', async (_name, request) => {
    const result = await invoke('openLink', fromOurWindow(), request);
    expect(result).toMatchObject({ ok: false, code: 'invalid_request' });
    expect(backend.calls).toEqual([]);
  });

  it('keeps a core failure a coded result, never a thrown error', async () => {
    const result = await invoke('getState', fromOurWindow(), {});
    expect(result).toMatchObject({ ok: false, code: 'internal_error' });
  });

  it('removes every handler it registered', () => {
    unregister();
    expect(fake.ipcMain.handlers.size).toBe(0);
    unregister = () => {};
  });
});

describe('core events', () => {
  it('go to our window on the event channel as { event, payload }', () => {
    forwardBackendEvents(backend, trustedContents);
    backend.emit('connection', { status: 'offline' });
    expect(ours.sent).toEqual([{ channel: IPC_EVENT_CHANNEL, message: { event: 'connection', payload: { status: 'offline' } } }]);
  });

  it('are dropped while there is no live window', () => {
    forwardBackendEvents(backend, trustedContents);
    ours.destroyed = true;
    backend.emit('connection', { status: 'offline' });
    current = null;
    backend.emit('connection', { status: 'online' });
    expect(ours.sent).toEqual([]);
  });

  it('stop when unsubscribed', () => {
    const stop = forwardBackendEvents(backend, trustedContents);
    stop();
    backend.emit('connection', { status: 'offline' });
    expect(ours.sent).toEqual([]);
  });
});
