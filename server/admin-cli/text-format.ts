/** Building blocks of the CLI's text for people: safe strings, times, aligned tables. */

/**
 * Hostnames, OS names and labels come from workstations and the MDM: control characters and
 * bidirectional overrides would let one rewrite the admin's terminal (fake a fingerprint line,
 * hide text), so they are shown escaped. JSON output escapes them by itself.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, (char) => `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`);
}

/** UTC, to the second: 2026-11-25T15:34:51Z; "-" for never. */
export function formatTime(ms: number | null): string {
  if (ms === null) return '-';
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Columns padded to their widest cell; cells are made printable. */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const cells = [headers, ...rows.map((row) => row.map(printable))];
  const widths = headers.map((_header, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  return cells
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** "3 devices", "1 device". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
