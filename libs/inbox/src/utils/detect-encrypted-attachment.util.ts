import { find as cfbFind, parse as cfbParse, type CFB$Container } from 'cfb';

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
    if (content.subarray(0, 8).equals(CFB_MAGIC)) return cfbIsEncryptedOoxml(content) || cfbIsEncryptedLegacy(content) ? 'office' : null;
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
  // This raw scan still works on a cut-off file. Legacy .doc/.xls/.ppt keep their usual streams and
  // flag encryption inside them instead: see cfbIsEncryptedLegacy.
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

/**
 * Office 97-2003 binary files encrypted with a password (RC4, CryptoAPI RC4, or Word/Excel XOR
 * obfuscation) keep their usual streams and mark the encryption in them. Only root-level streams
 * count: an embedded document lives in a storage of its own and is not the attachment.
 */
function cfbIsEncryptedLegacy(b: Buffer): boolean {
  const file = readableByCfb(b);
  if (!file) return false;
  let cfb: CFB$Container;
  try {
    cfb = cfbParse(file);
  } catch {
    return false; // damaged beyond what cfb accepts
  }
  return (
    wordEncrypted(rootStream(cfb, 'WordDocument')) ||
    workbookEncrypted(rootStream(cfb, 'Workbook') ?? rootStream(cfb, 'Book')) ||
    powerPointEncrypted(rootStream(cfb, 'Current User'))
  );
}

function rootStream(cfb: CFB$Container, name: string): Buffer | null {
  const entry = cfbFind(cfb, `/${name}`); // a leading "/" matches the full path, not any entry of that name
  if (!entry || entry.type !== 2 || !entry.content) return null;
  const c = entry.content;
  return c instanceof Uint8Array ? Buffer.from(c.buffer, c.byteOffset, c.byteLength) : Buffer.from(c);
}

/** MS-DOC 2.5.2 FibBase: wIdent 0xA5EC, then fEncrypted (0x0100) in the flags at 0x0A; XOR obfuscation sets it too (with fObfuscated). */
function wordEncrypted(s: Buffer | null): boolean {
  return s !== null && s.length >= 12 && s.readUInt16LE(0) === 0xa5ec && (s.readUInt16LE(0x0a) & 0x0100) !== 0;
}

/** MS-XLS 2.4.117: a FilePass record (0x002F) near the start of the globals substream, after BOF (0x0809). */
function workbookEncrypted(s: Buffer | null): boolean {
  if (s === null || s.length < 4 || s.readUInt16LE(0) !== 0x0809) return false;
  // The grammar allows only WriteProtect between BOF and FilePass; a few records leave room for lax writers.
  // Record headers stay readable in an encrypted workbook: only record data is encrypted.
  for (let p = 4 + s.readUInt16LE(2), n = 0; n < 8 && p + 4 <= s.length; n++, p += 4 + s.readUInt16LE(p + 2)) {
    const type = s.readUInt16LE(p);
    if (type === 0x002f) return true;
    if (type === 0x000a) break; // EOF of the globals substream
  }
  return false;
}

/** MS-PPT 2.3.2 CurrentUserAtom (record type 0x0FF6): headerToken 0xF3D1C4DF means the document is encrypted. */
function powerPointEncrypted(s: Buffer | null): boolean {
  return s !== null && s.length >= 16 && s.readUInt16LE(2) === 0x0ff6 && s.readUInt32LE(12) === 0xf3d1c4df;
}

const MAX_DIRECTORY_ENTRIES = 4096; // Office files hold a few dozen; cfb's tree walk is quadratic in this
const MAX_STORAGE_DEPTH = 32; // storages within storages; Office nests a handful at most
const ENDOFCHAIN = -2;

/**
 * The file (padded to whole sectors) when cfb 1.2.2 can read it in bounded time and memory, else null.
 * cfb trusts the chains and links it reads: a cycle in the sector allocation table or in the directory
 * tree makes it loop until the process runs out of memory (SheetJS/js-cfb#11, open since 2020), and
 * chains that join or run backwards make it copy sectors quadratically. try/catch stops neither, and
 * a crafted 11 KB attachment would take intake down. So check, the way cfb reads them, that the chains
 * are disjoint and end, and that the directory is one tree; real writers never produce anything else.
 */
function readableByCfb(b: Buffer): Buffer | null {
  if (b.length < 512) return null;
  const major = b.readUInt16LE(26);
  const ssz = major === 3 ? 512 : major === 4 ? 4096 : 0;
  if (ssz === 0 || b.length <= ssz) return null;
  // cfb reads past the end of a partial last sector as garbage; zeros are what the sector would hold.
  const file = b.length % ssz === 0 ? b : Buffer.concat([b, Buffer.alloc(ssz - (b.length % ssz))]);
  const sectors = file.length / ssz - 1; // after the header
  const perSector = ssz / 4;
  const int32 = (sector: number, index: number): number => file.readInt32LE((sector + 1) * ssz + index * 4);

  // Sectors of the allocation table (FAT): up to 109 listed in the header, the rest in the DIFAT chain.
  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) {
    const s = file.readInt32LE(76 + i * 4);
    if (s < 0) break;
    fatSectors.push(s);
  }
  const difat = new Set<number>();
  for (let s = file.readInt32LE(68), left = file.readInt32LE(72); s >= 0 && s < sectors; s = int32(s, perSector - 1), left--) {
    if (difat.has(s)) return null;
    difat.add(s);
    for (let i = 0; i < perSector - 1 && int32(s, i) !== ENDOFCHAIN; i++) fatSectors.push(int32(s, i));
    if (left < 1) break;
  }

  // Each sector's successor; a chain ends at a negative value or where the table has no sector.
  const next = new Int32Array(sectors);
  const hasPrevious = new Uint8Array(sectors);
  for (let j = 0; j < sectors; j++) {
    const fat = fatSectors[Math.floor(j / perSector)];
    const to = fat !== undefined && fat >= 0 && fat < sectors ? int32(fat, j % perSector) : -1;
    if (to >= sectors || (to >= 0 && hasPrevious[to]++ > 0)) return null; // out of the file, or two chains join
    next[j] = to;
  }
  const dirStart = file.readInt32LE(48);
  if (dirStart < 0 || dirStart >= sectors) return null;
  // Walk every chain from its head. With no joins, a sector left unvisited sits on a cycle. cfb visits
  // the sectors in order, from the directory's first one round to it again, and copies the rest of the
  // chain from each one not yet copied: a chain laid out backwards is copied once per sector. Count that.
  let visited = 0;
  let copies = 0;
  const chain: number[] = [];
  for (let head = 0; head < sectors; head++) {
    if (hasPrevious[head]) continue;
    chain.length = 0;
    for (let s = head; s >= 0; s = next[s]) chain.push(s);
    visited += chain.length;
    let earliest = Infinity;
    chain.forEach((s, at) => {
      const order = (s - dirStart + sectors) % sectors;
      if (order < earliest) [earliest, copies] = [order, copies + chain.length - at];
    });
  }
  if (visited < sectors || copies > 4 * sectors) return null;

  // Directory entries (128 bytes) fill the directory chain; their left, right and child links must
  // form one tree from the root entry, with no entry reached twice and no links elsewhere. Unused
  // entries (type 0) may have all links 0 instead of -1 (Apache POI writes them so); cfb copes with that.
  const directory: number[] = [];
  for (let s = dirStart; s >= 0; s = next[s]) directory.push(s);
  const perDirectorySector = ssz / 128;
  const count = directory.length * perDirectorySector;
  if (count > MAX_DIRECTORY_ENTRIES) return null;
  const entryAt = (i: number): number => (directory[Math.floor(i / perDirectorySector)] + 1) * ssz + (i % perDirectorySector) * 128;
  const unused = (i: number): boolean => file[entryAt(i) + 66] === 0;
  const links = (i: number): number[] =>
    [68, 72, 76].map((at) => file.readInt32LE(entryAt(i) + at)).filter((link) => link !== -1 && !(link === 0 && unused(i)));
  const linked = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    for (const link of links(i)) if (link <= 0 || link >= count || linked[link]++ > 0) return null;
    // cfb follows the chain of a stream of 4096 bytes or more from its first sector. Unless that is the
    // head of a chain, the walk is not shared with the others above, so demand a head.
    const type = file[entryAt(i) + 66];
    const start = file.readInt32LE(entryAt(i) + 116);
    if (type !== 5 && file.readInt32LE(entryAt(i) + 120) >= 4096 && start >= 0 && (start >= sectors || hasPrevious[start])) return null;
  }
  // reached: 1 + how deep in storages the entry sits. cfb spells out each entry's full path, so depth costs.
  const reached = new Uint8Array(count);
  const pending = [0];
  reached[0] = 1;
  for (let i = pending.pop(); i !== undefined; i = pending.pop()) {
    const child = file.readInt32LE(entryAt(i) + 76);
    for (const link of links(i)) {
      if (reached[link]) continue;
      reached[link] = reached[i] + (link === child ? 1 : 0);
      if (reached[link] > MAX_STORAGE_DEPTH) return null;
      pending.push(link);
    }
  }
  for (let i = 0; i < count; i++) {
    if (!reached[i] && (linked[i] || links(i).length > 0)) return null;
    if (reached[i] && unused(i) && [68, 72, 76].some((at) => file.readInt32LE(entryAt(i) + at) === 0)) return null;
  }
  return file;
}
