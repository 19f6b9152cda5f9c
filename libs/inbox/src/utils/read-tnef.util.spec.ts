import iconv from 'iconv-lite';
import { tnef } from './build-tnef.testing';
import { readTnef } from './read-tnef.util';

const { attribute, props, u32, utf16 } = tnef;
const VERSION = attribute(1, 0x00089006, Buffer.from([0, 0, 1, 0]));
const CODEPAGE_932 = attribute(1, 0x00069007, u32(932));
const REND = attribute(2, 0x00069002, Buffer.alloc(14));
const title = (bytes: Buffer) => attribute(2, 0x00018010, Buffer.concat([bytes, Buffer.from([0])]));
const data = (bytes: Buffer) => attribute(2, 0x0006800f, bytes);

describe('readTnef', () => {
  it('reads files from the legacy attributes, with a CP932 title from Japanese Outlook', () => {
    const memo = iconv.encode('被害状況メモ\r\n経理部PC 3台\r\n', 'cp932');
    const result = readTnef(tnef.stream(VERSION, CODEPAGE_932, REND, title(iconv.encode('被害状況メモ.txt', 'cp932')), data(memo),
      REND, title(Buffer.from('log.csv')), data(Buffer.from('a,b\r\n'))));
    expect(result?.attachments).toEqual([
      { filename: '被害状況メモ.txt', contentType: 'application/octet-stream', content: memo },
      { filename: 'log.csv', contentType: 'application/octet-stream', content: Buffer.from('a,b\r\n') },
    ]);
    expect(result?.text).toBeNull();
  });

  it('reads a CP932 title when the code page attribute is missing or wrong', () => {
    const badCodepage = attribute(1, 0x00069007, Buffer.from('932\0'));
    const result = readTnef(tnef.stream(VERSION, badCodepage, REND, title(iconv.encode('請求書.xlsx', 'cp932')), data(Buffer.from('PK'))));
    expect(result?.attachments.map((a) => a.filename)).toEqual(['請求書.xlsx']);
  });

  it('prefers the UTF-16 long file name and MIME type in the attachment\'s MAPI properties, past fixed-size and named ones', () => {
    const mapi = attribute(2, 0x00069005, props([
      [0x0003, 0x0e21, u32(0).subarray(0, 4)], // PR_ATTACH_NUM (PT_LONG)
      [0x0040, 0x3007, u32(1, 2)], // PR_CREATION_TIME (PT_SYSTIME)
      [0x0102, 0x3701, Buffer.from('%PDF-1.7 secret')], // PR_ATTACH_DATA_BIN
      [0x001f, 0x8001, utf16('named, ignored')],
      [0x001e, 0x3704, Buffer.from('PASSWO~1.PDF\0')], // PR_ATTACH_FILENAME (8.3)
      [0x001f, 0x3707, utf16('パスワード付き資料.pdf')], // PR_ATTACH_LONG_FILENAME
      [0x001e, 0x370e, Buffer.from('application/pdf\0')], // PR_ATTACH_MIME_TAG
    ]));
    const result = readTnef(tnef.stream(VERSION, CODEPAGE_932, REND, title(Buffer.from('PASSWO~1.PDF')), mapi));
    expect(result?.attachments).toEqual([{ filename: 'パスワード付き資料.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.7 secret') }]);
  });

  it('reads the plain body from attBody or from PR_BODY in the message\'s properties', () => {
    const attBody = attribute(1, 0x0002800c, iconv.encode('本文です。\0', 'cp932'));
    expect(readTnef(tnef.stream(VERSION, CODEPAGE_932, attBody))?.text).toBe('本文です。');
    const msgProps = attribute(1, 0x00069003, props([[0x001f, 0x1000, utf16('UTF-16 の本文')]]));
    expect(readTnef(tnef.stream(VERSION, msgProps))?.text).toBe('UTF-16 の本文');
  });

  it('leaves out an embedded Outlook item, which is no file', () => {
    const embedded = attribute(2, 0x00069005, props([[0x000d, 0x3701, Buffer.concat([Buffer.alloc(16, 1), tnef.stream(VERSION)])], [0x001f, 0x3001, utf16('会議')]]));
    expect(readTnef(tnef.stream(VERSION, REND, embedded))?.attachments).toEqual([]);
  });

  it('keeps what was read before a stream that breaks off, and refuses what is no TNEF', () => {
    const whole = tnef.stream(VERSION, REND, title(Buffer.from('a.txt')), data(Buffer.from('first')), REND, title(Buffer.from('b.txt')), data(Buffer.from('second')));
    expect(readTnef(whole.subarray(0, whole.length - 5))?.attachments.map((a) => a.filename)).toEqual(['a.txt']);
    expect(readTnef(Buffer.from('PK\x03\x04 not tnef'))).toBeNull();
    const badProps = attribute(2, 0x00069005, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x1f, 0x00, 0x07, 0x37, 0x01]));
    expect(() => readTnef(tnef.stream(VERSION, REND, data(Buffer.from('x')), badProps))).not.toThrow();
  });
});
