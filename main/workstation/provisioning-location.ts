/**
 * Where the app looks for the provisioning file IT deploys (docs/desktop-client.md): the path in
 * SPORTELLO_PROVISIONING_FILE when set; otherwise beside the executable on Windows and Linux
 * (beside the .AppImage file for an AppImage, whose executable sits in a read-only mount), and in
 * the bundle's Contents/Resources on macOS.
 */
import path from 'node:path';

export const PROVISIONING_FILE_NAME = 'provisioning.json';
export const PROVISIONING_FILE_ENV = 'SPORTELLO_PROVISIONING_FILE';

export interface InstallLayout {
  readonly platform: string;
  /** app.getPath('exe') */
  readonly executablePath: string;
  /** process.resourcesPath: Contents/Resources on macOS */
  readonly resourcesPath: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

function installDirectory(layout: InstallLayout, paths: path.PlatformPath): string {
  if (layout.platform === 'darwin') return layout.resourcesPath;
  const appImage = layout.platform === 'linux' ? layout.env.APPIMAGE?.trim() : undefined;
  return paths.dirname(appImage || layout.executablePath);
}

export function provisioningFilePath(layout: InstallLayout): string {
  const paths = layout.platform === 'win32' ? path.win32 : path.posix;
  const fromEnv = layout.env[PROVISIONING_FILE_ENV]?.trim();
  if (fromEnv) return paths.isAbsolute(fromEnv) ? fromEnv : path.resolve(fromEnv);
  return paths.join(installDirectory(layout, paths), PROVISIONING_FILE_NAME);
}
