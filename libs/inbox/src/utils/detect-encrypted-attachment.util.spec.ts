import * as CFB from 'cfb';
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { detectEncryptedAttachment, EncryptionKind } from './detect-encrypted-attachment.util';

// Real files made with real tools; how each was made is in test/fixtures/attachments/README.md.
const fixture = (name: string): Buffer => readFileSync(resolve(__dirname, '../../../../test/fixtures/attachments', name));

/** Offsets of every occurrence of a ZIP record signature ("PK" + two bytes). */
function offsetsOf(b: Buffer, signature: string): number[] {
  const found: number[] = [];
  for (let at = b.indexOf(signature, 0, 'latin1'); at >= 0; at = b.indexOf(signature, at + 1, 'latin1')) found.push(at);
  return found;
}

/** Reads (and with `to`, first rewrites) which sector follows sector `index` in a Compound File's allocation table. */
function fatEntry(cfb: Buffer, index: number, to?: number): number {
  const at = 512 * (1 + cfb.readInt32LE(76 + 4 * Math.floor(index / 128))) + (index % 128) * 4; // FAT sectors listed in the header
  if (to !== undefined) cfb.writeInt32LE(to, at);
  return cfb.readInt32LE(at);
}

/** Offset of directory entry `entry` (in the first directory sector). */
const directoryEntry = (cfb: Buffer, entry: number): number => 512 * (1 + cfb.readInt32LE(48)) + entry * 128;

describe('detectEncryptedAttachment', () => {
  it.each<[string, string, string, string, EncryptionKind]>([
    ['zip -P (traditional PKWARE encryption)', 'encrypted-zipcrypto.zip', 'report.zip', 'application/zip', 'zip'],
    ['7z -mem=AES256 (WinZip AES, method 99)', 'encrypted-aes256.zip', 'report.zip', 'application/zip', 'zip'],
    ['plain entry first, encrypted entry second', 'mixed-plain-then-encrypted.zip', 'files.zip', 'application/zip', 'zip'],
    ['zip -r -P of a folder to stdout (unencrypted folder entry, then data descriptors)', 'encrypted-folder-streamed.zip', 'inbox.zip', 'application/zip', 'zip'],
    ['encrypted ZIP cut short (no central directory)', 'truncated-encrypted.zip', 'report.zip', 'application/zip', 'zip'],
    ['unencrypted ZIP', 'plain.zip', 'report.zip', 'application/zip', null],
    // zip stores a .zip uncompressed, so the inner encrypted headers sit in the outer data; the outer file
    // is not encrypted, and the inner one is checked when it is unpacked.
    ['unencrypted ZIP holding an encrypted ZIP', 'plain-holding-encrypted.zip', 'outer.zip', 'application/zip', null],
    ['unencrypted .docx (OOXML is a ZIP too)', 'plain.docx', 'report.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', null],
    ['qpdf --encrypt 256 (trailer dictionary)', 'encrypted-aes256.pdf', 'report.pdf', 'application/pdf', 'pdf'],
    ['qpdf --encrypt 256 with object streams (xref stream dictionary)', 'encrypted-objstm.pdf', 'report.pdf', 'application/pdf', 'pdf'],
    ['unencrypted PDF', 'plain.pdf', 'report.pdf', 'application/pdf', null],
    ['password-protected .docx (OOXML inside a Compound File)', 'encrypted-ooxml.docx', 'report.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'office'],
    ['unencrypted legacy .xls (Compound File without encryption streams)', 'plain.xls', 'report.xls', 'application/vnd.ms-excel', null],
    ['Word 97 .doc saved with a password (RC4, FIB fEncrypted)', 'encrypted-rc4.doc', 'report.doc', 'application/msword', 'office'],
    ['unencrypted Word 97 .doc', 'plain.doc', 'report.doc', 'application/msword', null],
    ['Excel 97 .xls saved with a password (RC4, FilePass after BOF)', 'encrypted-rc4.xls', 'report.xls', 'application/vnd.ms-excel', 'office'],
    ['unencrypted Excel 97 .xls from the same tool', 'plain-libreoffice.xls', 'report.xls', 'application/vnd.ms-excel', null],
    ['PowerPoint 97 .ppt saved with a password (CryptoAPI RC4, CurrentUserAtom headerToken)', 'encrypted-rc4.ppt', 'slides.ppt', 'application/vnd.ms-powerpoint', 'office'],
    ['unencrypted PowerPoint 97 .ppt', 'plain.ppt', 'slides.ppt', 'application/vnd.ms-powerpoint', null],
    ['random bytes', 'random.bin', 'data.bin', 'application/octet-stream', null],
    ['encrypted ZIP disguised by name and type', 'encrypted-zipcrypto.zip', 'report.pdf', 'application/pdf', 'zip'],
    ['plain PDF with a ZIP name and type', 'plain.pdf', 'secret.zip', 'application/zip', null],
    ['encrypted .xls disguised by name and type', 'encrypted-rc4.xls', 'notes.txt', 'text/plain', 'office'],
  ])('%s: %s sent as %s (%s) → %p', (_scenario, file, _filename, _contentType, expected) => {
    // The name and type a sender gives do not count: only the bytes do.
    expect(detectEncryptedAttachment(fixture(file))).toBe(expected);
  });

  describe('ZIP records it trusts', () => {
    it('finds method 99 even when flag bit 0 is clear', () => {
      const zip = Buffer.from(fixture('encrypted-aes256.zip'));
      for (const at of offsetsOf(zip, 'PK\x03\x04')) zip.writeUInt16LE(zip.readUInt16LE(at + 6) & ~1, at + 6);
      for (const at of offsetsOf(zip, 'PK\x01\x02')) zip.writeUInt16LE(zip.readUInt16LE(at + 8) & ~1, at + 8);
      expect(detectEncryptedAttachment(zip)).toBe('zip');
    });

    it('finds an encryption flag set only in the central directory', () => {
      const zip = Buffer.from(fixture('mixed-plain-then-encrypted.zip'));
      for (const at of offsetsOf(zip, 'PK\x03\x04')) zip.writeUInt16LE(zip.readUInt16LE(at + 6) & ~1, at + 6);
      expect(detectEncryptedAttachment(zip)).toBe('zip');
    });

    it.each(['mixed-plain-then-encrypted.zip', 'encrypted-folder-streamed.zip'])(
      'finds the later encrypted entry of %s by walking local headers when the central directory is gone',
      (file) => {
        const zip = fixture(file);
        const withoutDirectory = zip.subarray(0, offsetsOf(zip, 'PK\x01\x02')[0]);
        expect(detectEncryptedAttachment(withoutDirectory)).toBe('zip');
      },
    );
  });

  describe('Office 97-2003 markers it reads', () => {
    // The fixtures' streams are small, so they sit in the mini stream at 64-byte boundaries.
    const fibOffset = (doc: Buffer): number => {
      for (let at = 512; at + 12 <= doc.length; at += 64) if (doc.readUInt16LE(at) === 0xa5ec) return at;
      throw new Error('no Word FIB');
    };
    const edit = (file: string, change: (b: Buffer) => void): Buffer => {
      const b = Buffer.from(fixture(file));
      change(b);
      return b;
    };
    const ENCRYPTED_TOKEN = Buffer.from('dfc4d1f3', 'hex'); // 0xF3D1C4DF little-endian
    const PLAIN_TOKEN = Buffer.from('5fc091e3', 'hex'); // 0xE391C05F

    it.each<[string, Buffer, EncryptionKind]>([
      ['.doc with fEncrypted cleared', edit('encrypted-rc4.doc', (b) => b.writeUInt16LE(b.readUInt16LE(fibOffset(b) + 10) & ~0x0100, fibOffset(b) + 10)), null],
      // No tool at hand writes Word's XOR obfuscation; it sets fObfuscated along with fEncrypted.
      ['.doc with fEncrypted and fObfuscated set (XOR obfuscation)', edit('plain.doc', (b) => b.writeUInt16LE(b.readUInt16LE(fibOffset(b) + 10) | 0x8100, fibOffset(b) + 10)), 'office'],
      ['.xls whose FilePass record is retyped', edit('encrypted-rc4.xls', (b) => {
        const bof = b.indexOf(Buffer.from('09081000', 'hex')); // BOF, 16 bytes of data
        if (bof < 0 || b.readUInt16LE(bof + 20) !== 0x002f) throw new Error('no FilePass after BOF');
        b.writeUInt16LE(0x00e1, bof + 20); // InterfaceHdr, the record a plain workbook has there
      }), null],
      ['.ppt with the plain headerToken', edit('encrypted-rc4.ppt', (b) => PLAIN_TOKEN.copy(b, b.indexOf(ENCRYPTED_TOKEN))), null],
      ['plain .ppt with the encrypted headerToken', edit('plain.ppt', (b) => ENCRYPTED_TOKEN.copy(b, b.indexOf(PLAIN_TOKEN))), 'office'],
    ])('%s', (_scenario, content, expected) => {
      expect(detectEncryptedAttachment(content)).toBe(expected);
    });

    it.each<[string, string, EncryptionKind]>([
      ['in a storage, as an embedded object is (the attachment itself is not encrypted)', '/MBD00000001/WordDocument', null],
      ['at the root', '/WordDocument', 'office'],
    ])('reads an encrypted WordDocument stream added to a plain workbook %s', (_where, path, expected) => {
      const workbook = CFB.parse(fixture('plain-libreoffice.xls'));
      const word = CFB.find(CFB.parse(fixture('encrypted-rc4.doc')), '/WordDocument');
      if (!word) throw new Error('encrypted-rc4.doc has no WordDocument stream');
      CFB.utils.cfb_add(workbook, path, word.content);
      expect(detectEncryptedAttachment(Buffer.from(CFB.write(workbook, { type: 'buffer' })))).toBe(expected);
    });
  });

  it.each<[string, string, EncryptionKind]>([
    ['an /Encrypt reference', '%PDF-1.4\ntrailer\n<< /Size 3 /Root 1 0 R /Encrypt 2 0 R >>\n%%EOF', 'pdf'],
    ['an inline /Encrypt dictionary', '%PDF-1.4\ntrailer\n<</Root 1 0 R/Encrypt<</Filter/Standard/V 2>>>>\n%%EOF', 'pdf'],
    ['junk before the header', 'X-Scanned: ok\r\n%PDF-1.4\ntrailer\n<< /Root 1 0 R /Encrypt 2 0 R >>\n%%EOF', 'pdf'],
    ['only /EncryptMetadata', '%PDF-1.7\n1 0 obj << /EncryptMetadata false >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF', null],
    ['a longer name starting with /Encrypt', '%PDF-1.7\ntrailer << /Root 1 0 R /Encrypted 2 0 R >>\n%%EOF', null],
  ])('PDF with %s', (_scenario, text, expected) => {
    expect(detectEncryptedAttachment(Buffer.from(text, 'latin1'))).toBe(expected);
  });

  it('ignores the encryption stream names in a Compound File when they are not directory entries', () => {
    // A Word or Excel file stores its text as UTF-16LE, so a document about encryption can contain these words.
    const words = Buffer.from(`See EncryptionInfo\0 and EncryptedPackage\0 in MS-OFFCRYPTO. ${'-'.repeat(80)}`, 'utf16le');
    const xls = Buffer.concat([fixture('plain.xls'), words]);
    expect(detectEncryptedAttachment(xls)).toBeNull();
  });

  it.each([
    'encrypted-zipcrypto.zip', 'encrypted-aes256.zip', 'mixed-plain-then-encrypted.zip', 'encrypted-folder-streamed.zip', 'plain.docx',
    'encrypted-aes256.pdf', 'encrypted-ooxml.docx', 'plain.xls',
    'encrypted-rc4.doc', 'plain.doc', 'encrypted-rc4.xls', 'plain-libreoffice.xls', 'encrypted-rc4.ppt', 'plain.ppt',
  ])('never throws on any truncation of %s', (file) => {
    const whole = fixture(file);
    const expected = detectEncryptedAttachment(whole);
    for (let length = 0; length <= whole.length; length++) {
      // A cut file may have lost the part that showed the encryption, but must never gain one.
      expect([expected, null]).toContain(detectEncryptedAttachment(whole.subarray(0, length)));
    }
  });

  describe('Compound Files that would make cfb run away', () => {
    // cfb trusts the allocation table and the directory it reads. On these it loops until the process runs
    // out of memory, or copies gigabytes: a try/catch cannot help, so the detector must refuse them first.
    /** A Compound File written by cfb with a 5 MB WordDocument stream marked encrypted, and that stream's chain. */
    function bigDocument(): { file: Buffer; chain: number[]; entry: number } {
      const container = CFB.utils.cfb_new();
      const word = Buffer.alloc(5 * 1024 * 1024);
      word.writeUInt16LE(0xa5ec, 0); // FIB wIdent
      word.writeUInt16LE(0x0100, 10); // fEncrypted
      CFB.utils.cfb_add(container, '/WordDocument', word);
      const file = Buffer.from(CFB.write(container, { type: 'buffer' }));
      const parsed = CFB.parse(file);
      const index = parsed.FullPaths.findIndex((path) => path.endsWith('/WordDocument'));
      const chain: number[] = [];
      for (let s = parsed.FileIndex[index].start; s >= 0; s = fatEntry(file, s)) chain.push(s);
      return { file, chain, entry: directoryEntry(file, index) };
    }

    it('still reads a large well-formed one', () => {
      expect(detectEncryptedAttachment(bigDocument().file)).toBe('office');
    });

    it.each<[string, () => Buffer]>([
      ['a sector chain that loops back on itself (SheetJS/js-cfb#11)', () => {
        const ppt = Buffer.from(fixture('encrypted-rc4.ppt'));
        fatEntry(ppt, 3, 4); // the mini stream's chain now runs into sector 4, where a 4 KB stream starts...
        fatEntry(ppt, 4, 4); // ...and which points at itself
        return ppt;
      }],
      ['directory siblings that link in a circle', () => {
        const doc = Buffer.from(fixture('encrypted-rc4.doc'));
        doc.writeInt32LE(2, directoryEntry(doc, 1) + 68); // entry 1's left sibling is entry 2...
        doc.writeInt32LE(1, directoryEntry(doc, 2) + 68); // ...whose left sibling is entry 1
        return doc;
      }],
      ['thousands of sector chains that join one long tail', () => {
        const { file, chain } = bigDocument();
        const half = chain.length >> 1;
        for (let i = 0; i < half - 1; i++) fatEntry(file, chain[i], chain[half]);
        return file;
      }],
      ['a long sector chain laid out backwards', () => {
        const { file, chain, entry } = bigDocument();
        chain.forEach((sector, i) => fatEntry(file, sector, i === 0 ? -2 : chain[i - 1]));
        file.writeInt32LE(chain[chain.length - 1], entry + 116); // the stream now starts at the last sector
        return file;
      }],
    ])('refuses %s', (_scenario, make) => {
      expect(detectEncryptedAttachment(make())).toBeNull();
    });
  });

  it.each<[string, Buffer, EncryptionKind[]]>([
    // Random "flags" after the magic may well have bit 0 set; either answer is fair, throwing is not.
    ['ZIP magic followed by random bytes', Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), fixture('random.bin')]), [null, 'zip']],
    ['ZIP whose end record points far outside the file', (() => {
      const zip = Buffer.from(fixture('plain.zip'));
      const end = zip.lastIndexOf('PK\x05\x06', undefined, 'latin1');
      zip.writeUInt16LE(0xffff, end + 10); // entry count
      zip.writeUInt32LE(0xfffffff0, end + 16); // central directory offset
      return zip;
    })(), [null]],
    ['ZIP local header with a huge compressed size', (() => {
      const zip = Buffer.from(fixture('plain.zip'));
      zip.writeUInt32LE(0xffffffff, 18);
      return zip;
    })(), [null]],
    ['Compound File magic only', fixture('plain.xls').subarray(0, 8), [null]],
    ['first 600 bytes of an encrypted .doc', fixture('encrypted-rc4.doc').subarray(0, 600), [null, 'office']],
    ['Compound File with its second half zeroed', (() => {
      const xls = Buffer.from(fixture('encrypted-rc4.xls'));
      return xls.fill(0, xls.length / 2);
    })(), [null, 'office']],
    ['empty buffer', Buffer.alloc(0), [null]],
  ])('copes with corrupt input: %s', (_scenario, content, allowed) => {
    expect(allowed).toContain(detectEncryptedAttachment(content));
  });
});
