import { useTranslation } from 'react-i18next';
import { MAX_JUMP_PAGES } from './use-message-jump.js';
import type { JumpProgress } from './use-message-jump.js';

/** What became of a jump to a message that is not on screen yet; nothing once it is found. */
export function JumpNote({ progress }: { progress: JumpProgress | null }) {
  const { t } = useTranslation();
  if (progress === null || progress === 'found') return null;
  return (
    <p className={`jump-note jump-${progress}`} role="status">
      {progress === 'looking' ? t('jump.looking') : progress === 'too_far' ? t('jump.tooFar', { pages: MAX_JUMP_PAGES }) : t('jump.missing')}
    </p>
  );
}
