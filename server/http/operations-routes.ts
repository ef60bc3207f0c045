/** /healthz for load balancers. /metrics has a listener of its own (server/metrics/metrics-listener.ts), never the public port. */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { InboxDatabase } from '../store/schema.js';

export interface OperationsDeps {
  readonly db: Kysely<InboxDatabase>;
  readonly sandbox: boolean;
  /** 'ok', or 'needs_reauthorization' after Meta refused the token. */
  readonly channelState: () => string;
  /** 'ok', 'unavailable' (configured, not answering) or 'not_configured' (files are not scanned). */
  readonly scannerState: () => Promise<string>;
}

export function operationsRoutes(deps: OperationsDeps) {
  return function register(app: FastifyInstance, _options: unknown, done: (error?: Error) => void): void {
    app.get('/healthz', async (request, reply) => {
      let store = 'ok';
      try {
        await sql`select 1`.execute(deps.db);
      } catch (error) {
        request.log.error({ err: error }, 'health check: store unavailable');
        store = 'unavailable';
      }
      const channel = deps.channelState();
      const scanner = await deps.scannerState();
      // Without a scanner configured the server runs as before, and says so; one that stopped answering degrades it.
      const status = store !== 'ok' ? 'down' : channel !== 'ok' || scanner === 'unavailable' ? 'degraded' : 'ok';
      return reply.code(store === 'ok' ? 200 : 503).send({ status, store, channel, scanner, sandbox: deps.sandbox });
    });
    done();
  };
}
