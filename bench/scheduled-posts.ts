/**
 * Posting prepared requests on a fixed schedule over keep-alive connections (bench/raw-http-client.ts),
 * as bench:fanout and bench:routing load the server: a server that falls behind shows as latency,
 * not as a slower sender. And the percentiles the benches report.
 */
import { RawHttpConnection } from './raw-http-client.js';

const POST_CONNECTIONS = 64;

export interface PostSchedule {
  readonly requests: Buffer[];
  /** When each request is due (performance.now() milliseconds), filled in as the run starts. */
  readonly scheduledAt: Float64Array;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface PostResult {
  readonly acked: Uint8Array;
  /** From the scheduled time to the 200, by message. */
  readonly ackMs: Float64Array;
  readonly failures: Map<string, number>;
}

export async function postOnSchedule(port: number, schedule: PostSchedule): Promise<PostResult> {
  const count = schedule.requests.length;
  const result: PostResult = { acked: new Uint8Array(count), ackMs: new Float64Array(count), failures: new Map() };
  let next = 0;
  await Promise.all(
    Array.from({ length: POST_CONNECTIONS }, async () => {
      let connection: RawHttpConnection | undefined;
      try {
        while (next < count) {
          const index = next++;
          const due = schedule.scheduledAt[index]!;
          const wait = due - performance.now();
          if (wait > 0.5) await sleep(wait);
          try {
            if (connection?.usable !== true) connection = await RawHttpConnection.open(port);
            const status = await connection.send(schedule.requests[index]!);
            result.ackMs[index] = performance.now() - due;
            if (status === 200) result.acked[index] = 1;
            else result.failures.set(`HTTP ${status}`, (result.failures.get(`HTTP ${status}`) ?? 0) + 1);
          } catch (error) {
            const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
            result.failures.set(code, (result.failures.get(code) ?? 0) + 1);
          }
        }
      } finally {
        connection?.close();
      }
    }),
  );
  return result;
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
