/**
 * A readable name for the operating system, shown to IT on the pairing request and the device
 * list: "Windows 11 (10.0.22631)", "macOS 15.1", "Linux 6.1 (Debian GNU/Linux 12)".
 */
import fs from 'node:fs';

export interface OsFacts {
  /** process.platform */
  readonly platform: string;
  /** Electron's process.getSystemVersion(): the product version on macOS and Windows. */
  readonly systemVersion: string;
  /** os.release(): the kernel version. */
  readonly kernelRelease: string;
  /** The contents of /etc/os-release on Linux, null elsewhere or when unreadable. */
  readonly osRelease: string | null;
}

/** Windows 11 kept the 10.0 version number; its builds start at 22000. */
const FIRST_WINDOWS_11_BUILD = 22000;

/** KEY=value lines of os-release(5); values may be quoted. */
export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match?.[1] || match[2] === undefined) continue;
    fields[match[1]] = match[2].replace(/^(["'])(.*)\1$/, '$2').replace(/\\(["'$`\\])/g, '$1');
  }
  return fields;
}

function withoutTrailingZero(version: string): string {
  return version.replace(/^(\d+\.\d+)\.0$/, '$1');
}

function majorMinor(version: string): string {
  return /^(\d+\.\d+)/.exec(version)?.[1] ?? version;
}

function describeWindows(version: string): string {
  const [major, , build] = version.split('.').map(Number);
  if (major !== 10 || build === undefined || Number.isNaN(build)) return `Windows (${version})`;
  return `Windows ${build >= FIRST_WINDOWS_11_BUILD ? 11 : 10} (${version})`;
}

function describeLinux(kernelRelease: string, osRelease: string | null): string {
  const fields = osRelease === null ? {} : parseOsRelease(osRelease);
  const distribution = [fields.NAME, fields.VERSION_ID].filter(Boolean).join(' ') || fields.PRETTY_NAME;
  const kernel = `Linux ${majorMinor(kernelRelease)}`;
  return distribution ? `${kernel} (${distribution})` : kernel;
}

export function describeOs(facts: OsFacts): string {
  switch (facts.platform) {
    case 'win32':
      return describeWindows(facts.systemVersion);
    case 'darwin':
      return `macOS ${withoutTrailingZero(facts.systemVersion)}`;
    case 'linux':
      return describeLinux(facts.kernelRelease, facts.osRelease);
    default:
      return `${facts.platform} ${facts.kernelRelease}`;
  }
}

/** os-release(5): /etc/os-release, falling back to /usr/lib/os-release. */
export function readOsRelease(): string | null {
  for (const file of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      // try the next place
    }
  }
  return null;
}
