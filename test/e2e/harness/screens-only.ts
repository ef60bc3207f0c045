/**
 * SCREENS_ONLY: the screens `npm run screens` is to capture, by name without the language
 * (`SCREENS_ONLY=conversation-flagged-link,composer-code-held`), in English and Italian; unset or
 * empty, every screen. Only the screens that can be reached alone may be named (the safety ones,
 * safety-screens.ts): the others follow from the ones before them. A name that is not one of those
 * is refused with the list, before anything starts.
 */
export class ScreensOnlyInvalid extends Error {}

export function screensOnly(env: NodeJS.ProcessEnv, alone: readonly string[]): ReadonlySet<string> | undefined {
  const chosen = env.SCREENS_ONLY?.trim();
  if (chosen === undefined || chosen === '') return undefined;
  const names = chosen.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !alone.includes(name));
  if (unknown.length > 0) {
    throw new ScreensOnlyInvalid(
      `SCREENS_ONLY names ${unknown.map((name) => `"${name}"`).join(', ')}, which cannot be captured alone. Name one or more of, separated by commas: ${alone.join(', ')}.`,
    );
  }
  return new Set(names);
}
