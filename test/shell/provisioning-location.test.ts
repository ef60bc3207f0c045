/** Where each installation looks for IT's provisioning file (docs/desktop-client.md). */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { provisioningFilePath } from '../../main/workstation/provisioning-location.js';

describe('the provisioning file location', () => {
  it('is beside Sportello.exe on Windows', () => {
    expect(
      provisioningFilePath({
        platform: 'win32',
        executablePath: 'C:\\Program Files\\Sportello\\Sportello.exe',
        resourcesPath: 'C:\\Program Files\\Sportello\\resources',
        env: {},
      }),
    ).toBe('C:\\Program Files\\Sportello\\provisioning.json');
  });

  it('is in Contents/Resources on macOS', () => {
    expect(
      provisioningFilePath({
        platform: 'darwin',
        executablePath: '/Applications/Sportello.app/Contents/MacOS/Sportello',
        resourcesPath: '/Applications/Sportello.app/Contents/Resources',
        env: {},
      }),
    ).toBe('/Applications/Sportello.app/Contents/Resources/provisioning.json');
  });

  it('is beside the executable of a Linux package', () => {
    expect(provisioningFilePath({ platform: 'linux', executablePath: '/opt/Sportello/sportello', resourcesPath: '/opt/Sportello/resources', env: {} })).toBe(
      '/opt/Sportello/provisioning.json',
    );
  });

  it('is beside the .AppImage file, not inside its read-only mount', () => {
    expect(
      provisioningFilePath({
        platform: 'linux',
        executablePath: '/tmp/.mount_SportXYZ/sportello',
        resourcesPath: '/tmp/.mount_SportXYZ/resources',
        env: { APPIMAGE: '/opt/apps/Sportello-1.0.0.AppImage' },
      }),
    ).toBe('/opt/apps/provisioning.json');
  });

  it('is the path IT set in SPORTELLO_PROVISIONING_FILE, on any system', () => {
    expect(
      provisioningFilePath({
        platform: 'win32',
        executablePath: 'C:\\S\\Sportello.exe',
        resourcesPath: 'C:\\S\\resources',
        env: { SPORTELLO_PROVISIONING_FILE: 'D:\\it\\sportello.json' },
      }),
    ).toBe('D:\\it\\sportello.json');
    expect(
      provisioningFilePath({
        platform: 'linux',
        executablePath: '/opt/S/s',
        resourcesPath: '/opt/S/resources',
        env: { SPORTELLO_PROVISIONING_FILE: ' /etc/sportello/provisioning.json ' },
      }),
    ).toBe('/etc/sportello/provisioning.json');
    expect(
      provisioningFilePath({
        platform: 'linux',
        executablePath: '/opt/S/s',
        resourcesPath: '/opt/S/resources',
        env: { SPORTELLO_PROVISIONING_FILE: 'relative.json' },
      }),
    ).toBe(path.resolve('relative.json'));
  });

  it('ignores an empty SPORTELLO_PROVISIONING_FILE', () => {
    expect(
      provisioningFilePath({ platform: 'linux', executablePath: '/opt/S/s', resourcesPath: '/opt/S/resources', env: { SPORTELLO_PROVISIONING_FILE: '  ' } }),
    ).toBe('/opt/S/provisioning.json');
  });
});
