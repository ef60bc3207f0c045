/**
 * The variables a quick reply may hold, `{{customer.name}}` and the like: one closed set, read by
 * the server (a reply naming anything else is refused when it is saved) and by the renderer (which
 * fills them in from the conversation as the agent inserts the reply). No Node, no DOM.
 */

/** Every variable a reply may use, in the order the admin screen lists them. */
export const REPLY_VARIABLES = ['customer.name', 'customer.first_name', 'agent.name', 'agent.first_name', 'team.name', 'business.name'] as const;
export type ReplyVariable = (typeof REPLY_VARIABLES)[number];

/** What the variables are filled from: the conversation's customer, team and number, and the agent inserting the reply. Null: not known. */
export interface ReplyContext {
  readonly customerName: string | null;
  readonly agentName: string | null;
  readonly teamName: string | null;
  readonly businessName: string | null;
}

// `{{` then anything but braces then `}}`: a misspelt or made-up name is read as a variable too, so it can be refused.
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

const isReplyVariable = (name: string): name is ReplyVariable => (REPLY_VARIABLES as readonly string[]).includes(name);

/** The names the text uses as variables (trimmed, each once, in the order they first appear). */
export function variablesIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((match) => (match[1] ?? '').trim()))];
}

/** The text with each variable a space: what the links rule judges, since `{{business.name}}` is no site (its value is judged when sent). */
export function withoutVariables(text: string): string {
  return text.replace(PLACEHOLDER, ' ');
}

/** The names the text uses that are not in `REPLY_VARIABLES` (empty: every variable is known). */
export function unknownVariables(text: string): string[] {
  return variablesIn(text).filter((name) => !isReplyVariable(name));
}

const firstWord = (value: string | null) => (value === null ? null : (value.trim().split(/\s+/)[0] ?? null));

function valueOf(name: ReplyVariable, context: ReplyContext): string | null {
  switch (name) {
    case 'customer.name':
      return context.customerName;
    case 'customer.first_name':
      return firstWord(context.customerName);
    case 'agent.name':
      return context.agentName;
    case 'agent.first_name':
      return firstWord(context.agentName);
    case 'team.name':
      return context.teamName;
    case 'business.name':
      return context.businessName;
  }
}

/**
 * The reply's text with each known variable replaced by its value. A value not known (a customer
 * without a profile name) becomes nothing, and takes the space before it along when a space or a
 * punctuation mark follows ("Hello {{customer.first_name}}," gives "Hello,"). An unknown name is
 * left as written (the server never stores one).
 */
export function fillReply(text: string, context: ReplyContext): string {
  return text.replace(/( ?)\{\{([^{}]*)\}\}/g, (whole: string, space: string, inner: string, offset: number) => {
    const name = inner.trim();
    if (!isReplyVariable(name)) return whole;
    const value = valueOf(name, context)?.trim() ?? '';
    if (value !== '') return space + value;
    const next = text.charAt(offset + whole.length);
    return next === '' || /[\s,.!?;:]/.test(next) ? '' : space;
  });
}
