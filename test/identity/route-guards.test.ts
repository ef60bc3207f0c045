/**
 * Every client-API route, walked from the server's own route table: each one that needs a
 * session refuses no session, a revoked device and the wrong role; and no malformed input on any
 * route gets a server error. A port adds nothing here: the server is built, not listening, and
 * every request goes through `app.inject` (the event socket's refusals are in event-feed.test.ts).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyApiRoute } from '../../server/api/api-route.js';
import { approvedDevice, enrolledAgent, IT } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import type { TestDevice } from '../helpers/test-device.js';
import { buildTestServer } from '../helpers/test-server.js';
import type { BuiltTestServer } from '../helpers/test-server.js';

let t: BuiltTestServer;
let device: TestDevice;
let admin: EnrolledAgent;
let supervisor: EnrolledAgent;
let agent: EnrolledAgent;
let revokedDevice: TestDevice;
let revokedToken: string;

beforeAll(async () => {
  t = await buildTestServer();
  device = await approvedDevice(t, 'it-desk');
  admin = await enrolledAgent(t, device, 'root.admin', 'admin');
  supervisor = await enrolledAgent(t, device, 'sara.supervisor', 'supervisor');
  agent = await enrolledAgent(t, device, 'aldo.agent', 'agent');
  revokedDevice = await approvedDevice(t, 'lost-laptop');
  revokedToken = (await enrolledAgent(t, revokedDevice, 'lost.user', 'admin')).session.accessToken;
  const row = await t.server.database.db.selectFrom('devices').select('id').where('machine_id', '=', revokedDevice.machineId).executeTakeFirstOrThrow();
  await t.server.identity.devices.revoke(row.id, 'lost', IT);
});
afterAll(async () => {
  await t.close();
});

const pathOf = (route: AnyApiRoute) => route.url.replace(/:[A-Za-z]+/g, '1');
const guarded = () => t.server.apiRoutes.filter((route) => route.access !== 'public');

describe('route guards', () => {
  it('knows its routes', () => {
    expect(guarded().length).toBeGreaterThanOrEqual(20);
    expect(t.server.apiRoutes.filter((route) => route.access === 'admin').length).toBeGreaterThanOrEqual(15);
  });

  it('refuses every guarded route without a session, or with a token that is not one', async () => {
    for (const route of guarded()) {
      const none = await device.call(route.method, pathOf(route), route.method === 'GET' ? undefined : {});
      expect(none, `${route.method} ${route.url}`).toMatchObject({ status: 401, body: { error: { code: 'session_required' } } });
      const forged = await device.call(route.method, pathOf(route), route.method === 'GET' ? undefined : {}, `sa_${'A'.repeat(43)}`);
      expect(forged, `${route.method} ${route.url}`).toMatchObject({ status: 401, body: { error: { code: 'session_invalid' } } });
    }
  });

  it('refuses every guarded route to a revoked device', async () => {
    for (const route of guarded()) {
      const response = await revokedDevice.call(route.method, pathOf(route), route.method === 'GET' ? undefined : {}, revokedToken);
      expect(response, `${route.method} ${route.url}`).toMatchObject({ status: 403, body: { error: { code: 'device_revoked' } } });
    }
  });

  it('refuses admin routes to agents and supervisors, and supervisor routes to agents', async () => {
    for (const route of guarded()) {
      const refusedTo = route.access === 'admin' ? [agent, supervisor] : route.access === 'supervisor' ? [agent] : [];
      for (const who of refusedTo) {
        const response = await device.call(route.method, pathOf(route), route.method === 'GET' ? undefined : {}, who.session.accessToken);
        expect(response, `${route.method} ${route.url} as ${who.username}`).toMatchObject({ status: 403, body: { error: { code: 'forbidden_role' } } });
      }
    }
  });

  it('refuses device proofs from a revoked device on the public routes that take them', async () => {
    const login = await revokedDevice.login('lost.user', 'whatever it was', { kind: 'totp', code: '123456' });
    expect(login).toMatchObject({ status: 403, body: { error: { code: 'device_revoked' } } });
    const enrollment = await revokedDevice.call('POST', '/v1/enrollment', {
      username: 'lost.user',
      enrollmentCode: 'ACDE-FGHJ-KMNP-QRTW',
      newPassword: 'long enough password here',
      proof: await revokedDevice.proof('enrollment.start', 'lost.user'),
    });
    expect(enrollment).toMatchObject({ status: 403, body: { error: { code: 'device_revoked' } } });
  });

  it('lets each role in where it belongs, and only there: no role implies another', async () => {
    expect((await device.call('GET', '/v1/admin/devices', undefined, admin.session.accessToken)).status).toBe(200);
    expect((await device.call('GET', '/v1/conversations?filter=all', undefined, supervisor.session.accessToken)).status).toBe(200);
    // `all` is all the caller may see: for an agent, their own and their teams' queues.
    expect((await device.call('GET', '/v1/conversations?filter=all', undefined, agent.session.accessToken)).status).toBe(200);
    expect((await device.call('GET', '/v1/conversations?filter=mine', undefined, agent.session.accessToken)).status).toBe(200);
    // An admin reads no conversation unless also an agent or supervisor; a supervisor administers nothing.
    for (const route of ['/v1/conversations?filter=all', '/v1/conversations/1', '/v1/conversations/1/messages', '/v1/numbers', '/v1/media/1']) {
      expect(await device.call('GET', route, undefined, admin.session.accessToken), route).toMatchObject({
        status: 403,
        body: { error: { code: 'forbidden_role' } },
      });
    }
    for (const token of [supervisor.session.accessToken, agent.session.accessToken]) {
      expect(await device.call('GET', '/v1/admin/teams', undefined, token)).toMatchObject({ status: 403, body: { error: { code: 'forbidden_role' } } });
    }
  });
});

describe('malformed input on every route', () => {
  it('never produces a server error', async () => {
    // Logging out would end the session the property runs on.
    const routes = t.server.apiRoutes.filter((route) => route.url !== '/v1/sessions/current');
    const queryValue = fc.oneof(fc.string(), fc.integer().map(String), fc.constantFrom('-1', '0', '1e309', 'NaN', '%00', '[]', 'mine', 'all'));
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: routes.length - 1 }),
        fc.jsonValue(),
        fc.dictionary(fc.constantFrom('filter', 'cursor', 'limit', 'code', 'kind', 'filename', 'before', 'event', 'after'), queryValue),
        fc.constantFrom('1', '0', '-5', 'abc', '99999999999999999999'),
        async (index, body, query, id) => {
          const route = routes[index];
          if (route === undefined) return;
          const path = route.url.replace(/:[A-Za-z]+/g, encodeURIComponent(id));
          const search = new URLSearchParams(query).toString();
          const response = await device.call(
            route.method,
            `${path}${search === '' ? '' : `?${search}`}`,
            route.method === 'GET' ? undefined : body,
            admin.session.accessToken,
          );
          expect(response.status, `${route.method} ${path}?${search} ${JSON.stringify(body).slice(0, 200)}`).toBeLessThan(500);
          expect(response.body, `${route.method} ${route.url}`).toBeDefined();
        },
      ),
      { numRuns: 400 },
    );
  });

  it('answers a body that is not JSON with 400 invalid_request', async () => {
    const response = await t.server.app.inject({
      method: 'POST',
      url: '/v1/sessions',
      headers: { 'content-type': 'application/json' },
      payload: '{"username":',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'invalid_request' } });
  });

  it('publishes the API as OpenAPI, with every route in it', async () => {
    const document = (await t.server.app.inject({ method: 'GET', url: '/v1/openapi.json' })).json<{
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    }>();
    expect(document.openapi).toBe('3.0.3');
    for (const route of t.server.apiRoutes) {
      const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
      expect(document.paths[path]?.[route.method.toLowerCase()], `${route.method} ${route.url}`).toBeDefined();
    }
  });
});
