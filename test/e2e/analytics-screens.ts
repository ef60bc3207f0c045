/**
 * The analytics dashboard's pictures for `npm run screens` (capture-screens.ts calls these): the
 * default team's last 30 days after a month of traffic from the test-data generator
 * (test/helpers/analytics-data.ts: customers writing more in office hours and on weekdays, slower
 * first answers out of hours, template sends of the three categories Meta bills), seen by its
 * supervisor for the whole team, then narrowed to one agent.
 */
import { insertConversations, planTraffic, SAMPLE_TEMPLATES } from '../helpers/analytics-data.js';
import { IT } from '../helpers/identity-setup.js';
import type { E2eEnvironment } from './e2e-setup.js';
import { reachInbox } from './harness/app-driver.js';
import type { Session } from './harness/app-driver.js';
import type { UiLanguage } from './harness/catalogue.js';

type Shot = (session: Session, language: UiLanguage, name: string) => Promise<void>;

const DAY_MS = 86_400_000;

/** The team's agents the traffic is shared among (the first is the one the agent scope shows). */
const AGENTS = {
  en: ['Emma Clarke', 'Daniel Price', 'Priya Shah', 'Tom Walsh', 'Grace Lee'],
  it: ['Francesca Romano', 'Matteo Esposito', 'Sofia Ricci', 'Davide Galli', 'Elena Marino'],
} as const;

/** How long a step may wait while the workstation takes in the month of traffic. */
const SETTLING_MS = 60_000;

/** The approved templates the screens' server synced from the sandbox, one per category Meta bills, in the picture's language when it has one. */
async function syncedTemplates(session: Session, language: UiLanguage): Promise<Map<string, { name: string; languageCode: string }>> {
  const rows = await session.stack.t.server.database.db
    .selectFrom('message_templates')
    .select(['name', 'language', 'category'])
    .where('status', '=', 'APPROVED')
    .where('removed_at', 'is', null)
    .orderBy('name')
    .execute();
  const chosen = new Map<string, { name: string; languageCode: string }>();
  for (const row of [...rows].sort((a, b) => Number(b.language.startsWith(language)) - Number(a.language.startsWith(language)))) {
    const category = row.category.toLowerCase();
    if (!chosen.has(category)) chosen.set(category, { name: row.name, languageCode: row.language });
  }
  return chosen;
}

/**
 * Agents (new agents join the default team), and a month of their traffic on the server's business
 * numbers, up to now. The generator's sample templates are sent as the synced templates of the same
 * category, so the chart shows what Meta bills rather than templates the server never listed.
 */
async function aMonthOfTraffic(session: Session, language: UiLanguage): Promise<void> {
  const { t } = session.stack;
  const { identity, database } = t.server;
  const general = (await identity.teams.list()).teams.find((team) => team.isDefault);
  if (general === undefined) throw new Error('the screens’ server has no default team');
  const agentIds: number[] = [];
  for (const displayName of AGENTS[language]) {
    const username = `${displayName.split(' ')[0]?.toLowerCase() ?? 'agent'}.stats.${language}`;
    const created = await identity.agents.create({ username, displayName, roles: ['agent'] }, IT);
    agentIds.push(created.agent.id);
  }
  const numbers = await database.db.selectFrom('business_numbers').select('phone_number_id').execute();
  const templates = await syncedTemplates(session, language);
  const now = Date.now();
  // From the start of the UTC day 30 days ago: the traffic ends about now.
  const startsAt = Math.floor(now / DAY_MS) * DAY_MS - 29 * DAY_MS;
  const shape = { seed: language === 'en' ? 14 : 41, startsAt, days: Math.floor((now - startsAt) / DAY_MS), conversations: 900, messages: 8000 };
  const org = { teams: [{ id: general.id, agentIds }], phoneNumberIds: numbers.map((row) => row.phone_number_id) };
  const plans = planTraffic(shape, org).map((plan) => ({
    ...plan,
    messages: plan.messages.map((message) => {
      if (message.template === undefined) return message;
      const sample = SAMPLE_TEMPLATES.find((each) => each.name === message.template?.name && each.languageCode === message.template.languageCode);
      const synced = templates.get(sample?.category ?? '');
      return synced === undefined ? message : { ...message, template: synced };
    }),
  }));
  await insertConversations(database.db, plans);
}

/** The window made as tall as the dashboard, so the picture shows it whole (tiles, charts, both tables). */
async function fitTheDashboard(session: Session): Promise<void> {
  const { page } = session.app;
  const bottom = await page.locator('.analytics-screen').evaluate((screen) => {
    const element = screen as unknown as { getBoundingClientRect(): { top: number }; scrollHeight: number };
    return element.getBoundingClientRect().top + element.scrollHeight;
  });
  await page.setViewportSize({ width: 1280, height: Math.max(800, Math.ceil(bottom)) });
}

/** The sessions whose server already has the month of traffic (the two pictures share it). */
const filled = new WeakSet<Session>();

/** The month of traffic made once for the session's server, then the Analytics section open on the last 30 days. */
async function openDashboard(session: Session, language: UiLanguage): Promise<void> {
  const { app, tr } = session;
  await app.page
    .getByRole('navigation', { name: tr('inbox.sectionsLabel') })
    .getByRole('button', { name: tr('inbox.section.analytics') })
    .click({ timeout: SETTLING_MS });
  await app.page.getByRole('heading', { name: tr('analytics.title'), level: 1 }).waitFor({ timeout: SETTLING_MS });
  if (!filled.has(session)) {
    await aMonthOfTraffic(session, language);
    filled.add(session);
    // The month was written behind the open page: choosing the period again asks for the figures
    // again. The workstation is busy a while with a month of conversations, so these wait longer.
    const period = app.page.getByLabel(tr('analytics.period.label'), { exact: true });
    await period.selectOption('last7', { timeout: SETTLING_MS });
    await period.selectOption('last30', { timeout: SETTLING_MS });
  }
  await app.page.getByRole('img', { name: tr('analytics.templates.chartLabel') }).waitFor({ timeout: SETTLING_MS });
}

/** The team's figures for the last 30 days: tiles, the busiest hours, template sends, per agent and per team. */
export async function captureAnalyticsTeam(session: Session, language: UiLanguage, shot: Shot): Promise<void> {
  const { app, tr } = session;
  await openDashboard(session, language);
  const agents = app.page.getByRole('region', { name: tr('analytics.table.agentsTitle') });
  for (const name of AGENTS[language]) await agents.getByRole('rowheader', { name }).waitFor({ timeout: SETTLING_MS });
  await fitTheDashboard(session);
  await shot(session, language, 'analytics-team');
  await app.page.setViewportSize({ width: 1280, height: 800 });
  await app.page.getByRole('button', { name: tr('inbox.section.conversations'), exact: true }).click({ timeout: SETTLING_MS });
}

/** The same period narrowed to one agent: their figures alone. */
export async function captureAnalyticsAgent(session: Session, language: UiLanguage, shot: Shot): Promise<void> {
  const { app, tr } = session;
  const [agent] = AGENTS[language];
  await openDashboard(session, language);
  await app.page.getByLabel(tr('analytics.scope.label'), { exact: true }).selectOption({ label: agent }, { timeout: SETTLING_MS });
  const agents = app.page.getByRole('region', { name: tr('analytics.table.agentsTitle') });
  await agents.getByRole('rowheader', { name: AGENTS[language][1] }).waitFor({ state: 'detached', timeout: SETTLING_MS });
  await agents.getByRole('rowheader', { name: agent }).waitFor({ timeout: SETTLING_MS });
  await fitTheDashboard(session);
  await shot(session, language, 'analytics-agent');
  await app.page.setViewportSize({ width: 1280, height: 800 });
  await app.page.getByRole('button', { name: tr('inbox.section.conversations'), exact: true }).click({ timeout: SETTLING_MS });
}

/**
 * The analytics pictures that need only a signed-in admin who supervises the default team, each by
 * the screen it saves (the first of them to run makes the traffic; each can be named alone).
 */
export const ANALYTICS_CAPTURES = [
  { screen: 'analytics-team', capture: captureAnalyticsTeam },
  { screen: 'analytics-agent', capture: captureAnalyticsAgent },
] as const satisfies ReadonlyArray<{
  screen: string;
  capture: (session: Session, language: UiLanguage, shot: Shot) => Promise<void>;
}>;

/**
 * Both pictures on a workstation and server of their own (`npm run screens`' whole run): the month
 * of traffic is thousands of events on the feed, which the workstation takes in one by one; on the
 * session of the other pictures they would hold up its later events (the revocation's among them).
 */
export async function captureAnalytics(e2e: E2eEnvironment, language: UiLanguage, shot: Shot): Promise<Session> {
  const session = await e2e.open(language, { hostname: language === 'en' ? 'reception-03' : 'accoglienza-03' });
  await reachInbox(session, { username: `giulia.stats.${language}`, displayName: 'Giulia Neri', roles: ['supervisor', 'admin'] });
  for (const { capture } of ANALYTICS_CAPTURES) await capture(session, language, shot);
  return session;
}
