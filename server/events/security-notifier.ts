/** Told when sessions end outside a request (revocation, disabling, key replacement), to close their sockets at once. */
export interface SecurityNotifier {
  sessionsEnded(sessionIds: readonly number[], reason: string): void;
  devicesRevoked(deviceIds: readonly number[], reason: string): void;
}
