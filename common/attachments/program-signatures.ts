/**
 * The first bytes of programs an operating system runs: refused by their start alone, whatever
 * the detector makes of the rest (a few bytes of a Java class or a Mach-O header are no file
 * type it names, and read as Windows-1252 they are text: `Êþº¾`).
 */
const PROGRAM_SIGNATURES: ReadonlyArray<readonly number[]> = [
  // MZ: DOS and Windows executables and libraries
  [0x4d, 0x5a],
  // ELF: Linux and Unix executables and libraries
  [0x7f, 0x45, 0x4c, 0x46],
  // Mach-O, 32 and 64 bits, both byte orders: macOS executables
  [0xfe, 0xed, 0xfa, 0xce],
  [0xfe, 0xed, 0xfa, 0xcf],
  [0xce, 0xfa, 0xed, 0xfe],
  [0xcf, 0xfa, 0xed, 0xfe],
  // Mach-O universal binaries, and Java classes
  [0xca, 0xfe, 0xba, 0xbe],
  // WebAssembly modules
  [0x00, 0x61, 0x73, 0x6d],
];

export function startsWithProgramSignature(bytes: Uint8Array): boolean {
  return PROGRAM_SIGNATURES.some((signature) => signature.every((byte, index) => bytes[index] === byte));
}
