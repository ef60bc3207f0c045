/**
 * The desktop app's version, which it sends on every request to the client API (a header, also on
 * the event socket's upgrade), and how versions compare: semantic versioning's precedence
 * (MAJOR.MINOR.PATCH, a pre-release sorts before its release, build metadata ignored). The server
 * refuses versions older than its configured minimum with `client_outdated` (426).
 */
import { z } from 'zod';

export const CLIENT_VERSION_HEADER = 'x-sportello-client-version';

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*)?$/;

export const AppVersion = z.string().max(64, 'a version is at most 64 characters').regex(SEMVER, 'must be a version such as 1.4.0 (semantic versioning)');

interface Parsed {
  readonly core: readonly [number, number, number];
  readonly prerelease: readonly string[];
}

function parse(version: string): Parsed {
  const match = SEMVER.exec(version);
  if (match === null) throw new Error(`not a semantic version: ${version}`);
  return { core: [Number(match[1]), Number(match[2]), Number(match[3])], prerelease: match[4] === undefined ? [] : match[4].split('.') };
}

function compareIdentifiers(a: string, b: string): number {
  const numericA = /^\d+$/.test(a);
  const numericB = /^\d+$/.test(b);
  if (numericA && numericB) return Math.sign(Number(a) - Number(b));
  // Numeric identifiers sort before alphanumeric ones; alphanumeric ones in ASCII order.
  if (numericA !== numericB) return numericA ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Negative when `a` comes before `b`, zero when they have the same precedence, positive after. */
export function compareVersions(a: string, b: string): number {
  const left = parse(a);
  const right = parse(b);
  for (let index = 0; index < 3; index += 1) {
    const difference = Math.sign((left.core[index] ?? 0) - (right.core[index] ?? 0));
    if (difference !== 0) return difference;
  }
  if (left.prerelease.length === 0 || right.prerelease.length === 0) return Math.sign(right.prerelease.length - left.prerelease.length);
  for (let index = 0; index < Math.min(left.prerelease.length, right.prerelease.length); index += 1) {
    const difference = compareIdentifiers(left.prerelease[index] ?? '', right.prerelease[index] ?? '');
    if (difference !== 0) return difference;
  }
  return Math.sign(left.prerelease.length - right.prerelease.length);
}
