/** The pacing and limit primitives the dispatcher and the stand-in rely on. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judgeGraphFailure, retryDelayMs } from '../../server/cloud-api/graph-errors.js';
import type { GraphFailure } from '../../server/cloud-api/graph-errors.js';
import { SendPacer } from '../../server/sending/send-pacer.js';
import { SlidingWindowLimiter } from '../../server/sending/sliding-window-limiter.js';

const failure = (partial: Partial<GraphFailure>): GraphFailure => ({
  metaCode: undefined,
  subcode: undefined,
  httpStatus: 400,
  title: undefined,
  message: undefined,
  details: undefined,
  fbtraceId: undefined,
  ...partial,
});

describe('SlidingWindowLimiter', () => {
  it('never lets more than the limit through in any window, whatever the request times', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 300 }),
        (limit, windowMs, gaps) => {
          const limiter = new SlidingWindowLimiter(limit, windowMs);
          const taken: number[] = [];
          let now = 0;
          for (const gap of gaps) {
            now += gap;
            const wait = limiter.waitMs(now);
            if (limiter.tryTake(now)) {
              expect(wait).toBe(0);
              taken.push(now);
            } else {
              expect(wait).toBeGreaterThan(0);
            }
          }
          for (let i = limit; i < taken.length; i += 1) expect(taken[i]! - taken[i - limit]!).toBeGreaterThanOrEqual(windowMs);
        },
      ),
    );
  });

  it('says exactly when the next event fits, and forgets a full window after a 130429-style fill', () => {
    const limiter = new SlidingWindowLimiter(2, 1000);
    expect(limiter.tryTake(0)).toBe(true);
    expect(limiter.tryTake(10)).toBe(true);
    expect(limiter.waitMs(500)).toBe(500);
    expect(limiter.tryTake(999)).toBe(false);
    expect(limiter.tryTake(1000)).toBe(true);
    limiter.fill(2000);
    expect(limiter.waitMs(2000)).toBe(1000);
    expect(limiter.isIdle(2999)).toBe(false);
    expect(limiter.isIdle(3000)).toBe(true);
    expect(() => new SlidingWindowLimiter(0, 1000)).toThrow(RangeError);
  });
});

describe('SendPacer', () => {
  it('spaces events at least one interval apart, and pauses on demand', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 200, noNaN: true }), fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }), (interval, gaps) => {
        const pacer = new SendPacer(interval);
        let now = 0;
        let last = Number.NEGATIVE_INFINITY;
        for (const gap of gaps) {
          now += gap;
          if (pacer.tryTake(now)) {
            expect(now - last).toBeGreaterThanOrEqual(interval - 1e-9);
            last = now;
          }
        }
      }),
    );
    const pacer = new SendPacer(10);
    pacer.pause(0, 1000);
    expect(pacer.waitMs(0)).toBe(1000);
    expect(pacer.tryTake(999)).toBe(false);
    expect(pacer.tryTake(1000)).toBe(true);
  });
});

describe('Graph error verdicts', () => {
  it.each([
    [130429, true],
    [131000, true],
    [131016, true],
    [131056, true],
    [131057, true],
    [4, true],
    [80007, true],
    [131047, false],
    [131026, false],
    [131051, false],
    [132000, false],
    [132001, false],
    [132999, false],
    [190, false],
    [100, false],
    [131048, false],
    [131050, false],
    [368, false],
    [250, false],
  ])('code %i: retry %s', (metaCode, retry) => {
    const verdict = judgeGraphFailure(failure({ metaCode }));
    expect(verdict.retry).toBe(retry);
    expect(verdict.code).toBe(`meta_${metaCode}`);
    expect(verdict.reason.length).toBeGreaterThan(10);
  });

  it('flags 131047 as needing a template and 190 as needing re-authorisation', () => {
    expect(judgeGraphFailure(failure({ metaCode: 131047 }))).toMatchObject({ templateRequired: true, reauthorize: false });
    expect(judgeGraphFailure(failure({ metaCode: 190, httpStatus: 401 }))).toMatchObject({ reauthorize: true, retry: false });
  });

  it('retries network failures and server-side HTTP errors, not client errors', () => {
    expect(judgeGraphFailure(failure({ httpStatus: undefined }))).toMatchObject({ code: 'network', retry: true });
    expect(judgeGraphFailure(failure({ httpStatus: 503 }))).toMatchObject({ code: 'http_503', retry: true });
    expect(judgeGraphFailure(failure({ httpStatus: 429 }))).toMatchObject({ retry: true, minRetryDelayMs: 1000 });
    expect(judgeGraphFailure(failure({ httpStatus: 400 }))).toMatchObject({ code: 'http_400', retry: false });
    expect(judgeGraphFailure(failure({ metaCode: 139998, httpStatus: 500 }))).toMatchObject({ retry: true });
  });

  it('backs off exponentially with jitter, within bounds and never under the code’s minimum', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (attempt, min, random) => {
          const delay = retryDelayMs(attempt, { minRetryDelayMs: min }, 500, 300_000, () => random);
          const ceiling = Math.min(300_000, 500 * 2 ** (attempt - 1));
          expect(delay).toBeGreaterThanOrEqual(Math.max(min, Math.floor(ceiling / 2)));
          expect(delay).toBeLessThanOrEqual(Math.max(min, ceiling));
        },
      ),
    );
  });
});
