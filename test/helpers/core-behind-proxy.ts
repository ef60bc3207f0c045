/**
 * A workstation's core against a TLS test server reached through a proxy, so a test can take the
 * server out of reach; everything it makes is cleaned up by the `cleanups` the caller runs.
 */
import { ClientCore } from '../../main/core/client-core.js';
import { makeTestPlatform } from './node-platform.js';
import type { TestPlatform } from './node-platform.js';
import { TcpProxy } from './tcp-proxy.js';
import { startTestServer } from './test-server.js';
import type { TestServer, TestServerOptions } from './test-server.js';

export async function coreBehindProxy(
  cleanups: Array<() => Promise<void> | void>,
  serverOptions: TestServerOptions = {},
): Promise<{ t: TestServer; network: TcpProxy; platform: TestPlatform; core: ClientCore }> {
  const t = await startTestServer({ ...serverOptions, tls: true });
  cleanups.push(() => t.close());
  if (t.certificate === undefined) throw new Error('expected TLS');
  const network = await TcpProxy.start(Number(new URL(t.server.url).port));
  cleanups.push(() => network.close());
  const platform = makeTestPlatform();
  cleanups.push(() => platform.remove());
  platform.writeProvisioning({ serverUrl: `https://127.0.0.1:${network.port}`, spkiSha256: [t.certificate.spkiSha256] });
  const core = new ClientCore(platform, { pairingPollMs: 100, reconnectBackoffMs: 50 });
  cleanups.push(() => core.stop());
  return { t, network, platform, core };
}
