import Encoding from 'encoding-japanese';
import iconv from 'iconv-lite';
import { simpleParser } from 'mailparser';
import { decodeCp932, repairCharsets, repairHeaderBytes } from './repair-charsets.util';

const jis = (text: string) => Buffer.from(Encoding.convert(Encoding.stringToCode(text), { to: 'JIS', from: 'UNICODE' }));
const mail = (contentType: string, body: Buffer, extraHead = '') =>
  Buffer.concat([Buffer.from(`From: a@example.jp\r\nSubject: s\r\n${extraHead}Content-Type: ${contentType}\r\n\r\n`), body, Buffer.from('\r\n')]);
/** The text mailparser reads from a repaired mail (the rewrite may change the transfer encoding). */
const textOf = async (raw: Buffer) => (await simpleParser(raw)).text?.trim();
const split = (raw: Buffer) => {
  const at = raw.indexOf('\r\n\r\n');
  return { head: raw.subarray(0, at).toString('latin1'), body: raw.subarray(at + 4) };
};

describe('decodeCp932', () => {
  const around = (bytes: number[]) => Buffer.concat([iconv.encode('前①', 'cp932'), Buffer.from(bytes), iconv.encode('後㈱', 'cp932')]);
  it.each([
    ['docomo 晴れ (F89F)', [0xf8, 0x9f], '☀️'],
    ['docomo わーい (F995), past where iconv-lite stops', [0xf9, 0x95], '😃'],
    ['docomo げっそり, the last user-defined character (F9FC)', [0xf9, 0xfc], '😱'],
    ['a user-defined character no carrier uses (F040) as 〓', [0xf0, 0x40], '〓'],
  ])('reads %s from a sender of no carrier as docomo does', (_name, bytes, expected) => {
    expect(decodeCp932(around(bytes))).toBe(`前①${expected}後㈱`);
  });

  it.each([
    ['docomo', 'docomo', [0xf8, 0xa0], '☁️'],
    ['docomo', 'docomo', [0xf9, 0x9b], '🎵'],
    ['au 晴れ (F660)', 'au', [0xf6, 0x60], '☀️'],
    ['au, second block (F340 → U+E5CD)', 'au', [0xf3, 0x40], '🍂'],
    ['au, an F7 code where SoftBank has its own (F741)', 'au', [0xf7, 0x41], '4️⃣'],
    ['SoftBank, F9 row (F941 → U+E001)', 'softbank', [0xf9, 0x41], '👦'],
    ['SoftBank, F7 row (F741 → U+E101)', 'softbank', [0xf7, 0x41], '📫'],
    ['SoftBank, FB row over an IBM kanji (FB41 → U+E401)', 'softbank', [0xfb, 0x41], '😥'],
    ['docomo, a user-defined code outside its pictograms', 'docomo', [0xf0, 0x40], '〓'],
    ['au, a docomo-only code', 'au', [0xf9, 0x9b], '〓'],
  ] as const)('reads %s by the carrier', (_name, carrier, bytes, expected) => {
    expect(decodeCp932(around([...bytes]), carrier)).toBe(`前①${expected}後㈱`);
  });

  it('keeps FB41 an IBM kanji for everyone but SoftBank', () => {
    expect(decodeCp932(Buffer.from([0xfb, 0x41]), 'docomo')).toBe(iconv.decode(Buffer.from([0xfb, 0x41]), 'cp932'));
  });

  it('does not take a trail byte in F0-F9 for the lead of a user-defined character', () => {
    // 髙 is FBFC and 纊 ED40: lead bytes whose trail could be misread as a new lead.
    const bytes = Buffer.concat([iconv.encode('ｱ髙纊', 'cp932'), Buffer.from([0x81, 0xf0]), Buffer.from([0xf8, 0x9f])]);
    expect(decodeCp932(bytes)).toBe(`ｱ髙纊${iconv.decode(Buffer.from([0x81, 0xf0]), 'cp932')}☀️`);
  });
});

describe('repairCharsets', () => {
  it('relabels a part declared US-ASCII that holds ISO-2022-JP', async () => {
    const { raw, undecodable } = await repairCharsets(mail('text/plain; charset=us-ascii', jis('本当はJIS')));
    expect(split(raw).head).toMatch(/charset=iso-2022-jp/i);
    expect(await textOf(raw)).toBe('本当はJIS');
    expect(undecodable).toBe(0);
  });

  it('believes a US-ASCII label over plain ASCII bytes', async () => {
    const { raw } = await repairCharsets(mail('text/plain; charset=us-ascii', Buffer.from('plain')));
    expect(split(raw).head).toMatch(/charset=us-ascii/i);
    expect(split(raw).body.toString()).toBe('plain\r\n');
  });

  it('converts UTF-7 to UTF-8', async () => {
    const { raw } = await repairCharsets(mail('text/plain; charset=unicode-1-1-utf-7', iconv.encode('UTF-7の本文', 'utf7')));
    expect(split(raw).head).toMatch(/charset=utf-8/i);
    expect(await textOf(raw)).toBe('UTF-7の本文');
  });

  it('converts Shift_JIS with pictograms to UTF-8 when asked, keeping the transfer encoding', async () => {
    const body = Buffer.concat([iconv.encode('晴れ', 'cp932'), Buffer.from([0xf8, 0x9f, 0xf9, 0x95])]);
    const source = mail('text/plain; charset=Shift_JIS', Buffer.from(body.toString('base64')), 'Content-Transfer-Encoding: base64\r\n');
    expect((await repairCharsets(source)).raw).toBe(source);
    const { raw } = await repairCharsets(source, undefined, { pictograms: true });
    expect(split(raw).head).toMatch(/charset=utf-8/i);
    expect(Buffer.from(split(raw).body.toString(), 'base64').toString('utf8')).toBe('晴れ☀️😃');
  });

  it('leaves Shift_JIS without user-defined characters to mailparser', async () => {
    const body = iconv.encode('普通の①㈱', 'cp932');
    const { raw } = await repairCharsets(mail('text/plain; charset=x-sjis', body), undefined, { pictograms: true });
    expect(split(raw).head).toMatch(/charset=x-sjis/i);
    expect(await textOf(raw)).toBe('普通の①㈱');
  });
});

describe('repairHeaderBytes', () => {
  it('turns ISO-2022-JP escapes outside any encoded word into an RFC 2047 word', () => {
    const raw = Buffer.concat([Buffer.from('Subject: '), jis('生のJIS'), Buffer.from('\r\nTo: b@example.jp\r\n\r\nbody')]);
    const head = split(repairHeaderBytes(raw)).head;
    expect(head).not.toContain('\x1b');
    expect(head).toContain('To: b@example.jp');
    expect(/Subject: (.*)/.exec(head)?.[1]).toMatch(/^=\?utf-8\?B\?/i);
  });

  it('rewrites a Shift_JIS word with pictograms as UTF-8 when asked and leaves others as they are', () => {
    const withEmoji = Buffer.concat([iconv.encode('至急', 'cp932'), Buffer.from([0xf9, 0x95])]).toString('base64');
    const plain = iconv.encode('普通', 'cp932').toString('base64');
    const raw = Buffer.from(`Subject: =?Shift_JIS?B?${withEmoji}?=\r\nX-Note: =?Shift_JIS?B?${plain}?=\r\n\r\nbody`);
    expect(repairHeaderBytes(raw)).toBe(raw);
    const head = split(repairHeaderBytes(raw, true)).head;
    expect(head).toContain(`Subject: =?UTF-8?B?${Buffer.from('至急😃').toString('base64')}?=`);
    expect(head).toContain(`X-Note: =?Shift_JIS?B?${plain}?=`);
  });

  it('decodes a raw Shift_JIS subject with a pictogram by the carrier (encoding-japanese made it "?")', () => {
    const raw = Buffer.concat([Buffer.from('Subject: '), iconv.encode('急ぎ', 'cp932'), Buffer.from([0xf9, 0x9b]), Buffer.from('\r\n\r\nbody')]);
    const subject = /Subject: (.*)/.exec(split(repairHeaderBytes(raw, false, 'docomo')).head)?.[1] ?? '';
    expect(Buffer.from(/=\?utf-8\?B\?([^?]*)\?=/i.exec(subject)?.[1] ?? '', 'base64').toString('utf8')).toBe('急ぎ🎵');
  });

  it('returns mail that needs nothing as the same buffer', () => {
    const raw = Buffer.from('Subject: =?UTF-8?B?5pel5pys?=\r\n\r\nbody');
    expect(repairHeaderBytes(raw)).toBe(raw);
  });
});
