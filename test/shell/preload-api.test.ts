/**
 * window.sportello: exactly the contract's calls plus `on`, each call on its own channel, events
 * filtered by name and delivered without Electron's event object, subscriptions that end.
 */
import { describe, expect, it } from 'vitest';
import { IPC_CALL_NAMES, callChannel } from '../../common/ipc/contract.js';
import type { SportelloApi } from '../../common/ipc/contract.js';
import { buildSportelloApi } from '../../preload/sportello-api.js';
import type { IpcEventMessage, IpcTransport } from '../../preload/sportello-api.js';

class RecordingTransport implements IpcTransport {
  readonly invocations: Array<{ channel: string; request: unknown }> = [];
  readonly listeners = new Set<(message: IpcEventMessage) => void>();
  subscriptions = 0;
  answer: (channel: string) => Promise<unknown> = (channel) => Promise.resolve({ ok: true, value: channel });

  invoke(channel: string, request: unknown): Promise<unknown> {
    this.invocations.push({ channel, request });
    return this.answer(channel);
  }

  subscribe(listener: (message: IpcEventMessage) => void): () => void {
    this.subscriptions += 1;
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  send(message: unknown): void {
    for (const listener of this.listeners) listener(message as IpcEventMessage);
  }
}

function build(): { api: SportelloApi; transport: RecordingTransport } {
  const transport = new RecordingTransport();
  return { api: buildSportelloApi(transport), transport };
}

describe('the API built from the contract', () => {
  it('has exactly the contract’s calls plus on, and cannot be extended', () => {
    const { api } = build();
    expect(Object.keys(api).sort()).toEqual([...IPC_CALL_NAMES, 'on'].sort());
    expect(Object.isFrozen(api)).toBe(true);
    for (const key of Object.keys(api)) expect(typeof (api as unknown as Record<string, unknown>)[key]).toBe('function');
  });

  it('sends each call on its own channel with the request as given', async () => {
    const { api, transport } = build();
    for (const name of IPC_CALL_NAMES) {
      const call = (api as unknown as Record<string, (request: unknown) => Promise<unknown>>)[name];
      expect(await call?.({ probe: name })).toEqual({ ok: true, value: callChannel(name) });
    }
    expect(transport.invocations).toEqual(IPC_CALL_NAMES.map((name) => ({ channel: callChannel(name), request: { probe: name } })));
  });

  it('answers a call that never reached main with a coded failure, not a rejection', async () => {
    const { api, transport } = build();
    transport.answer = () => Promise.reject(new Error("No handler registered for 'sportello:getState'"));
    expect(await api.getState({})).toMatchObject({ ok: false, code: 'ipc_unavailable' });
  });
});

describe('on', () => {
  it('delivers only the named event, and only its payload', () => {
    const { api, transport } = build();
    const received: unknown[][] = [];
    api.on('connection', (...args: unknown[]) => received.push(args));
    transport.send({ event: 'state', payload: { screen: 'starting' } });
    transport.send({ event: 'connection', payload: { status: 'online' } });
    transport.send({ sender: {}, event: 'connection-ish', payload: {} });
    transport.send(null);
    transport.send('connection');
    expect(received).toEqual([[{ status: 'online' }]]);
  });

  it('stops delivering after unsubscribe, and unsubscribing twice is harmless', () => {
    const { api, transport } = build();
    const received: unknown[] = [];
    const stop = api.on('state', (payload) => received.push(payload));
    transport.send({ event: 'state', payload: { screen: 'starting' } });
    stop();
    stop();
    transport.send({ event: 'state', payload: { screen: 'offline' } });
    expect(received).toEqual([{ screen: 'starting' }]);
    expect(transport.listeners.size).toBe(0);
  });

  it('shares one transport subscription between listeners and drops it with the last', () => {
    const { api, transport } = build();
    const stops = [api.on('state', () => {}), api.on('inbox', () => {}), api.on('connection', () => {})];
    expect(transport.subscriptions).toBe(1);
    stops[0]?.();
    stops[1]?.();
    expect(transport.listeners.size).toBe(1);
    stops[2]?.();
    expect(transport.listeners.size).toBe(0);
    api.on('state', () => {});
    expect(transport.subscriptions).toBe(2);
  });

  it('keeps delivering to the others when one listener throws', () => {
    const { api, transport } = build();
    const received: unknown[] = [];
    api.on('connection', () => {
      throw new Error('renderer bug');
    });
    api.on('connection', (payload) => received.push(payload));
    expect(() => transport.send({ event: 'connection', payload: { status: 'offline' } })).toThrow('renderer bug');
    expect(received).toEqual([{ status: 'offline' }]);
  });

  it('refuses an event name outside the contract, and a listener that is not a function', () => {
    const { api } = build();
    const on = (event: unknown, listener: unknown): (() => void) =>
      (api as unknown as { on(this: void, event: unknown, listener: unknown): () => void }).on(event, listener);
    expect(() => on('sportello:event', () => {})).toThrow(TypeError);
    expect(() => on('__proto__', () => {})).toThrow(TypeError);
    expect(() => on('state', 'not a function')).toThrow(TypeError);
  });
});
