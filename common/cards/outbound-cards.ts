/**
 * No card number leaves an agent's keyboard: a message (its text, a file's caption, a template's
 * parameters), an internal note, a quick reply or an away message that holds one is refused
 * before it is stored or reaches Meta, with the way to ask for a payment instead. The same check
 * runs in the renderer (a warning as the agent types) and on the server (the refusal).
 */
import { CodedError } from '../errors/coded-error.js';
import type { SendRequest } from '../messages/send-request.js';
import { findCardNumbers } from './card-numbers.js';

/** Where the agent wrote it: named in the refusal, never the text. */
export type CardPlace = 'message' | 'note' | 'quick_reply' | 'away_message';

export class CardNumberRefused extends CodedError<'card_number_refused'> {
  readonly place: CardPlace;

  constructor(where: { readonly place: CardPlace }) {
    super(
      'card_number_refused',
      'A card number cannot be sent or kept in a chat, a note or a saved reply: remove it, and ask for the payment with a payment link instead.',
      { place: where.place },
    );
    this.place = where.place;
    this.name = 'CardNumberRefused';
  }
}

/** Whether any of the texts holds a card number. */
export function holdsCardNumber(texts: readonly (string | null | undefined)[]): boolean {
  return texts.some((text) => typeof text === 'string' && findCardNumbers(text).length > 0);
}

/** Refuses (card_number_refused) when any of the texts holds a card number. */
export function refuseCardNumbers(place: CardPlace, texts: readonly (string | null | undefined)[]): void {
  if (holdsCardNumber(texts)) throw new CardNumberRefused({ place });
}

/** Every string a template component's parameters carry (their text, a button's payload…), but not their types. */
function parameterStrings(value: unknown, out: string[], depth = 0): void {
  if (depth > 6) return;
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) parameterStrings(item, out, depth + 1);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) if (key !== 'type' && key !== 'sub_type') parameterStrings(item, out, depth + 1);
  }
}

/** The words a send carries to the customer. */
export function sendRequestTexts(request: SendRequest): string[] {
  switch (request.kind) {
    case 'text':
      return [request.text];
    case 'media':
      return request.caption === undefined ? [] : [request.caption];
    case 'template': {
      const out: string[] = [];
      for (const component of request.components) parameterStrings(component.parameters ?? [], out);
      // What the agent filled in, when the server builds the components from it (common/templates/template-parameters.ts).
      const filled = request.parameters;
      if (filled !== undefined) out.push(...Object.values(filled.header), ...Object.values(filled.body), ...Object.values(filled.buttons));
      return out;
    }
    case 'reaction':
      return [];
  }
}

/** Who wrote the texts a card rule judges (ids only: the refusal is audited by them). */
export interface CardWriter {
  readonly agentId: number | null;
  readonly conversationId?: number | null;
}

/** What the places agents write in ask of the card rule (server/safety/card-guard.ts). */
export interface CardRefusals {
  /** Refuses (card_number_refused) texts that hold a card number, when the policy says so. */
  refuse(place: CardPlace, texts: readonly (string | null | undefined)[], writer: CardWriter): Promise<void>;
}
