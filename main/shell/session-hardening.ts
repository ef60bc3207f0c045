/**
 * The renderer's session grants nothing: every permission request and check is refused (camera,
 * microphone, notifications, clipboard reads, geolocation …), device access and screen capture
 * too, and downloads are cancelled — files leave the app only through main. Spell checking
 * follows the agents' two languages.
 */
import type { Session } from 'electron';

export const SPELL_CHECKER_LANGUAGES = ['en-US', 'it-IT'];

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => callback(null));
  session.on('will-download', (event) => event.preventDefault());
  // A no-op on macOS, which uses the system's spell checker.
  session.setSpellCheckerLanguages(SPELL_CHECKER_LANGUAGES);
}
