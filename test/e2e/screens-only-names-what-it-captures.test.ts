/**
 * SCREENS_ONLY (`npm run screens` capturing only some screens): unset or empty means every
 * screen; names are trimmed; a name that cannot be captured alone, or an empty one between
 * commas, is refused before anything starts, with the names that can be.
 */
import { describe, expect, it } from 'vitest';
import { screensOnly, ScreensOnlyInvalid } from './harness/screens-only.js';
import { SAFETY_CAPTURES } from './safety-screens.js';

const ALONE = SAFETY_CAPTURES.map((capture) => capture.screen);

describe('SCREENS_ONLY', () => {
  it('means every screen when unset or empty', () => {
    expect(screensOnly({}, ALONE)).toBeUndefined();
    expect(screensOnly({ SCREENS_ONLY: '  ' }, ALONE)).toBeUndefined();
  });

  it('names the screens to capture, the new safety ones among them', () => {
    expect(screensOnly({ SCREENS_ONLY: 'conversation-flagged-link, composer-code-held' }, ALONE)).toEqual(
      new Set(['conversation-flagged-link', 'composer-code-held']),
    );
  });

  it('refuses a screen that cannot be captured alone, a language prefix and an empty name, listing what can', () => {
    for (const value of ['conversation', 'en-composer-code-held', 'composer-code-held,,admin-safety']) {
      expect(() => screensOnly({ SCREENS_ONLY: value }, ALONE)).toThrow(ScreensOnlyInvalid);
    }
    expect(() => screensOnly({ SCREENS_ONLY: 'inbox' }, ALONE)).toThrow(
      'SCREENS_ONLY names "inbox", which cannot be captured alone. Name one or more of, separated by commas: conversation-card-hidden, conversation-code-warning, conversation-flagged-link, composer-code-held, conversation-card-refused-payment-offer, composer-personal-data-purpose, admin-safety.',
    );
  });
});
