/**
 * The published OpenAPI document said the media download answers 204 with no body (it answers
 * 200 with the file's bytes) and left the event socket out. Both now come from their contract
 * entries, which say how their bytes travel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG } from '../helpers/file-samples.js';
import { approvedDevice, enrolledAgent } from '../helpers/identity-setup.js';
import type { EnrolledAgent } from '../helpers/identity-setup.js';
import { startTestServer } from '../helpers/test-server.js';
import type { TestServer } from '../helpers/test-server.js';

interface Operation {
  readonly parameters: ReadonlyArray<{ name: string; in: string; required: boolean }>;
  readonly responses: Readonly<Record<string, { description: string; content?: Record<string, unknown> }>>;
}

let t: TestServer;
let agent: EnrolledAgent;
let paths: Readonly<Record<string, Readonly<Record<string, Operation>>>>;

beforeAll(async () => {
  t = await startTestServer();
  agent = await enrolledAgent(t, await approvedDevice(t, 'docs-desk'), 'dora.docs', 'agent');
  paths = ((await (await fetch(`${t.server.url}/v1/openapi.json`)).json()) as { paths: typeof paths }).paths;
});
afterAll(async () => {
  await t.close();
});

describe('the OpenAPI document', () => {
  it('documents the download as the 200 with the file’s bytes that it answers', async () => {
    const responses = paths['/v1/media/{id}']?.get?.responses ?? {};
    expect(Object.keys(responses).sort()).toEqual(['200', 'default']);
    expect(responses['200']?.content).toHaveProperty(['*/*']);

    const authorization = `Bearer ${agent.session.accessToken}`;
    const upload = await fetch(`${t.server.url}/v1/media?kind=image&filename=dot.png`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'image/png' },
      body: PNG,
    });
    expect(upload.status).toBe(201);
    const { mediaId } = (await upload.json()) as { mediaId: number };
    const download = await fetch(`${t.server.url}/v1/media/${mediaId}`, { headers: { authorization } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(PNG);
  });

  it('documents the event socket: its upgrade, its resume point and the device proof it needs', () => {
    const operation = paths['/v1/events']?.get;
    expect(operation?.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'after', in: 'query', required: false }),
        expect.objectContaining({ name: 'x-sportello-proof', in: 'header', required: true }),
      ]),
    );
    expect(Object.keys(operation?.responses ?? {}).sort()).toEqual(['101', 'default']);
    expect(operation?.responses['101']?.description).toMatch(/WebSocket/);
  });
});
