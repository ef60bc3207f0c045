/**
 * An agent whose authenticator an admin resets (a lost or stolen phone) loses what their workstation
 * kept of them: the cache and both halves of its key are erased whatever the logout policy says,
 * while the device stays paired. The workstation learns it over the event socket at once, or at its
 * next contact when it was offline at that moment (the server names the reset: `agent_reset`).
 */
import { describe, expect, it } from 'vitest';
import { agentLosesRightLive, agentLosesRightOffline } from '../helpers/agent-loses-right.js';
import type { AgentAction } from '../helpers/agent-loses-right.js';
import { IT } from '../helpers/identity-setup.js';
import { DEVICE_KEY_FILE, SEALED_BY_FILE, workstationScene } from '../helpers/workstation-under-test.js';

const scene = workstationScene();
const resetAuthenticator: AgentAction = (t, agentId) => t.server.identity.agents.resetTotp(agentId, IT);

describe('an agent whose authenticator an admin resets', () => {
  it('is erased from the workstation as soon as the socket says so, though the policy would keep a logged-out cache', async () => {
    const ws = await agentLosesRightLive(scene, 'phone.lost', resetAuthenticator);
    expect(ws.state).toMatchObject({ screen: 'signed_out', problem: { code: 'agent_reset_erased' } });
    expect(ws.files()).toEqual([DEVICE_KEY_FILE, SEALED_BY_FILE]);
  });

  it('is erased at the next contact when the workstation was offline as it happened', async () => {
    const ws = await agentLosesRightOffline(scene, 'phone.stolen', resetAuthenticator);
    expect(ws.state).toMatchObject({ screen: 'signed_out', problem: { code: 'agent_reset_erased' } });
    expect(ws.files()).toEqual([DEVICE_KEY_FILE, SEALED_BY_FILE]);
  });
});
