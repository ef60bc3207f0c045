/** Who performs an administrative act, as the audit log records it. */
export interface Actor {
  /** "agent:7:alice" for someone logged in, "cli:root" for the admin CLI. */
  readonly name: string;
  readonly agentId: number | null;
  readonly sourceAddress: string | null;
}

export function agentActor(agent: { agentId: number; username: string }, sourceAddress: string | null): Actor {
  return { name: `agent:${agent.agentId}:${agent.username}`, agentId: agent.agentId, sourceAddress };
}

export function cliActor(osUser: string): Actor {
  return { name: `cli:${osUser}`, agentId: null, sourceAddress: null };
}
