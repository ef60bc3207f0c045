/**
 * Reads the directory of an OLE compound file (MS-CFB), the container of old Office files
 * (.doc, .xls, .ppt) and of Windows installers (.msi): the root storage's class id and the names
 * of the storages and streams inside, enough to tell a Word document from an installer and to
 * see macros. Bounded by the file's own size: a malformed or looping file gives undefined.
 */
const SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const END_OF_CHAIN = 0xfffffffe;
const MAX_REGULAR_SECTOR = 0xfffffffa;
const HEADER_FAT_SECTORS = 109;
const ENTRY_SIZE = 128;
const ROOT_ENTRY = 5;

export interface CompoundFileDirectory {
  /** The root storage's CLSID, upper case: `000C1084-0000-0000-C000-000000000046`. */
  readonly rootClassId: string;
  /** Every storage and stream name, at any depth. */
  readonly names: ReadonlySet<string>;
}

/** Windows Installer packages, patches and transforms: programs, whatever the file is called. */
export const INSTALLER_CLASS_IDS: ReadonlySet<string> = new Set([
  '000C1084-0000-0000-C000-000000000046',
  '000C1086-0000-0000-C000-000000000046',
  '000C1082-0000-0000-C000-000000000046',
]);

/** Storages of VBA macros (Word, Excel) and of packaged files (an embedded program). */
export const ACTIVE_CONTENT_NAMES: readonly string[] = ['Macros', 'VBA', '_VBA_PROJECT_CUR', '\u0001Ole10Native'];

export function isCompoundFile(bytes: Uint8Array): boolean {
  return bytes.length >= 512 && SIGNATURE.every((byte, index) => bytes[index] === byte);
}

export function readCompoundFileDirectory(bytes: Uint8Array): CompoundFileDirectory | undefined {
  if (!isCompoundFile(bytes)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shift = view.getUint16(0x1e, true);
  if (shift !== 9 && shift !== 12) return undefined;
  const sectorSize = 2 ** shift;
  const idsPerSector = sectorSize / 4;
  const sectorLimit = Math.floor(bytes.length / sectorSize);
  const offsetOf = (sector: number): number | undefined => {
    const offset = (sector + 1) * sectorSize;
    return sector <= MAX_REGULAR_SECTOR && offset + sectorSize <= bytes.length ? offset : undefined;
  };

  const fatSectorCount = view.getUint32(0x2c, true);
  if (fatSectorCount > sectorLimit) return undefined;
  const fatSectors: number[] = [];
  for (let i = 0; i < Math.min(HEADER_FAT_SECTORS, fatSectorCount); i += 1) fatSectors.push(view.getUint32(0x4c + i * 4, true));
  let difat = view.getUint32(0x44, true);
  for (let visited = 0; fatSectors.length < fatSectorCount; visited += 1) {
    const at = offsetOf(difat);
    if (at === undefined || visited > sectorLimit) return undefined;
    for (let i = 0; i < idsPerSector - 1 && fatSectors.length < fatSectorCount; i += 1) fatSectors.push(view.getUint32(at + i * 4, true));
    difat = view.getUint32(at + (idsPerSector - 1) * 4, true);
  }
  const nextSector = (sector: number): number | undefined => {
    const fatAt = offsetOf(fatSectors[Math.floor(sector / idsPerSector)] ?? END_OF_CHAIN);
    return fatAt === undefined ? undefined : view.getUint32(fatAt + (sector % idsPerSector) * 4, true);
  };

  const names = new Set<string>();
  let rootClassId: string | undefined;
  let sector = view.getUint32(0x30, true);
  for (let visited = 0; sector !== END_OF_CHAIN; visited += 1) {
    const at = offsetOf(sector);
    if (at === undefined || visited > sectorLimit) return undefined;
    for (let entry = at; entry < at + sectorSize; entry += ENTRY_SIZE) {
      const type = bytes[entry + 0x42];
      const nameBytes = view.getUint16(entry + 0x40, true);
      if (type === 0 || nameBytes < 2 || nameBytes > 64) continue;
      if (type === ROOT_ENTRY && rootClassId === undefined) rootClassId = classIdAt(view, entry + 0x50);
      else names.add(utf16At(view, entry, nameBytes / 2 - 1));
    }
    const following = nextSector(sector);
    if (following === undefined) return undefined;
    sector = following;
  }
  return rootClassId === undefined ? undefined : { rootClassId, names };
}

function utf16At(view: DataView, at: number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i += 1) text += String.fromCharCode(view.getUint16(at + i * 2, true));
  return text;
}

function classIdAt(view: DataView, at: number): string {
  const hex = (value: number, digits: number) => value.toString(16).padStart(digits, '0');
  let tail = '';
  for (let i = 8; i < 16; i += 1) tail += hex(view.getUint8(at + i), 2);
  return `${hex(view.getUint32(at, true), 8)}-${hex(view.getUint16(at + 4, true), 4)}-${hex(view.getUint16(at + 6, true), 4)}-${tail.slice(0, 4)}-${tail.slice(4)}`.toUpperCase();
}
