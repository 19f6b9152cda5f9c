export type EncryptionKind = 'zip' | 'pdf' | 'office' | null;

const ZIP_LOCAL = 0x04034b50; // "PK\x03\x04"
const ZIP_CENTRAL = 0x02014b50; // "PK\x01\x02"
const ZIP_END = Buffer.from('PK\x05\x06', 'latin1');
const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const AES_METHOD = 99; // WinZip AES (APPNOTE 4.4.5 / AE-x)

/**
 * Which kind of encryption protects the file, or null when it is not encrypted (or unknown).
 * Pure and never throws: attachments come from strangers, so truncated or corrupt bytes give
 * whatever could still be read (often null).
 * Decided by content only, never by name or declared type: senders rename files ("report.dat")
 * and mail clients guess types.
 */
export function detectEncryptedAttachment(content: Buffer): EncryptionKind {
  try {
    if (content.length >= 30 && content.readUInt32LE(0) === ZIP_LOCAL) return zipIsEncrypted(content) ? 'zip' : null;
    // PDF readers accept junk before the header, so look for it in the first KiB as they do.
    if (content.subarray(0, 1024).includes('%PDF-', 0, 'latin1')) return pdfIsEncrypted(content) ? 'pdf' : null;
    if (content.subarray(0, 8).equals(CFB_MAGIC)) return cfbIsEncryptedOoxml(content) ? 'office' : null;
  } catch {
    // Defensive only: every read below is bounds-checked, but a detector must never take intake down.
  }
  return null;
}

/** True when an entry has flag bit 0 (PKWARE "traditional" encryption) or method 99 (WinZip AES). */
function entryEncrypted(flags: number, method: number): boolean {
  return (flags & 1) === 1 || method === AES_METHOD;
}

function zipIsEncrypted(b: Buffer): boolean {
  // 1. The central directory is the authoritative list of entries, wherever they sit in the file.
  const end = b.lastIndexOf(ZIP_END);
  if (end >= 0 && end + 22 <= b.length) {
    let p = b.readUInt32LE(end + 16); // offset of the central directory (0xFFFFFFFF for ZIP64: walk fails, see 2.)
    for (let n = b.readUInt16LE(end + 10); n > 0 && p + 46 <= b.length && b.readUInt32LE(p) === ZIP_CENTRAL; n--) {
      if (entryEncrypted(b.readUInt16LE(p + 8), b.readUInt16LE(p + 10))) return true;
      p += 46 + b.readUInt16LE(p + 28) + b.readUInt16LE(p + 30) + b.readUInt16LE(p + 32);
    }
  }
  // 2. Walk the local headers too: a truncated attachment has no central directory at all, and a
  //    later entry may be the only encrypted one (plain readme + encrypted payload is common).
  let p = 0;
  while (p >= 0 && p + 30 <= b.length && b.readUInt32LE(p) === ZIP_LOCAL) {
    const flags = b.readUInt16LE(p + 6);
    if (entryEncrypted(flags, b.readUInt16LE(p + 8))) return true;
    const dataStart = p + 30 + b.readUInt16LE(p + 26) + b.readUInt16LE(p + 28);
    // Jump over the data, then search for the next header: with flag bit 3 (streamed writers, and
    // Info-ZIP for every encrypted entry) the size here may be 0 and a data descriptor follows the data.
    const from = dataStart + b.readUInt32LE(p + 18);
    p = from >= b.length ? -1 : b.indexOf('PK\x03\x04', from, 'latin1');
  }
  return false;
}

function pdfIsEncrypted(b: Buffer): boolean {
  // The trailer (or, since PDF 1.5, the cross-reference stream's dictionary, which is never
  // encrypted or compressed) names the security handler as "/Encrypt 12 0 R" or an inline "<<".
  // Requiring a reference or dictionary after the name skips "/EncryptMetadata false" and the like.
  return /\/Encrypt(?:\s+\d+\s+\d+\s+R\b|\s*<<)/.test(b.toString('latin1'));
}

function cfbIsEncryptedOoxml(b: Buffer): boolean {
  // An encrypted .docx/.xlsx/.pptx is a Compound File holding "EncryptionInfo" and "EncryptedPackage"
  // streams (MS-OFFCRYPTO 2.3.4). Names are UTF-16LE in 128-byte directory entries; checking the
  // entry's alignment and name-length field avoids matching the same words in a .doc's body text.
  // Legacy .doc/.xls/.ppt with RC4 keep their usual streams and flag encryption inside them
  // (FIB bit, FILEPASS record); detecting that needs a real CFB parser, so those return null.
  return hasDirectoryEntry(b, 'EncryptionInfo') && hasDirectoryEntry(b, 'EncryptedPackage');
}

function hasDirectoryEntry(b: Buffer, name: string): boolean {
  const needle = Buffer.from(`${name}\0`, 'utf16le');
  for (let at = b.indexOf(needle, 512); at >= 0; at = b.indexOf(needle, at + 2)) {
    // Directory sectors start at multiples of 512 after the 512-byte header, so entries are 128-aligned;
    // +64 holds the name length in bytes including the terminator, +66 the type (2 = stream).
    if (at % 128 === 0 && at + 67 <= b.length && b.readUInt16LE(at + 64) === needle.length && b[at + 66] === 2) return true;
  }
  return false;
}
