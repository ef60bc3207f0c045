/**
 * The outbound queue's lanes, one per business number: which number answers each conversation,
 * the number's own pacer (Meta's throughput is per number), and how many conversations wait on
 * each number, so a pass of the dispatcher can stop once every number with work is paced out.
 */
import { SendPacer } from './send-pacer.js';

export class NumberLanes {
  readonly #intervalMs: number;
  readonly #numberOf = new Map<number, string>();
  readonly #pacers = new Map<string, SendPacer>();
  /** Per number, the conversations with messages queued. */
  readonly #waiting = new Map<string, number>();
  readonly #queued = new Set<number>();

  /** `intervalMs`: each number's spacing between sends. */
  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
  }

  numberOf(conversationId: number): string | undefined {
    return this.#numberOf.get(conversationId);
  }

  /** The number that answers the conversation (at a send, an admin may have moved it). */
  assign(conversationId: number, phoneNumberId: string): void {
    if (this.#numberOf.get(conversationId) === phoneNumberId) return;
    const queued = this.#queued.has(conversationId);
    if (queued) this.#count(conversationId, -1);
    this.#numberOf.set(conversationId, phoneNumberId);
    if (queued) this.#count(conversationId, 1);
  }

  /** The conversation has messages queued from now on. */
  opened(conversationId: number): void {
    if (this.#queued.has(conversationId)) return;
    this.#queued.add(conversationId);
    this.#count(conversationId, 1);
  }

  /** The conversation's queue is empty. */
  closed(conversationId: number): void {
    if (!this.#queued.delete(conversationId)) return;
    this.#count(conversationId, -1);
  }

  /** How many numbers have conversations waiting. */
  get numbersWaiting(): number {
    return this.#waiting.size;
  }

  pacer(phoneNumberId: string): SendPacer {
    let pacer = this.#pacers.get(phoneNumberId);
    if (pacer === undefined) {
      pacer = new SendPacer(this.#intervalMs);
      this.#pacers.set(phoneNumberId, pacer);
    }
    return pacer;
  }

  #count(conversationId: number, change: 1 | -1): void {
    const number = this.#numberOf.get(conversationId) ?? '';
    const count = (this.#waiting.get(number) ?? 0) + change;
    if (count > 0) this.#waiting.set(number, count);
    else this.#waiting.delete(number);
  }
}
