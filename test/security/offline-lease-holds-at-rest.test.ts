/**
 * The offline lease holds at rest: the server's cache-key share is erased once its lease has passed,
 * when the app starts and when it quits, not only when the app happens to read it; the lease end
 * lives only sealed with the share; and the lease is judged by a time that never goes back (the
 * latest of the server's times seen and the local clock, moved on by the monotonic clock while the
 * app runs), so setting the clock back does not extend it.
 */
import { describe, expect, it } from 'vitest';
import type { Workstation } from '../helpers/workstation-under-test.js';
import { CACHE_DB, filesContaining, LOCAL_SECRET_FILE, SHARE_FILE, workstationScene } from '../helpers/workstation-under-test.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const scene = workstationScene();

/** A signed-in workstation (the housekeeping tick out of the way: only start and quit judge the lease here), and its lease end. */
async function signedIn(username: string, wallOffsetMs = 0): Promise<{ ws: Workstation; leaseEndsAt: number }> {
  const server = await scene.server({ policy: { keepCacheOnLogout: true } });
  const ws = scene.install(server, { coreOptions: { housekeepingMs: 24 * HOUR } });
  ws.clocks.wallOffsetMs = wallOffsetMs;
  await ws.startSignedIn(server.t, username);
  const { leaseEndsAt } = ws.cacheSecrets().share(0);
  // The lease end is in the sealed record only: no file holds it in the clear.
  expect(filesContaining(ws.platform.userDataDir, String(leaseEndsAt))).toEqual([]);
  expect(filesContaining(ws.platform.userDataDir, 'leaseEndsAt')).toEqual([]);
  return { ws, leaseEndsAt };
}

/** Sets the workstation's wall clock to `at` (epoch ms). */
function setWallClock(ws: Workstation, at: number): void {
  ws.clocks.wallOffsetMs = at - Date.now();
}

describe('the offline lease at rest', () => {
  it('erases a share whose lease has passed when the app starts', async () => {
    const { ws, leaseEndsAt } = await signedIn('early.bird');
    await ws.stop();
    expect(ws.files()).toEqual(expect.arrayContaining([CACHE_DB, SHARE_FILE, LOCAL_SECRET_FILE]));

    setWallClock(ws, leaseEndsAt + MINUTE);
    await ws.start();

    expect(ws.state.screen).toBe('signed_out');
    expect(ws.files()).not.toContain(SHARE_FILE);
  });

  it('erases a share whose lease has passed when the app quits', async () => {
    const { ws, leaseEndsAt } = await signedIn('late.leaver');

    setWallClock(ws, leaseEndsAt + MINUTE);
    await ws.stop();

    expect(ws.files()).not.toContain(SHARE_FILE);
  });

  it('does not extend the lease when the clock is set back', async () => {
    const { ws, leaseEndsAt } = await signedIn('clock.fiddler');
    // The app last ran a minute before the lease ended…
    setWallClock(ws, leaseEndsAt - MINUTE);
    await ws.stop();
    expect(ws.files()).toContain(SHARE_FILE);

    // …then the clock is set back six hours: the share is still held (the lease has a minute left)…
    setWallClock(ws, leaseEndsAt - 6 * HOUR);
    await ws.start();
    expect(ws.files()).toContain(SHARE_FILE);

    // …and two minutes of running later it has run out, though the wall clock says five hours are left.
    ws.clocks.monotonicMs += 2 * MINUTE;
    setWallClock(ws, leaseEndsAt - 6 * HOUR + 2 * MINUTE);
    await ws.stop();
    expect(ws.files()).not.toContain(SHARE_FILE);
  });

  it('counts the server’s time: a workstation clock a day behind does not lengthen the lease', async () => {
    const { ws, leaseEndsAt } = await signedIn('slow.clock', -24 * HOUR);
    expect(leaseEndsAt).toBeGreaterThan(Date.now() + 11 * HOUR);

    // Twelve hours and a minute of running pass; the workstation's clock still says almost a day is left.
    ws.clocks.monotonicMs += 12 * HOUR + MINUTE;
    ws.clocks.wallOffsetMs += 12 * HOUR + MINUTE;
    await ws.stop();

    expect(ws.files()).not.toContain(SHARE_FILE);
  });
});
