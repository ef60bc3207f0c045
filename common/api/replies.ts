/**
 * Quick replies and labels as the client API serves them. Both are kept per scope: global
 * (`teamId` null), managed by administrators, or of one team, managed by that team's supervisors
 * (`mayManageScope`). Whoever reads conversations uses the global ones and those of their teams
 * (member or supervisor); a team's replies and labels are not shown to another team.
 */
import { z } from 'zod';
import { REPLY_VARIABLES } from '../replies/reply-variables.js';
import type { Role } from './session.js';

const Id = z.number().int().positive();

/** Whether someone with these roles and supervised teams may manage the quick replies and labels of `teamId` (null: global). */
export function mayManageScope(manager: { readonly roles: readonly Role[]; readonly supervises: readonly number[] }, teamId: number | null): boolean {
  if (teamId === null) return manager.roles.includes('admin');
  return manager.roles.includes('supervisor') && manager.supervises.includes(teamId);
}

/** A place a manager may keep replies and labels in: global (`teamId` null) or a team. */
export const ReplyScope = z.object({ teamId: Id.nullable(), teamName: z.string().nullable() });
export type ReplyScope = z.infer<typeof ReplyScope>;

export const REPLY_LANGUAGES = ['en', 'it'] as const;
export type ReplyLanguage = (typeof REPLY_LANGUAGES)[number];

export const MAX_REPLY_LENGTH = 4096;
/** A shortcut, typed after `/` in the composer: letters, digits, `-` and `_`, kept in lower case. */
export const QuickReplyShortcut = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}_-]{0,31}$/u, 'a shortcut is 1 to 32 letters, digits, - or _, starting with a letter or digit')
  .transform((value) => value.toLowerCase());
const ReplyText = z.string().trim().max(MAX_REPLY_LENGTH, `a reply's text is at most ${MAX_REPLY_LENGTH} characters`);

/** The reply's text in each language it has (at least one); the agent's language picks, else the other. */
export const ReplyTexts = z.object({ en: z.string().nullable(), it: z.string().nullable() });
export type ReplyTexts = z.infer<typeof ReplyTexts>;

export const QuickReplyView = ReplyScope.extend({
  id: Id,
  shortcut: z.string(),
  texts: ReplyTexts,
  updatedAt: z.number().int(),
});
export type QuickReplyView = z.infer<typeof QuickReplyView>;

/** The quick replies this agent may use: the global ones and their teams'. */
export const QuickReplyList = z.object({ replies: z.array(QuickReplyView), variables: z.array(z.enum(REPLY_VARIABLES)) });
export type QuickReplyList = z.infer<typeof QuickReplyList>;

/** What a manager sees: the replies of the scopes they manage, and those scopes. */
export const ManagedQuickReplies = z.object({ replies: z.array(QuickReplyView), scopes: z.array(ReplyScope), variables: z.array(z.enum(REPLY_VARIABLES)) });
export type ManagedQuickReplies = z.infer<typeof ManagedQuickReplies>;

const emptyToNull = (value: string | null | undefined) => (value === undefined || value === null || value === '' ? null : value);

export const QuickReplyRequest = z
  .object({
    teamId: Id.nullable(),
    shortcut: QuickReplyShortcut,
    texts: z.object({ en: ReplyText.nullish(), it: ReplyText.nullish() }).strict(),
  })
  .strict()
  .transform((request) => ({ ...request, texts: { en: emptyToNull(request.texts.en), it: emptyToNull(request.texts.it) } }))
  .refine((request) => request.texts.en !== null || request.texts.it !== null, {
    message: 'a quick reply needs its text in English, in Italian or in both',
    path: ['texts'],
  });
export type QuickReplyRequest = z.infer<typeof QuickReplyRequest>;

/** The text to insert for an agent whose interface is in `language`: that language's, else the other's. */
export function replyTextFor(texts: ReplyTexts, language: ReplyLanguage): string {
  const other: ReplyLanguage = language === 'en' ? 'it' : 'en';
  return texts[language] ?? texts[other] ?? '';
}

/** The fixed palette a label's colour is taken from (the renderer has a style for each). */
export const LABEL_COLORS = ['grey', 'red', 'orange', 'yellow', 'green', 'teal', 'blue', 'purple', 'pink'] as const;
export const LabelColor = z.enum(LABEL_COLORS);
export type LabelColor = z.infer<typeof LabelColor>;

export const LabelName = z
  .string()
  .trim()
  .min(1, 'a label needs a name')
  .max(40, 'a label name is at most 40 characters')
  .refine((value) => !/[\p{Cc}]/u.test(value), 'a label name may not hold control characters');

/** A label as a conversation carries it. */
export const ConversationLabel = z.object({ id: Id, name: z.string(), color: LabelColor });
export type ConversationLabel = z.infer<typeof ConversationLabel>;

export const LabelView = ReplyScope.extend({ id: Id, name: z.string(), color: LabelColor });
export type LabelView = z.infer<typeof LabelView>;

/** The labels this agent may put on conversations and filter by: the global ones and their teams'. */
export const LabelList = z.object({ labels: z.array(LabelView) });
export type LabelList = z.infer<typeof LabelList>;

export const ManagedLabels = z.object({ labels: z.array(LabelView), scopes: z.array(ReplyScope) });
export type ManagedLabels = z.infer<typeof ManagedLabels>;

export const LabelRequest = z.object({ teamId: Id.nullable(), name: LabelName, color: LabelColor }).strict();
export type LabelRequest = z.infer<typeof LabelRequest>;

/** POST /v1/conversations/:id/labels */
export const AddConversationLabelBody = z.object({ labelId: Id }).strict();
export const ConversationLabelParams = z.object({
  id: z.coerce.number().int().positive('id must be a positive whole number'),
  labelId: z.coerce.number().int().positive('the label id must be a positive whole number'),
});

/** A list filter: only conversations carrying this label. */
export const LabelFilter = z.coerce.number().int().positive('label must be a label id');
