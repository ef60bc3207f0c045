import { useTranslation } from 'react-i18next';
import { describeProblem } from '../i18n/describe-failure.js';
import type { Problem } from '../i18n/describe-failure.js';

/** A failed call or a state's problem, announced to screen readers, next to where it happened. */
export function ErrorNotice({ problem }: { problem: Problem | null | undefined }) {
  const { t } = useTranslation();
  if (problem == null) return null;
  return (
    <p className="error-notice" role="alert" data-code={problem.code}>
      {describeProblem(t, problem)}
    </p>
  );
}
