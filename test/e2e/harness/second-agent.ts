/**
 * A second agent's workstation (core, cache) on the first session's server, in a page of its own
 * beside the first one's, in English: for the tests of two agents side by side.
 */
import type { Session } from './app-driver.js';
import { translator } from './catalogue.js';
import { startWorkstation } from './client-stack.js';
import type { Workstation, WorkstationOptions } from './client-stack.js';
import { openApp } from './open-app.js';
import type { AppPage } from './open-app.js';
import type { E2eEnvironment } from '../e2e-setup.js';

export interface SecondAgent {
  readonly workstation: Workstation;
  readonly app: AppPage;
  readonly session: Session;
}

export async function openSecondAgent(e2e: E2eEnvironment, first: Session, options: WorkstationOptions): Promise<SecondAgent> {
  const { t } = first.stack;
  const workstation = await startWorkstation(t, { locale: 'en-GB', ...options });
  const app = await openApp({
    browser: e2e.browser,
    backend: workstation.core,
    rendererUrl: e2e.renderer.url,
    bridgeScript: e2e.bridgeScript,
    locale: 'en-GB',
  });
  return { workstation, app, session: { app, stack: { ...workstation, t, network: undefined }, tr: translator('en') } };
}
