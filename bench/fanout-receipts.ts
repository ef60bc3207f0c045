/**
 * What bench:fanout's sockets receive: each frame parsed, each `message` event matched to its
 * place in the posting schedule, and per socket and message the delay from the scheduled post to
 * the frame's arrival, with duplicates counted.
 */

/** Per socket and message: received yet, and how late. Messages are numbered by their place in the schedule. */
export class Receipts {
  readonly #messages: number;
  readonly #latencies: Float64Array;
  readonly #seen: Uint8Array;
  readonly #indexOfWamid: ReadonlyMap<string, number>;
  readonly #scheduledAt: Float64Array;
  readonly #counted: number;
  delivered = 0;
  duplicates = 0;
  frames = 0;
  events = 0;
  lastDeliveryAt = 0;
  unreadable = 0;

  constructor(sockets: number, indexOfWamid: ReadonlyMap<string, number>, scheduledAt: Float64Array, firstCounted: number) {
    this.#messages = scheduledAt.length;
    this.#latencies = new Float64Array(sockets * this.#messages);
    this.#seen = new Uint8Array(sockets * this.#messages);
    this.#indexOfWamid = indexOfWamid;
    this.#scheduledAt = scheduledAt;
    this.#counted = firstCounted;
  }

  /** One frame's bytes on socket `socket`, arrived at `at`; hands the frame's events back. */
  take(socket: number, data: Buffer, at: number): unknown[] {
    this.frames += 1;
    let events: unknown[];
    try {
      // A frame (common/api/events.ts): an array of events. Not checked against the schema: this measures the server.
      const parsed: unknown = JSON.parse(data.toString('utf8'));
      if (!Array.isArray(parsed)) throw new Error('not a frame');
      events = parsed;
    } catch {
      this.unreadable += 1;
      return [];
    }
    this.events += events.length;
    for (const event of events) {
      const { type, message } = event as { type?: unknown; message?: { wamid?: unknown } };
      if (type !== 'message' || typeof message?.wamid !== 'string') continue;
      const index = this.#indexOfWamid.get(message.wamid);
      if (index === undefined) continue;
      const slot = socket * this.#messages + index;
      if (this.#seen[slot] === 1) {
        this.duplicates += 1;
        continue;
      }
      this.#seen[slot] = 1;
      this.#latencies[slot] = at - (this.#scheduledAt[index] ?? at);
      if (index >= this.#counted) this.delivered += 1;
      this.lastDeliveryAt = at;
    }
    return events;
  }

  /** Latencies of the counted messages that were acknowledged, sorted. */
  countedLatencies(acked: Uint8Array): Float64Array {
    const out: number[] = [];
    for (let slot = 0; slot < this.#seen.length; slot += 1) {
      const index = slot % this.#messages;
      if (index >= this.#counted && this.#seen[slot] === 1 && acked[index] === 1) out.push(this.#latencies[slot] ?? 0);
    }
    return Float64Array.from(out).sort();
  }
}
