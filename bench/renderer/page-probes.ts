/**
 * What the renderer bench runs inside the page: a long-task recorder (PerformanceObserver
 * 'longtask', Chromium's tasks over 50 ms), and the timed acts (signing in until the first rows
 * are painted, scrolling a list frame by frame, one "Load earlier"). Times are the page's own
 * performance.now(), so the trip between the bench and the browser is not counted. Compiled
 * without the DOM's types (as test/e2e/harness/page-bridge.ts is), hence the few typed by hand.
 */

export interface LongTask {
  readonly start: number;
  readonly duration: number;
}

/** A stretch of time the page measured, in its own performance.now(). */
export interface PageSpan {
  readonly start: number;
  readonly end: number;
}

export interface ScrollRun extends PageSpan {
  readonly frames: number;
  /** The longest time between two animation frames. */
  readonly longestFrameMs: number;
}

interface ProbeElement {
  scrollTop: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
  readonly disabled?: boolean;
  click(): void;
  querySelector(selector: string): ProbeElement | null;
  querySelectorAll(selector: string): ArrayLike<ProbeElement>;
  getAttribute(name: string): string | null;
}

interface ProbeObserver {
  observe(target: unknown, options?: Record<string, unknown>): void;
  disconnect(): void;
}

interface ProbeWindow {
  readonly document: ProbeElement & { readonly body: ProbeElement };
  requestAnimationFrame(callback: (time: number) => void): number;
  readonly PerformanceObserver: new (callback: (list: { getEntries(): Array<{ startTime: number; duration: number }> }) => void) => ProbeObserver;
  readonly MutationObserver: new (callback: () => void) => ProbeObserver;
  __benchTasks?: LongTask[];
}

/** Starts recording long tasks; once per page. */
export function installLongTaskProbe(): void {
  const page = globalThis as unknown as ProbeWindow;
  if (page.__benchTasks !== undefined) return;
  const tasks: LongTask[] = [];
  page.__benchTasks = tasks;
  new page.PerformanceObserver((list) => {
    for (const entry of list.getEntries()) tasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
}

/**
 * Keeps the page's thread busy for `ms` in a task of its own (a timer's: the bench's own evaluate
 * calls are not tasks the page counts), resolving after it: the bench checks the probe sees it.
 */
export function busyFor(ms: number): Promise<void> {
  return new Promise((resolve) =>
    setTimeout(() => {
      const until = performance.now() + ms;
      while (performance.now() < until) {
        // busy on purpose
      }
      resolve();
    }, 0),
  );
}

export function recordedLongTasks(): LongTask[] {
  return (globalThis as unknown as ProbeWindow).__benchTasks ?? [];
}

export function pageNow(): number {
  return performance.now();
}

/**
 * Submits the sign-in form and resolves, in ms since the click, once the first conversation row is
 * in the DOM and a frame with it has been painted (the task after the frame's callbacks).
 */
export function signInUntilFirstRows(submitSelector: string): Promise<number> {
  const page = globalThis as unknown as ProbeWindow;
  return new Promise((resolve, reject) => {
    const submit = page.document.querySelector(submitSelector);
    if (submit === null) {
      reject(new Error(`no ${submitSelector} to sign in with`));
      return;
    }
    let start = 0;
    const observer = new page.MutationObserver(() => {
      if (page.document.querySelector('.conversation-item') === null) return;
      observer.disconnect();
      page.requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
    });
    observer.observe(page.document.body, { childList: true, subtree: true });
    start = performance.now();
    submit.click();
  });
}

export interface ScrollPlan {
  readonly scrollerSelector: string;
  /** Pixels per frame: positive scrolls down, negative up. */
  readonly step: number;
  /** Down to the end only once the last item says the list holds this many (every page loaded). */
  readonly expectedSetSize?: number;
  readonly timeoutMs: number;
}

/** Scrolls one step per animation frame until the end, timing the frames. */
export function scrollThrough(plan: ScrollPlan): Promise<ScrollRun> {
  const page = globalThis as unknown as ProbeWindow;
  return new Promise((resolve, reject) => {
    const scroller = page.document.querySelector(plan.scrollerSelector);
    if (scroller === null) {
      reject(new Error(`no ${plan.scrollerSelector} to scroll`));
      return;
    }
    const start = performance.now();
    let previous: number | null = null;
    let longestFrameMs = 0;
    let frames = 0;
    const complete = () => {
      if (plan.step < 0) return scroller.scrollTop <= 0;
      if (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 1) return false;
      if (plan.expectedSetSize === undefined) return true;
      const items = scroller.querySelectorAll('[aria-setsize]');
      return items[items.length - 1]?.getAttribute('aria-setsize') === String(plan.expectedSetSize);
    };
    const frame = (time: number) => {
      if (previous !== null) longestFrameMs = Math.max(longestFrameMs, time - previous);
      previous = time;
      frames += 1;
      if (complete()) {
        resolve({ start, end: performance.now(), frames, longestFrameMs });
        return;
      }
      if (performance.now() - start > plan.timeoutMs) {
        reject(
          new Error(`scrolling ${plan.scrollerSelector} did not reach its end in ${plan.timeoutMs} ms (at ${scroller.scrollTop} of ${scroller.scrollHeight})`),
        );
        return;
      }
      scroller.scrollTop += plan.step;
      page.requestAnimationFrame(frame);
    };
    page.requestAnimationFrame(frame);
  });
}

interface PageOfMessages {
  readonly ok: boolean;
  readonly value?: { readonly nextCursor: string | null };
}

/**
 * The raw baseline of "Load earlier": the same window.sportello.listMessages calls the log makes
 * (pages of 50 with the server's cursor, oldest last), timed from the page with nothing rendered.
 * Returns the time of each page after the first.
 */
export async function timeMessagePages(request: { conversationId: number; limit: number }): Promise<number[]> {
  const api = (
    globalThis as unknown as { sportello: { listMessages(request: { conversationId: number; limit: number; cursor?: string }): Promise<PageOfMessages> } }
  ).sportello;
  const times: number[] = [];
  let cursor: string | undefined;
  for (;;) {
    const start = performance.now();
    const page = await api.listMessages({ ...request, ...(cursor === undefined ? {} : { cursor }) });
    if (cursor !== undefined) times.push(performance.now() - start);
    const next = page.ok ? page.value?.nextCursor : null;
    if (next == null) return times;
    cursor = next;
  }
}

/**
 * Scrolls the log to its top, clicks "Load earlier" and resolves once the button has said it is
 * loading and then is enabled again (or gone: nothing earlier is left) and that frame is painted.
 * Null when there is no button.
 */
export function loadEarlierOnce(scrollerSelector: string): Promise<PageSpan | null> {
  const page = globalThis as unknown as ProbeWindow;
  return new Promise((resolve) => {
    const scroller = page.document.querySelector(scrollerSelector);
    const button = () => scroller?.querySelector('.load-earlier button') ?? null;
    if (scroller === null || button() === null) {
      resolve(null);
      return;
    }
    scroller.scrollTop = 0;
    // A frame for the scroll to land, so what it brings on screen is not counted as the load.
    page.requestAnimationFrame(() =>
      setTimeout(() => {
        let sawLoading = false;
        let start = 0;
        const observer = new page.MutationObserver(() => {
          const now = button();
          if (now?.disabled === true) sawLoading = true;
          if (!sawLoading || now?.disabled === true) return;
          observer.disconnect();
          page.requestAnimationFrame(() => setTimeout(() => resolve({ start, end: performance.now() }), 0));
        });
        observer.observe(scroller, { childList: true, subtree: true, attributes: true, characterData: true });
        start = performance.now();
        button()?.click();
        if (button()?.disabled === true) sawLoading = true;
      }, 0),
    );
  });
}
