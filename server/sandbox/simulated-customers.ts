/**
 * Simulated WhatsApp customers: they write to the business through signed webhooks, as Meta
 * would deliver them, at a configurable rate and with a mix of message types (text in English
 * and Italian, images, documents, locations, reactions, button replies).
 */
import crypto from 'node:crypto';
import type { GraphStandIn } from './graph-stand-in.js';
import type { InboundPayload, SandboxBusiness, SandboxCustomer } from './webhook-builder.js';
import { inboundMessageWebhook } from './webhook-builder.js';
import type { WebhookDeliverer } from './webhook-deliverer.js';

const FIRST_NAMES = ['Giulia', 'Marco', 'Sofia', 'Luca', 'Chiara', 'Matteo', 'Emma', 'Oliver', 'Amelia', 'Noah', 'Grace', 'Jack'];
const LAST_NAMES = ['Rossi', 'Bianchi', 'Esposito', 'Ferrari', 'Romano', 'Smith', 'Jones', 'Taylor', 'Brown', 'Wilson'];

const PHRASES: Record<SandboxCustomer['language'], readonly string[]> = {
  en: [
    'Hi, where is my order?',
    'Does it come in another colour?',
    'I was charged twice for the same order.',
    'Can I change the delivery address?',
    'Thanks, that solved it!',
    'What are your opening hours on Saturday?',
  ],
  it: [
    'Buongiorno, dov’è il mio ordine?',
    'È disponibile anche in un altro colore?',
    'Mi è stato addebitato due volte lo stesso ordine.',
    'Posso cambiare l’indirizzo di consegna?',
    'Grazie mille, risolto!',
    'Che orari fate il sabato?',
  ],
};

/** A tiny valid PNG (1×1), so image downloads and previews have real bytes. */
const PIXEL_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwAFgwJ/lDFz1wAAAABJRU5ErkJggg==', 'base64');

export function makeCustomers(count: number, seed = 1): SandboxCustomer[] {
  return Array.from({ length: count }, (_, i) => {
    const n = i + seed;
    const language = n % 2 === 0 ? 'en' : 'it';
    const waId = language === 'it' ? `39347${String(1_000_000 + n).slice(-7)}` : `44770${String(1_000_000 + n).slice(-7)}`;
    return {
      waId,
      userId: `${language === 'it' ? 'IT' : 'GB'}.${crypto.createHash('sha256').update(waId).digest('hex').slice(0, 20)}`,
      name: `${FIRST_NAMES[n % FIRST_NAMES.length]} ${LAST_NAMES[(n * 7) % LAST_NAMES.length]}`,
      language,
    };
  });
}

export class SimulatedCustomers {
  readonly customers: readonly SandboxCustomer[];
  readonly #businesses: readonly [SandboxBusiness, ...SandboxBusiness[]];
  readonly #webhooks: WebhookDeliverer;
  readonly #graph: GraphStandIn | undefined;
  /** The last message each customer sent, so some reply or react to it. */
  readonly #recent = new Map<string, string>();
  #timer: NodeJS.Timeout | undefined;
  #counter = 0;

  /** `businesses`: the numbers they write to, the first one unless said otherwise. */
  constructor(options: { businesses: readonly [SandboxBusiness, ...SandboxBusiness[]]; webhooks: WebhookDeliverer; graph?: GraphStandIn; customers: number }) {
    this.#businesses = options.businesses;
    this.#webhooks = options.webhooks;
    this.#graph = options.graph;
    this.customers = makeCustomers(options.customers);
  }

  /** Customers write at about `perSecond` messages a second, at random moments (Poisson arrivals). */
  start(perSecond: number): void {
    this.stop();
    if (perSecond <= 0) return;
    const next = (): void => {
      const delay = -Math.log(1 - Math.random()) * (1000 / perSecond);
      this.#timer = setTimeout(() => {
        const index = crypto.randomInt(this.customers.length);
        const customer = this.customers[index];
        const business = this.#homeNumber(index);
        // A customer whose phone shows the agent typing waits for the reply.
        if (customer !== undefined && !this.seesAgentTyping(customer, business)) void this.write(customer, undefined, business);
        next();
      }, delay);
      this.#timer.unref();
    };
    next();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Where customer `index` writes at random: alternately to each number, and every fifth customer
   * to any of them (one person writing to two numbers: two conversations).
   */
  #homeNumber(index: number): SandboxBusiness {
    const numbers = this.#businesses;
    const pick = index % 5 === 0 ? crypto.randomInt(numbers.length) : index % numbers.length;
    return numbers[pick] ?? numbers[0];
  }

  /** One customer writes one message (of the given kind, or one picked from the mix), to the first number unless `business` says. */
  async write(
    customer: SandboxCustomer,
    payload: InboundPayload = this.#pick(customer),
    business: SandboxBusiness = this.#businesses[0],
  ): Promise<{ wamid: string; delivered: boolean }> {
    const now = Date.now();
    const { wamid, body } = inboundMessageWebhook(business, customer, payload, { timestampMs: now });
    this.#graph?.noteInbound(customer.waId, now);
    this.#graph?.noteInbound(customer.userId, now);
    this.#graph?.noteInboundMessage(wamid, customer.waId, business.phoneNumberId);
    this.#recent.set(customer.waId, wamid);
    const delivered = await this.#webhooks.deliver(body);
    return { wamid, delivered };
  }

  /** What the customer's phone shows: the business typing a reply in their chat with this number (Meta's typing indicator). */
  seesAgentTyping(customer: SandboxCustomer, business: SandboxBusiness = this.#businesses[0]): boolean {
    return this.#graph?.typingShownTo(customer.waId, business.phoneNumberId) ?? false;
  }

  #pick(customer: SandboxCustomer): InboundPayload {
    this.#counter += 1;
    const phrases = PHRASES[customer.language];
    const roll = this.#counter % 20;
    const previous = this.#recent.get(customer.waId);
    if (roll === 7 && this.#graph !== undefined) {
      const media = this.#graph.addMedia(PIXEL_PNG, 'image/png');
      return {
        type: 'image',
        image: { id: media.id, mime_type: 'image/png', sha256: media.sha256Base64, caption: customer.language === 'it' ? 'Ecco la foto' : 'Here is the photo' },
      };
    }
    if (roll === 11 && this.#graph !== undefined) {
      const bytes = Buffer.from(`%PDF-1.4\n% Sportello sandbox receipt ${this.#counter}\n`);
      const media = this.#graph.addMedia(bytes, 'application/pdf');
      return {
        type: 'document',
        document: { id: media.id, mime_type: 'application/pdf', sha256: media.sha256Base64, filename: `receipt-${this.#counter}.pdf` },
      };
    }
    if (roll === 13) {
      return {
        type: 'location',
        location: {
          latitude: 45.4642 + Math.random() / 100,
          longitude: 9.19 + Math.random() / 100,
          name: 'Duomo di Milano',
          address: 'Piazza del Duomo, Milano',
        },
      };
    }
    if (roll === 17 && previous !== undefined) return { type: 'reaction', reaction: { message_id: previous, emoji: '👍' } };
    if (roll === 19) {
      return { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'yes', title: customer.language === 'it' ? 'Sì' : 'Yes' } } };
    }
    return { type: 'text', text: { body: phrases[crypto.randomInt(phrases.length)] ?? '' } };
  }
}
