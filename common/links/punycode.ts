/**
 * Reading a host name's punycode labels back into Unicode (RFC 3492's decoder, the `xn--`
 * labels of RFC 5891), so that a look-alike can be judged by its letters: the URL parser gives
 * hosts in ASCII only, and common/ has neither Node's url.domainToUnicode nor the DOM.
 */
const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 128;
const MAX_INT = 0x7fffffff;
const ACE_PREFIX = 'xn--';

function adapt(delta: number, points: number, first: boolean): number {
  let scaled = first ? Math.floor(delta / DAMP) : delta >> 1;
  scaled += Math.floor(scaled / points);
  let k = 0;
  while (scaled > ((BASE - T_MIN) * T_MAX) >> 1) {
    scaled = Math.floor(scaled / (BASE - T_MIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - T_MIN + 1) * scaled) / (scaled + SKEW));
}

function digitOf(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x16;
  if (code >= 0x41 && code <= 0x5a) return code - 0x41;
  if (code >= 0x61 && code <= 0x7a) return code - 0x61;
  return BASE;
}

/** The Unicode a punycode string (without `xn--`) stands for, or undefined when it is not valid punycode. */
export function decodePunycode(input: string): string | undefined {
  const delimiter = input.lastIndexOf('-');
  const points: number[] = [];
  for (let at = 0; at < Math.max(delimiter, 0); at += 1) {
    const code = input.charCodeAt(at);
    if (code >= 0x80) return undefined;
    points.push(code);
  }
  let [n, bias, i] = [INITIAL_N, INITIAL_BIAS, 0];
  for (let at = delimiter > 0 ? delimiter + 1 : 0; at < input.length;) {
    const before = i;
    for (let weight = 1, k = BASE; ; k += BASE) {
      if (at >= input.length) return undefined;
      const digit = digitOf(input.charCodeAt(at++));
      if (digit >= BASE || digit > Math.floor((MAX_INT - i) / weight)) return undefined;
      i += digit * weight;
      const threshold = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
      if (digit < threshold) break;
      if (weight > Math.floor(MAX_INT / (BASE - threshold))) return undefined;
      weight *= BASE - threshold;
    }
    const length = points.length + 1;
    bias = adapt(i - before, length, before === 0);
    n += Math.floor(i / length);
    if (n > 0x10ffff) return undefined;
    i %= length;
    points.splice(i, 0, n);
    i += 1;
  }
  return String.fromCodePoint(...points);
}

/** The host name with each `xn--` label in Unicode; a label that does not decode stays as it is. */
export function hostnameToUnicode(hostname: string): string {
  return hostname
    .split('.')
    .map((label) => (label.toLowerCase().startsWith(ACE_PREFIX) ? (decodePunycode(label.slice(ACE_PREFIX.length)) ?? label) : label))
    .join('.');
}

export function hasPunycodeLabel(hostname: string): boolean {
  return hostname.split('.').some((label) => label.toLowerCase().startsWith(ACE_PREFIX));
}
