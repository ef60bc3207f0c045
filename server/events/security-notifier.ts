/**
 * Told when sessions end outside a request (revocation, disabling, key replacement), to close
 * their sockets at once; and when agents' roles or teams changed, so what their sockets carry
 * follows at once (another process's changes are found by the feed's poll).
 */
export interface SecurityNotifier {
  sessionsEnded(sessionIds: readonly number[], reason: string): void;
  devicesRevoked(deviceIds: readonly number[], reason: string): void;
  viewsChanged(agentIds: readonly number[]): void;
}
