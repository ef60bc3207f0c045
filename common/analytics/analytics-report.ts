/**
 * What the server answers for an analytics query (analytics-query.ts): the figures of the scope,
 * what waits now, the busiest hours on the viewer's clock, template sends by the category Meta
 * bills, and one row per team and per agent for the tables. Times are seconds; instants are epoch
 * milliseconds. Percentiles are nearest-rank: the p-th is the smallest time at least p% of the
 * times are at or below (docs/analytics.md).
 */
import { z } from 'zod';
import { AnalyticsScopeKind } from './analytics-query.js';

const Count = z.number().int().min(0);
const Id = z.number().int().positive();

/** The spread of a set of durations, in seconds; null figures: no duration in the period. */
export const Durations = z.object({
  /** How many durations were measured. */
  count: Count,
  median: z.number().min(0).nullable(),
  p90: z.number().min(0).nullable(),
});
export type Durations = z.infer<typeof Durations>;

/** Of the conversations opened in the period that a customer wrote in: how many had their first answer within their team's target. */
export const WithinTarget = z.object({
  /** Answered within the target. */
  within: Count,
  /** Answered (in time or late), and unanswered for longer than the target. */
  counted: Count,
  /** within / counted, 0..1; null when nothing was counted. */
  share: z.number().min(0).max(1).nullable(),
});
export type WithinTarget = z.infer<typeof WithinTarget>;

export const Waiting = z.object({
  /** Open conversations whose customer's latest message has no answer yet. */
  count: Count,
  /** Since when the longest of them waits (epoch ms), and for how long at `generatedAt` (seconds). */
  oldestSince: z.number().int().nullable(),
  oldestWaitSeconds: z.number().min(0).nullable(),
});
export type Waiting = z.infer<typeof Waiting>;

export const Figures = z.object({
  conversationsOpened: Count,
  conversationsResolved: Count,
  /** From the customer's first message to the business's first answer, over conversations opened in the period. */
  firstResponse: Durations,
  /** From opening to resolution, over conversations resolved in the period (wherever they were opened). */
  resolution: Durations,
  messagesIn: Count,
  messagesOut: Count,
  answeredWithinTarget: WithinTarget,
  waiting: Waiting,
});
export type Figures = z.infer<typeof Figures>;

/** One cell of the 7×24 heat map: a weekday (0 Monday … 6 Sunday) and hour of the viewer's clock. */
export const HourCell = z.object({
  weekday: z.number().int().min(0).max(6),
  hour: z.number().int().min(0).max(23),
  messagesIn: Count,
  messagesOut: Count,
});
export type HourCell = z.infer<typeof HourCell>;

/** What Meta bills a template by; unknown: the template is not (or no longer) in the server's list. */
export const TemplateCategory = z.enum(['marketing', 'utility', 'authentication', 'unknown']);
export type TemplateCategory = z.infer<typeof TemplateCategory>;
export const TemplateSends = z.object({ category: TemplateCategory, sends: Count });
export type TemplateSends = z.infer<typeof TemplateSends>;

export const TeamFigures = Figures.extend({
  /** null: conversations with no team. */
  teamId: Id.nullable(),
  name: z.string(),
  firstResponseTargetSeconds: z.number().int().positive(),
});
export type TeamFigures = z.infer<typeof TeamFigures>;

/** An agent's figures: conversations they hold (opened, waiting), resolved, first answers they gave, messages they sent and received while holding. */
export const AgentFigures = Figures.extend({
  agentId: Id,
  displayName: z.string(),
});
export type AgentFigures = z.infer<typeof AgentFigures>;

export const AnalyticsReport = z.object({
  period: z.object({
    from: z.string(),
    to: z.string(),
    timeZone: z.string(),
    /** The period's first instant (midnight of `from` in the zone) and the instant after its last (midnight after `to`). */
    startsAt: z.number().int(),
    endsAt: z.number().int(),
  }),
  scope: z.object({ kind: AnalyticsScopeKind, id: z.string().nullable() }),
  /** When the figures were read: `waiting` is as of this instant. */
  generatedAt: z.number().int(),
  totals: Figures,
  /** 168 cells, Monday 00:00 first, then by hour and weekday. */
  busiestHours: z.array(HourCell).length(168),
  templateSends: z.array(TemplateSends),
  teams: z.array(TeamFigures),
  agents: z.array(AgentFigures),
});
export type AnalyticsReport = z.infer<typeof AnalyticsReport>;

export const TeamTarget = z.object({ teamId: Id, firstResponseTargetSeconds: z.number().int().positive() });
export type TeamTarget = z.infer<typeof TeamTarget>;
