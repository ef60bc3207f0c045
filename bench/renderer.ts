/**
 * `npm run bench:renderer`: the built renderer in Debian's Chromium (headless, through
 * playwright-core) against the real stack of the end-to-end tests (test/e2e/harness: an inbox
 * server with its sandbox over TLS, the real main-process core, window.sportello forwarded to it).
 * The server's store holds 10,000 conversations, one of them 2,000 messages long (seeded straight
 * into the store: bench/renderer/seed-inbox.ts). A supervisor signs in on a fresh workstation and
 * the bench measures, with the page's own clock and a PerformanceObserver for 'longtask' (tasks
 * over 50 ms):
 *   - first rows: from the sign-in click until the first conversation rows are painted;
 *   - scrolling the whole list, frame by frame, down to its 10,000th conversation (pages load on the way);
 *   - "Load earlier" in the long conversation until all of it is there: each click until its messages are painted,
 *     after the raw baseline: the same listMessages pages asked for from the page with nothing rendered (a first
 *     pass brings them into the workstation's cache, so the timed one and the clicks take the same path and
 *     differ by the rendering);
 *   - scrolling the 2,000 messages from the top to the bottom and back;
 *   - 65 idle seconds with the long conversation open (two of the 30-second clock ticks).
 *
 * Options (flag or environment variable):
 *   --conversations  BENCH_CONVERSATIONS  (default 10000)
 *   --messages       BENCH_MESSAGES       (default 2000)
 *   --idle-seconds   BENCH_IDLE_SECONDS   (default 65)
 *
 * The last line printed is one JSON object:
 * {"bench":"renderer","first_rows_ms":…,"list_scroll_long_tasks":…,"thread_scroll_long_tasks":…,"load_earlier_ms":…,"idle_long_tasks":…,"longest_task_ms":…,
 *  "list_longest_frame_ms":…,"thread_longest_frame_ms":…,"load_earlier_longest_task_ms":…,"load_earlier_ipc_ms":…,"load_avg_1m":…}
 * load_earlier_ms is the median over the last quarter of the clicks (the conversation at its longest),
 * load_earlier_ipc_ms the same for the raw calls (what a click costs before the renderer does anything);
 * longest_task_ms the longest task while scrolling or idle.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { AGENT_PASSWORD, conversationRow, reachInbox, waitForHeading } from '../test/e2e/harness/app-driver.js';
import type { Session } from '../test/e2e/harness/app-driver.js';
import { startE2e } from '../test/e2e/e2e-setup.js';
import { positiveCount } from './bench-option.js';
import {
  busyFor,
  installLongTaskProbe,
  loadEarlierOnce,
  pageNow,
  recordedLongTasks,
  scrollThrough,
  signInUntilFirstRows,
  timeMessagePages,
} from './renderer/page-probes.js';
import type { LongTask, PageSpan, ScrollRun } from './renderer/page-probes.js';
import { seedInbox } from './renderer/seed-inbox.js';

const { values } = parseArgs({
  options: { conversations: { type: 'string' }, messages: { type: 'string' }, 'idle-seconds': { type: 'string' } },
  strict: true,
});
const CONVERSATIONS = positiveCount(values.conversations, 'BENCH_CONVERSATIONS', 10_000);
const MESSAGES = positiveCount(values.messages, 'BENCH_MESSAGES', 2000);
const IDLE_SECONDS = positiveCount(values['idle-seconds'], 'BENCH_IDLE_SECONDS', 65);
/** Pixels per frame: a quick flick of the wheel, some 50,000 px a second at 60 frames a second. */
const SCROLL_STEP = 800;
const USERNAME = 'irene';

const median = (numbers: readonly number[]): number => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? 0 : sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const round = (ms: number) => Math.round(ms * 10) / 10;

/** The long tasks that overlap a span; read after a moment, since the observer reports them after they end. */
async function longTasksIn(page: Page, span: PageSpan): Promise<LongTask[]> {
  await page.waitForTimeout(200);
  const tasks = await page.evaluate(recordedLongTasks);
  return tasks.filter((task) => task.start < span.end && task.start + task.duration > span.start);
}

const longest = (tasks: readonly LongTask[]) => tasks.reduce((most, task) => Math.max(most, task.duration), 0);
const describeTasks = (tasks: readonly LongTask[]) => (tasks.length === 0 ? 'no long task' : `${tasks.length} long tasks, longest ${round(longest(tasks))} ms`);

/** Signs out (the cache goes with the session) and back in, timing the first rows. */
async function timeSignIn(session: Session, phone: Awaited<ReturnType<typeof reachInbox>>): Promise<number> {
  const { page } = session.app;
  const { tr } = session;
  await page.getByRole('button', { name: tr('inbox.signOut') }).click();
  await waitForHeading(session, tr('login.title'));
  await page.getByLabel(tr('login.username')).fill(USERNAME);
  await page.getByLabel(tr('login.password'), { exact: true }).fill(AGENT_PASSWORD);
  await page.getByLabel(tr('secondFactor.totpLabel')).fill(await phone.nextCode());
  return page.evaluate(signInUntilFirstRows, `form[aria-label="${tr('login.title')}"] button[type="submit"]`);
}

interface LoadEarlierRun {
  readonly clicks: number[];
  readonly longestTaskMs: number;
}

async function loadAllEarlier(page: Page): Promise<LoadEarlierRun> {
  const clicks: number[] = [];
  let longestTaskMs = 0;
  for (;;) {
    const span = await page.evaluate(loadEarlierOnce, '.message-scroller');
    if (span === null) break;
    clicks.push(span.end - span.start);
    longestTaskMs = Math.max(longestTaskMs, longest(await longTasksIn(page, span)));
  }
  return { clicks, longestTaskMs };
}

/** A task the bench makes itself must be seen, or every "no long task" below would mean nothing. */
async function checkTheProbe(page: Page): Promise<void> {
  const start = await page.evaluate(pageNow);
  await page.evaluate(busyFor, 80);
  const seen = await longTasksIn(page, { start, end: await page.evaluate(pageNow) });
  if (seen.length !== 1 || longest(seen) < 80) throw new Error(`the long-task probe saw ${describeTasks(seen)} for one task of 80 ms`);
}

async function scroll(page: Page, scrollerSelector: string, step: number, expectedSetSize?: number): Promise<{ run: ScrollRun; tasks: LongTask[] }> {
  const run = await page.evaluate(scrollThrough, { scrollerSelector, step, timeoutMs: 240_000, ...(expectedSetSize === undefined ? {} : { expectedSetSize }) });
  return { run, tasks: await longTasksIn(page, run) };
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg()[0] ?? 0;
  console.log(
    `renderer bench: ${CONVERSATIONS} conversations, one of ${MESSAGES} messages; load average ${os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')} on ${os.cpus().length} cores`,
  );
  const e2e = await startE2e();
  try {
    // Replies and events reach the page as tasks of their own, as over Electron's IPC, so the long-task timing sees the work they set off.
    const session = await e2e.open('en', { arrivalsAsTasks: true });
    const { page } = session.app;
    const seedStarted = Date.now();
    const seeded = await seedInbox(session.stack.t, { conversations: CONVERSATIONS, longMessages: MESSAGES });
    console.log(`  seeded the store in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);
    const phone = await reachInbox(session, { username: USERNAME, displayName: 'Irene Costa', roles: ['supervisor'] });
    // tsx names the functions it compiles with a helper of its own, which the page does not have.
    await page.evaluate('globalThis.__name ??= (target) => target');
    await page.evaluate(installLongTaskProbe);
    await checkTheProbe(page);

    const firstRowsMs = await timeSignIn(session, phone);
    console.log(`  first rows painted ${round(firstRowsMs)} ms after the sign-in click`);

    await conversationRow(session, seeded.longCustomerName).waitFor();
    const list = await scroll(page, '.conversation-scroller', SCROLL_STEP, CONVERSATIONS);
    console.log(
      `  list: ${CONVERSATIONS} conversations scrolled in ${round((list.run.end - list.run.start) / 1000)} s, ${list.run.frames} frames, longest frame ${round(list.run.longestFrameMs)} ms; ${describeTasks(list.tasks)}`,
    );

    await page.locator('.conversation-scroller').evaluate((element: { scrollTop: number }) => {
      element.scrollTop = 0;
    });
    await conversationRow(session, seeded.longCustomerName).click();
    const log = page.getByRole('log');
    await log.getByText(seeded.longLastText, { exact: true }).waitFor();
    // The raw baseline first: the same pages asked for by the page alone, twice. The first pass
    // brings them into the workstation's cache, so the second and the clicks take the same path
    // and differ by the rendering.
    const pages = { conversationId: seeded.longConversationId, limit: 50 };
    await page.evaluate(timeMessagePages, pages);
    const ipc = await page.evaluate(timeMessagePages, pages);
    const loadEarlierIpcMs = median(ipc.slice(-Math.max(1, Math.floor(ipc.length / 4))));
    const earlier = await loadAllEarlier(page);
    const lastQuarter = earlier.clicks.slice(-Math.max(1, Math.floor(earlier.clicks.length / 4)));
    const loadEarlierMs = median(lastQuarter);
    console.log(
      `  load earlier: ${earlier.clicks.length} clicks; first ${round(earlier.clicks[0] ?? 0)} ms, median ${round(median(earlier.clicks))} ms, last ${round(earlier.clicks.at(-1) ?? 0)} ms, median of the last ${lastQuarter.length} ${round(loadEarlierMs)} ms; longest task ${round(earlier.longestTaskMs)} ms`,
    );
    console.log(
      `  the same pages asked for by the page alone (the raw baseline): median of the last ${Math.max(1, Math.floor(ipc.length / 4))} ${round(loadEarlierIpcMs)} ms`,
    );

    const down = await scroll(page, '.message-scroller', SCROLL_STEP);
    const up = await scroll(page, '.message-scroller', -SCROLL_STEP);
    await log.getByText(seeded.longFirstText, { exact: true }).waitFor();
    const threadTasks = [...down.tasks, ...up.tasks];
    const threadLongestFrame = Math.max(down.run.longestFrameMs, up.run.longestFrameMs);
    console.log(
      `  thread: ${MESSAGES} messages scrolled down and up in ${round((down.run.end - down.run.start + up.run.end - up.run.start) / 1000)} s, longest frame ${round(threadLongestFrame)} ms; ${describeTasks(threadTasks)}`,
    );

    await page.locator('.message-scroller').evaluate((element: { scrollTop: number; scrollHeight: number }) => {
      element.scrollTop = element.scrollHeight;
    });
    await log.getByText(seeded.longLastText, { exact: true }).waitFor();
    const idleStart = await page.evaluate(pageNow);
    await page.waitForTimeout(IDLE_SECONDS * 1000);
    const idleTasks = await longTasksIn(page, { start: idleStart, end: await page.evaluate(pageNow) });
    console.log(`  idle: ${IDLE_SECONDS} s with the long conversation open; ${describeTasks(idleTasks)}`);

    if (session.app.complaints.length > 0) throw new Error(`the page complained:\n${session.app.complaints.join('\n')}`);
    const loadAfter = os.loadavg()[0] ?? 0;
    console.log(
      `  load average after ${os
        .loadavg()
        .map((load) => load.toFixed(2))
        .join(' ')}`,
    );
    console.log(
      JSON.stringify({
        bench: 'renderer',
        first_rows_ms: round(firstRowsMs),
        list_scroll_long_tasks: list.tasks.length,
        thread_scroll_long_tasks: threadTasks.length,
        load_earlier_ms: round(loadEarlierMs),
        idle_long_tasks: idleTasks.length,
        longest_task_ms: round(longest([...list.tasks, ...threadTasks, ...idleTasks])),
        list_longest_frame_ms: round(list.run.longestFrameMs),
        thread_longest_frame_ms: round(threadLongestFrame),
        load_earlier_longest_task_ms: round(earlier.longestTaskMs),
        load_earlier_ipc_ms: round(loadEarlierIpcMs),
        load_avg_1m: round(Math.max(loadBefore, loadAfter)),
      }),
    );
  } finally {
    await e2e.close();
  }
}

await main();
