/**
 * /metrics on a listener of its own (SPORTELLO_METRICS_HOST:SPORTELLO_METRICS_PORT, loopback by
 * default), so the traffic counts, error codes and process details it tells are never served on
 * the public port that Meta and the workstations reach. Plain HTTP: it is for a Prometheus on the
 * same machine or a private network, not for the internet.
 */
import Fastify, { LogController } from 'fastify';
import type { FastifyBaseLogger } from 'fastify';
import { CodedError } from '../../common/errors/coded-error.js';
import type { ServerMetrics } from './server-metrics.js';

export interface MetricsListener {
  /** http://host:port of the listener. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startMetricsListener(metrics: ServerMetrics, address: { host: string; port: number }, log: FastifyBaseLogger): Promise<MetricsListener> {
  const app = Fastify({ loggerInstance: log, logController: new LogController({ disableRequestLogging: true }), trustProxy: false });
  app.get('/metrics', async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ error: { code: 'not_found', message: `This listener serves only GET /metrics, not ${request.method} ${request.url.split('?')[0]}.` } }),
  );
  try {
    const url = await app.listen({ host: address.host, port: address.port });
    return { url, close: () => app.close() };
  } catch (error) {
    await app.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new CodedError(
        'metrics_port_in_use',
        `SPORTELLO_METRICS_PORT ${address.port} is already in use on ${address.host}: stop the other process or choose another port (0: any free port).`,
        undefined,
        { cause: error },
      );
    }
    throw error;
  }
}
