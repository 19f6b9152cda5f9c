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
    ['random bytes', 'random.bin', 'data.bin', 'application/octet-stream', null],
    ['encrypted ZIP disguised by name and type', 'encrypted-zipcrypto.zip', 'report.pdf', 'application/pdf', 'zip'],
    ['plain PDF with a ZIP name and type', 'plain.pdf', 'secret.zip', 'application/zip', null],
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
  ])('never throws on any truncation of %s', (file) => {
    const whole = fixture(file);
    const expected = detectEncryptedAttachment(whole);
    for (let length = 0; length <= whole.length; length++) {
      // A cut file may have lost the part that showed the encryption, but must never gain one.
      expect([expected, null]).toContain(detectEncryptedAttachment(whole.subarray(0, length)));
    }
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
    ['empty buffer', Buffer.alloc(0), [null]],
  ])('copes with corrupt input: %s', (_scenario, content, allowed) => {
    expect(allowed).toContain(detectEncryptedAttachment(content));
  });
});
