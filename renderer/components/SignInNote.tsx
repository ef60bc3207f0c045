/**
 * The quiet line on the screens where an agent gets in (log in, enrollment, the locked screen):
 * Sportello is entered with this workstation's QR pairing and the authenticator, never with a
 * code someone sends by SMS or in a chat, so a message asking for one is a trick (issue 13).
 */
import { useTranslation } from 'react-i18next';

export function SignInNote() {
  const { t } = useTranslation();
  return <p className="sign-in-note">{t('codeHold.signInNote')}</p>;
}
