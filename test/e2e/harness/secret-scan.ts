/**
 * Looks for secrets where a compromised or careless renderer could leave them: the DOM (text and
 * attributes), the page's storage (localStorage, sessionStorage, IndexedDB, cookies) and its
 * console. The secrets come from the server's answers (tokens, the cache-key share), the sealed
 * device key, and what the agent typed (the password).
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { SessionGrant } from '../../../common/api/session.js';
import { SealedFiles } from '../../../main/secrets/sealed-files.js';
import type { TestPlatform } from '../../helpers/node-platform.js';
import type { TestServer } from '../../helpers/test-server.js';
import type { AppPage } from './open-app.js';

export interface Secret {
  readonly name: string;
  readonly value: string;
}

/** Every session grant the server hands out from now on (logins, enrollments, refreshes), recorded as it leaves. */
export function recordGrants(t: TestServer): SessionGrant[] {
  const grants: SessionGrant[] = [];
  const { enrollment, login } = t.server.identity;
  const confirm = enrollment.confirm.bind(enrollment);
  enrollment.confirm = async (...args) => {
    const completed = await confirm(...args);
    grants.push(completed.session);
    return completed;
  };
  for (const method of ['login', 'refresh'] as const) {
    const original = login[method].bind(login) as (...args: unknown[]) => Promise<SessionGrant>;
    (login as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
      const grant = await original(...args);
      grants.push(grant);
      return grant;
    };
  }
  return grants;
}

export function grantSecrets(grants: readonly SessionGrant[]): Secret[] {
  return grants.flatMap((grant, index) => [
    { name: `access token #${index}`, value: grant.accessToken },
    { name: `refresh token #${index}`, value: grant.refreshToken },
    { name: `cache-key share #${index}`, value: grant.cacheKeyShare },
  ]);
}

/** The device's private key in the encodings it could leak in: PKCS#8 DER and the raw seed, as base64, base64url and hex. */
export function deviceKeySecrets(platform: TestPlatform): Secret[] {
  const der = new SealedFiles(path.join(platform.userDataDir, 'secrets'), platform.secrets).read('device-key');
  if (der === undefined) throw new Error('the workstation has no device key yet');
  const jwk = crypto.createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' }).export({ format: 'jwk' });
  const seed = Buffer.from(jwk.d ?? '', 'base64url');
  return [Buffer.from(der), seed].flatMap((bytes, index) =>
    (['base64', 'base64url', 'hex'] as const).map((encoding) => ({
      name: `device private key (${index === 0 ? 'PKCS#8' : 'seed'}, ${encoding})`,
      value: bytes.toString(encoding),
    })),
  );
}

/** Everything the page holds as text: the serialised DOM, web storage and every IndexedDB record. */
const PAGE_DUMP = `(async () => {
  const idb = [];
  for (const info of await indexedDB.databases()) {
    const db = await new Promise((resolve, reject) => { const open = indexedDB.open(info.name); open.onsuccess = () => resolve(open.result); open.onerror = () => reject(open.error); });
    for (const store of db.objectStoreNames) {
      const records = await new Promise((resolve) => { const request = db.transaction(store).objectStore(store).getAll(); request.onsuccess = () => resolve(request.result); });
      idb.push(info.name + '/' + store + ': ' + JSON.stringify(records));
    }
    db.close();
  }
  const storage = (area) => JSON.stringify(Object.fromEntries(Object.keys(area).map((key) => [key, area.getItem(key)])));
  return { dom: document.documentElement.outerHTML, localStorage: storage(localStorage), sessionStorage: storage(sessionStorage), indexedDB: idb.join('\\n') };
})()`;

/** Where each secret was found; empty when the page is clean. */
export async function findSecrets(app: AppPage, secrets: readonly Secret[]): Promise<string[]> {
  const dump = await app.page.evaluate<Record<string, string>>(PAGE_DUMP);
  const places: Record<string, string> = {
    ...dump,
    cookies: JSON.stringify(await app.context.cookies()),
    console: app.console.join('\n'),
  };
  const found: string[] = [];
  for (const secret of secrets) {
    if (secret.value.length < 8) throw new Error(`${secret.name} is too short to search for meaningfully`);
    for (const [place, text] of Object.entries(places)) if (text.includes(secret.value)) found.push(`${secret.name} in ${place}`);
  }
  return found;
}
