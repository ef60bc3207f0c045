/** What IT reads as the workstation's OS on the pairing request and the device list. */
import { describe, expect, it } from 'vitest';
import { describeOs, parseOsRelease } from '../../main/workstation/os-description.js';

const DEBIAN = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
ID=debian
`;

describe('the OS description', () => {
  it.each([
    [{ platform: 'win32', systemVersion: '10.0.22631', kernelRelease: '10.0.22631', osRelease: null }, 'Windows 11 (10.0.22631)'],
    [{ platform: 'win32', systemVersion: '10.0.19045', kernelRelease: '10.0.19045', osRelease: null }, 'Windows 10 (10.0.19045)'],
    [{ platform: 'win32', systemVersion: '6.3.9600', kernelRelease: '6.3.9600', osRelease: null }, 'Windows (6.3.9600)'],
    [{ platform: 'darwin', systemVersion: '15.1.0', kernelRelease: '24.1.0', osRelease: null }, 'macOS 15.1'],
    [{ platform: 'darwin', systemVersion: '14.7.1', kernelRelease: '23.6.0', osRelease: null }, 'macOS 14.7.1'],
    [{ platform: 'linux', systemVersion: '6.1.0-27-amd64', kernelRelease: '6.1.0-27-amd64', osRelease: DEBIAN }, 'Linux 6.1 (Debian GNU/Linux 12)'],
    [
      { platform: 'linux', systemVersion: '6.8.0', kernelRelease: '6.8.0-45-generic', osRelease: 'NAME="Ubuntu"\nVERSION_ID="24.04"\n' },
      'Linux 6.8 (Ubuntu 24.04)',
    ],
    [
      { platform: 'linux', systemVersion: '6.9.1', kernelRelease: '6.9.1-arch1', osRelease: 'PRETTY_NAME="Arch Linux"\nNAME="Arch Linux"\n' },
      'Linux 6.9 (Arch Linux)',
    ],
    [{ platform: 'linux', systemVersion: '6.1.0', kernelRelease: '6.1.0', osRelease: null }, 'Linux 6.1'],
    [{ platform: 'freebsd', systemVersion: '14.1', kernelRelease: '14.1-RELEASE', osRelease: null }, 'freebsd 14.1-RELEASE'],
  ])('describes %j as %s', (facts, expected) => {
    expect(describeOs(facts)).toBe(expected);
  });

  it('reads os-release fields, quoted or not, and skips comments and blank lines', () => {
    expect(parseOsRelease(`# comment\n\nID=fedora\nNAME='Fedora Linux'\nVERSION_ID=40\nPRETTY_NAME="Say \\"hi\\""\n`)).toEqual({
      ID: 'fedora',
      NAME: 'Fedora Linux',
      VERSION_ID: '40',
      PRETTY_NAME: 'Say "hi"',
    });
  });
});
