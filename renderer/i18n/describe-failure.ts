/**
 * A failed call or a state's problem as the agent reads it: our translation of its code when we
 * have one, else the message main or the server wrote (in English, but specific).
 */
import type { TFunction } from 'i18next';

export interface Problem {
  readonly code: string;
  readonly message: string;
}

export function describeProblem(t: TFunction, problem: Problem): string {
  const key = `errors.${problem.code}`;
  const translated = t(key, { defaultValue: '' });
  return translated === '' ? problem.message : translated;
}
