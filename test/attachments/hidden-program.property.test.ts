/**
 * However deep a program, installer, disk image, shortcut or macro document is hidden in ZIPs
 * (up to the bound of nesting), whatever it is called, whatever sits next to it and however the
 * archives are compressed, the safety rule finds it and names where it was; and past the bound
 * the archive is refused as too deep, never let through.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INSPECTION_LIMITS } from '../../common/attachments/file-inspection.js';
import type { FileSafetyPolicy } from '../../common/attachments/file-safety.js';
import { checkFileSafety } from '../../common/attachments/file-safety.js';
import * as archive from '../helpers/archive-samples.js';
import * as sample from '../helpers/file-samples.js';

const MAX_DEPTH = DEFAULT_INSPECTION_LIMITS.maxDepth;

/** Something dangerous, by its bytes (under a harmless name) or by its name alone. */
const hidden = fc.oneof(
  fc
    .constantFrom(
      { bytes: () => sample.programs.windows(), found: 'attachment_is_program' },
      { bytes: () => sample.programs.linux(), found: 'attachment_is_program' },
      { bytes: () => sample.programs.macos(), found: 'attachment_is_program' },
      { bytes: () => sample.shellScript(), found: 'attachment_is_program' },
      { bytes: () => sample.compoundFile(sample.CLASS_IDS.installer, ['x']), found: 'attachment_is_program' },
      { bytes: () => archive.iso(), found: 'attachment_is_disk_image' },
      { bytes: () => archive.vhd(), found: 'attachment_is_disk_image' },
      { bytes: () => archive.lnk(), found: 'attachment_is_shortcut' },
      // A ZIP itself: one level of the bound is its own.
      { bytes: () => archive.docx({ 'word/vbaProject.bin': archive.vbaProject() }), found: 'attachment_has_macros', zip: true },
    )
    .chain((item) => fc.constantFrom('foto.jpg', 'fattura.pdf', 'leggimi.txt', 'dati', 'lettera.docx').map((name) => ({ ...item, name }))),
  fc
    .tuple(
      fc.stringMatching(/^[a-zA-Z0-9_-]{1,10}$/),
      fc.constantFrom(['.exe', 'program'], ['.msi', 'program'], ['.js', 'program'], ['.iso', 'disk'], ['.lnk', 'shortcut'], ['.xlsm', 'macros']),
    )
    .map(([stem, [extension, kind]]) => ({
      bytes: () => Buffer.from('harmless words'),
      name: `${stem}${extension}`,
      found: { program: 'attachment_is_program', disk: 'attachment_is_disk_image', shortcut: 'attachment_is_shortcut', macros: 'attachment_has_macros' }[
        kind ?? 'program'
      ],
    })),
);

const sibling = fc.oneof(
  fc.constant(() => sample.pdf()),
  fc.constant(() => sample.jpeg()),
  fc.constant(() => archive.docx()),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => () => Buffer.concat([Buffer.from('%PDF-1.7\n'), bytes])),
);

const level = fc.constantFrom<0 | 1 | 6 | 9>(0, 1, 6, 9);

/** The dangerous file inside `depth` ZIPs: the outer file is the first. */
function hide(
  depth: number,
  item: { bytes: () => Buffer; name: string },
  siblings: Array<() => Buffer>,
  compression: 0 | 1 | 6 | 9,
): { bytes: Buffer; entry: string[] } {
  let bytes = archive.zipOf(
    { [`inner/${item.name}`]: item.bytes(), ...Object.fromEntries(siblings.map((make, i) => [`inner/other-${i}.pdf`, make()])) },
    compression,
  );
  const entry = [`inner/${item.name}`];
  for (let n = depth - 1; n >= 1; n -= 1) {
    bytes = archive.zipOf({ [`level-${n}.zip`]: bytes, 'notes.txt': `level ${n}` }, compression);
    entry.unshift(`level-${n}.zip`);
  }
  return { bytes, entry };
}

const POLICIES: readonly FileSafetyPolicy[] = [{ allowUninspectableArchives: false }, { allowUninspectableArchives: true }];

describe('a dangerous file hidden in archives', () => {
  it('is found at any depth up to the bound, and named', async () => {
    await fc.assert(
      fc.asyncProperty(
        hidden.chain((item) => fc.tuple(fc.integer({ min: 1, max: 'zip' in item ? MAX_DEPTH - 1 : MAX_DEPTH }), fc.constant(item))),
        fc.array(sibling, { maxLength: 3 }),
        level,
        fc.constantFrom(...POLICIES),
        async ([depth, item], siblings, compression, policy) => {
          const { bytes, entry } = hide(depth, item, siblings, compression);
          const refused = await checkFileSafety({ filename: 'archivio.zip', mimeType: 'application/zip', bytes }, policy).then(
            () => undefined,
            (error: unknown) => error as { code: string; details: Record<string, unknown> },
          );
          expect(refused).toMatchObject({ code: 'attachment_archive_contains_program', details: { found: item.found, entry: entry.join(' › ') } });
        },
      ),
      { numRuns: 120 },
    );
  });

  it('is never let through past the bound: the archive is refused as too deep', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: MAX_DEPTH + 1, max: MAX_DEPTH + 3 }), hidden, level, async (depth, item, compression) => {
        const { bytes } = hide(depth, item, [], compression);
        const refused = await checkFileSafety({ filename: 'archivio.zip', bytes }, { allowUninspectableArchives: true }).then(
          () => undefined,
          (error: unknown) => error as { code: string; details: Record<string, unknown> },
        );
        expect(refused).toMatchObject({ code: 'attachment_archive_too_large', details: { limit: 'depth' } });
      }),
      { numRuns: 30 },
    );
  });
});
