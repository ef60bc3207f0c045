/**
 * Every other signed webhook in the tests is signed by the server's own signer, so a signer and a
 * checker wrong in the same way (another hash, the key or the body encoded differently, a
 * re-serialised body) would pass them all. This triple was computed outside the code, with
 * OpenSSL, over the exact bytes below (UTF-8, no trailing newline):
 *
 *   printf '%s' "$BODY" | openssl dgst -sha256 -hmac 'sportello-known-answer-app-secret'
 *   SHA2-256(stdin)= f00c51ce2302b1fb0275eb01b6aa9dbe5820f1b78aeb04f87b51df22f1ff22b0
 *
 * (`wc -c` gives 445 bytes: the accented "è" and the "✓" are multi-byte.) The same command gives
 * ../shared/docs/cloud-api.md's vector for body "test" and secret "secret", checked here too. The
 * endpoint is reached through `app.inject` (the bytes are what is signed; a port adds nothing).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidWebhookSignature, signWebhookBody } from '../../server/cloud-api/webhook-signature.js';
import { messageByWamid } from '../helpers/store-queries.js';
import { buildTestServer } from '../helpers/test-server.js';
import type { BuiltTestServer } from '../helpers/test-server.js';

const KNOWN_SECRET = 'sportello-known-answer-app-secret';
const KNOWN_BODY =
  '{"object":"whatsapp_business_account","entry":[{"id":"200000000000001","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111","phone_number_id":"100000000000001"},"contacts":[{"profile":{"name":"Giulia"},"wa_id":"393470000001"}],"messages":[{"from":"393470000001","id":"wamid.KNOWN_ANSWER_1","timestamp":"1749416383","type":"text","text":{"body":"Grazie, è arrivato ✓"}}]}}]}]}';
const KNOWN_HEADER = 'sha256=f00c51ce2302b1fb0275eb01b6aa9dbe5820f1b78aeb04f87b51df22f1ff22b0';

let t: BuiltTestServer;
beforeAll(async () => {
  t = await buildTestServer({ appSecret: KNOWN_SECRET });
});
afterAll(async () => {
  await t.close();
});

describe('webhook signatures against a known answer computed with OpenSSL', () => {
  it('the body is the 445 bytes OpenSSL signed', () => {
    expect(Buffer.byteLength(KNOWN_BODY, 'utf8')).toBe(445);
  });

  it('the signer and the checker agree with OpenSSL', () => {
    expect(signWebhookBody(KNOWN_BODY, KNOWN_SECRET)).toBe(KNOWN_HEADER);
    expect(isValidWebhookSignature(Buffer.from(KNOWN_BODY, 'utf8'), KNOWN_HEADER, KNOWN_SECRET)).toBe(true);
    expect(isValidWebhookSignature(Buffer.from(KNOWN_BODY, 'utf8'), KNOWN_HEADER.toUpperCase().replace('SHA256=', 'sha256='), KNOWN_SECRET)).toBe(true);
    expect(signWebhookBody('test', 'secret')).toBe('sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914');
  });

  it('the endpoint stores the body under the known header, and refuses it for other bytes or another secret', async () => {
    expect((await t.postWebhook(KNOWN_BODY.replace('✓', 'v'), { signature: KNOWN_HEADER })).status).toBe(401);
    expect((await t.postWebhook(KNOWN_BODY, { signature: signWebhookBody(KNOWN_BODY, `${KNOWN_SECRET}x`) })).status).toBe(401);
    expect(await messageByWamid(t.server.database.db, 'wamid.KNOWN_ANSWER_1')).toBeUndefined();

    const response = await t.postWebhook(KNOWN_BODY, { signature: KNOWN_HEADER });
    expect(response.status).toBe(200);
    const stored = await messageByWamid(t.server.database.db, 'wamid.KNOWN_ANSWER_1');
    expect(stored && JSON.parse(stored.content_json)).toEqual({ type: 'text', body: 'Grazie, è arrivato ✓' });
  });
});
