/**
 * The client API is declared once (common/api/client-api.ts) and the server attaches one handler
 * to each route: walked here from the contract and from the running server's route table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { CLIENT_API, CLIENT_API_GROUPS, CLIENT_API_ROUTES, ENDPOINT_NAMES } from '../../common/api/client-api.js';
import { pathParamNames, requestPath } from '../../common/api/endpoint.js';
import { bindRoutes } from '../../server/api/api-route.js';
import type { Handlers } from '../../server/api/api-route.js';
import { TestDevice } from '../helpers/test-device.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

let t: TestServer;
let device: TestDevice;

beforeAll(async () => {
  t = await startTestServer();
  device = new TestDevice(t.server.url);
});
afterAll(async () => {
  await t.close();
});

/** The server's handlers, by route name, as it bound them. */
const serverHandlers = (): Record<string, unknown> => Object.fromEntries(t.server.apiRoutes.map((route) => [route.name, route.handler]));

describe('the client API contract', () => {
  it('names each route once, in groups that do not overlap', () => {
    const grouped = Object.values(CLIENT_API_GROUPS).flatMap((group) => Object.keys(group));
    expect(grouped.sort()).toEqual([...ENDPOINT_NAMES].sort());
    const targets = CLIENT_API_ROUTES.map((route) => `${route.method} ${route.url}`);
    expect(new Set(targets).size).toBe(targets.length);
    expect(CLIENT_API_ROUTES.length).toBeGreaterThanOrEqual(35);
  });

  it('declares exactly the path parameters its urls name', () => {
    for (const route of CLIENT_API_ROUTES) {
      const declared = route.params === undefined ? [] : Object.keys((route.params as z.ZodObject).shape);
      expect(declared.sort(), route.url).toEqual(pathParamNames(route).sort());
    }
  });

  it('says how the upload, the download and the event socket travel', () => {
    expect(CLIENT_API.uploadMedia).toMatchObject({ kind: 'upload', method: 'POST', url: '/v1/media', successStatus: 201 });
    expect(CLIENT_API.downloadMedia).toMatchObject({ kind: 'download', method: 'GET', url: '/v1/media/:id' });
    expect(CLIENT_API.events).toMatchObject({ kind: 'socket', method: 'GET', url: '/v1/events', header: { name: 'x-sportello-proof' } });
    expect(CLIENT_API.exportAnalyticsCsv).toMatchObject({ kind: 'download', method: 'GET', url: '/v1/analytics/export.csv' });
    expect(
      CLIENT_API_ROUTES.filter((route) => route.kind !== 'json')
        .map((route) => route.name)
        .sort(),
    ).toEqual(['downloadMedia', 'events', 'exportAnalyticsCsv', 'uploadMedia']);
  });
});

describe('the server’s handlers', () => {
  it('bind one handler to every contract route, and no other', () => {
    const names = t.server.apiRoutes.map((route) => route.name);
    expect([...names].sort()).toEqual([...ENDPOINT_NAMES].sort());
    for (const route of t.server.apiRoutes) {
      const { handler: _handler, ...declared } = route;
      expect(declared, route.name).toEqual(CLIENT_API_ROUTES.find((entry) => entry.name === route.name));
      if (route.kind === 'socket') expect(route.handler, route.name).toMatchObject({ accept: expect.any(Function), open: expect.any(Function) });
      else expect(route.handler, route.name).toBeTypeOf('function');
    }
  });

  it('refuse to start with a contract route left without a handler, or a handler for no route', () => {
    const { markRead: _left, ...withoutOne } = serverHandlers();
    expect(() => bindRoutes(CLIENT_API, withoutOne as Handlers<typeof CLIENT_API>)).toThrow(/routes without a handler: markRead/);
    const withExtra = { ...serverHandlers(), deleteEverything: () => Promise.resolve(undefined) };
    expect(() => bindRoutes(CLIENT_API, withExtra as unknown as Handlers<typeof CLIENT_API>)).toThrow(/handlers for no route: deleteEverything/);
  });

  it('serve every contract route at its method and path, where an undeclared path is not found', async () => {
    const unknown = await device.call('POST', '/v1/conversations/1/delete-everything', {});
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    for (const route of CLIENT_API_ROUTES) {
      const params = Object.fromEntries(pathParamNames(route).map((name) => [name, 1]));
      const response = await device.call(route.method, requestPath(route, params), route.method === 'GET' ? undefined : {});
      expect(response.body, `${route.method} ${route.url}`).not.toMatchObject({ error: { code: 'not_found' } });
      expect(response.status, `${route.method} ${route.url}`).toBeLessThan(500);
    }
  });
});
