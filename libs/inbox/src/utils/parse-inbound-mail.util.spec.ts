import fs from 'fs';
import iconv from 'iconv-lite';
import { tnef } from './build-tnef.testing';
import path from 'path';
import { FORWARD_RULE, parseInboundMail } from './parse-inbound-mail.util';
import { splitQuotedText } from './split-quoted-text.util';

// The Japanese-encoding corpus, written with real encoders by test/fixtures/mail/generate.js.
const DIR = path.resolve(__dirname, '../../../../test/fixtures/mail');
const EXPECTED: Record<string, { subject: string; text: string; attachments?: string[] }> = JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8'));

describe('parsing real-world Japanese mail', () => {
  it.each(Object.entries(EXPECTED))('%s', async (name, expected) => {
    const mail = await parseInboundMail(fs.readFileSync(path.join(DIR, `${name}.eml`)));
    expect(mail.subject).toBe(expected.subject);
    expect(mail.text.trim()).toBe(expected.text);
    if (expected.attachments) expect(mail.attachments.map((a) => a.filename)).toEqual(expected.attachments);
    expect(mail.problem).toBeNull();
    expect(mail.fromAddress).toBe('soc@himawari.example.jp');
  });

  it('keeps a part that is not text in any encoding as it came, and marks it', async () => {
    const raw = Buffer.concat([
      Buffer.from('From: soc@himawari.example.jp\r\nTo: kakekomi@helpdesk.test\r\nSubject: binary\r\nContent-Type: text/plain\r\n\r\n'),
      Buffer.from([0x00, 0xff, 0xfe, 0x81, 0x00, 0x9f, 0xfc, 0xfd]), Buffer.from('\r\n'),
    ]);
    const mail = await parseInboundMail(raw);
    expect(mail.problem).not.toBeNull();
    expect(mail.subject).toBe('binary');
  });

  // The mail-client corpus (Outlook, Thunderbird, iPhone, phone mailers…), test/fixtures/mail/clients/generate.js.
  const CLIENTS = path.join(DIR, 'clients');
  const CLIENT_CASES: Record<string, { subject: string; text: string; attachments?: { filename: string; size: number }[] }> =
    JSON.parse(fs.readFileSync(path.join(CLIENTS, 'expected.json'), 'utf8'));
  it.each(Object.entries(CLIENT_CASES))('client corpus: %s', async (name, expected) => {
    const mail = await parseInboundMail(fs.readFileSync(path.join(CLIENTS, `${name}.eml`)));
    expect(mail.subject).toBe(expected.subject);
    expect(mail.text.trim()).toBe(expected.text);
    expect(mail.attachments.map((a) => ({ filename: a.filename, size: a.content.length }))).toEqual(expected.attachments ?? []);
    expect(mail.problem).toBeNull();
  });
});

describe('a mail forwarded as an attachment', () => {
  let boundaries = 0;
  const message = (subject: string, body: string, parts: string[] = [], b = `b${++boundaries}`) => [
    'From: member@himawari.example.jp', 'To: kakekomi@helpdesk.test', `Subject: ${subject}`, 'MIME-Version: 1.0',
    ...(parts.length ? [`Content-Type: multipart/mixed; boundary="${b}"`, '', `--${b}`, 'Content-Type: text/plain; charset=UTF-8', '', body, ...parts.flatMap((p) => [`--${b}`, p]), `--${b}--`] : ['Content-Type: text/plain; charset=UTF-8', '', body]),
    '',
  ].join('\r\n');
  const attached = (raw: string, disposition = 'Content-Disposition: attachment') => `Content-Type: message/rfc822\r\n${disposition}\r\n\r\n${raw}`;

  it('keeps the member\'s subject and text first, and folds the forwarded mail as history', async () => {
    const mail = await parseInboundMail(Buffer.from(message('FW: phishing', '解析をお願いします。', [attached(message('Urgent', 'click here'))])));
    expect(mail.subject).toBe('FW: phishing');
    expect(mail.text.startsWith('解析をお願いします。\n\n' + FORWARD_RULE)).toBe(true);
    expect(mail.text).toContain('Subject: Urgent\n');
    expect(mail.text).toContain('\nclick here');
    expect(splitQuotedText(mail.text).fresh).toBe('解析をお願いします。');
    expect(mail.attachments.map((a) => a.filename)).toEqual(['Urgent.eml']);
  });

  it('shows a mail forwarded inside the forwarded mail only as its file', async () => {
    const inner = message('Inner', 'inner body');
    const middle = message('Middle', 'middle body', [attached(inner)]);
    const mail = await parseInboundMail(Buffer.from(message('Fwd', 'outer body', [attached(middle)])));
    expect(mail.text.split(FORWARD_RULE)).toHaveLength(2);
    expect(mail.text).not.toContain('inner body');
    expect(mail.attachments.map((a) => a.filename)).toEqual(['Middle.eml']);
  });

  it('lists the forwarded mail\'s own files and adds nothing for a .eml that is no mail', async () => {
    const withFile = message('Invoice', 'see file', ['Content-Type: text/html; name="invoice.html"\r\nContent-Disposition: attachment; filename="invoice.html"\r\n\r\n<script></script>']);
    const notMail = 'Content-Type: application/octet-stream; name="broken.eml"\r\nContent-Disposition: attachment; filename="broken.eml"\r\nContent-Transfer-Encoding: base64\r\n\r\nAAECAwQ=';
    const mail = await parseInboundMail(Buffer.from(message('Fwd', 'body', [attached(withFile), notMail])));
    expect(mail.text).toContain('\nAttachments: invoice.html\n');
    expect(mail.text.split(FORWARD_RULE)).toHaveLength(2);
    expect(mail.attachments.map((a) => a.filename)).toEqual(['Invoice.eml', 'broken.eml']);
  });

  it('names a forwarded mail without subject or file name safely', async () => {
    const mail = await parseInboundMail(Buffer.from(message('Fwd', 'body', [attached(message('a/b:c', 'x')), attached(message('', 'y'))])));
    expect(mail.attachments.map((a) => a.filename)).toEqual(['a_b_c.eml', 'forwarded.eml']);
  });
});

describe('phone pictograms (絵文字) are shown, never dropped', () => {
  const sjis = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? iconv.encode(p, 'cp932') : Buffer.from(p))));
  const phoneMail = (from: string, subject: Buffer, body: Buffer, charset = 'Shift_JIS', transfer = '8bit') => Buffer.concat([
    Buffer.from(`From: ${from}\r\nTo: kakekomi@helpdesk.test\r\nSubject: `), subject,
    Buffer.from(`\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=${charset}\r\nContent-Transfer-Encoding: ${transfer}\r\n\r\n`), body, Buffer.from('\r\n'),
  ]);

  it('docomo: raw Shift_JIS subject and 8-bit body', async () => {
    const mail = await parseInboundMail(phoneMail('keitai@docomo.ne.jp', sjis('感染かも', [0xf9, 0x9b], '急ぎ'), sjis('変な画面です', [0xf8, 0xa0], '\r\n折り返しお願いします', [0xf9, 0x9b])));
    expect(mail.subject).toBe('感染かも🎵急ぎ');
    expect(mail.text.trim()).toBe('変な画面です☁️\n折り返しお願いします🎵');
    expect(mail.problem).toBeNull();
  });

  it('au: Shift_JIS encoded word and base64 body', async () => {
    const word = `=?Shift_JIS?B?${sjis('標的型メール', [0xf6, 0x60]).toString('base64')}?=`;
    const body = sjis('お疲れ様です', [0xf6, 0x60], '\r\n相談です', [0xf3, 0x40]).toString('base64');
    const mail = await parseInboundMail(phoneMail('ezweb@ezweb.ne.jp', Buffer.from(word), Buffer.from(body), '"Shift_JIS"', 'base64'));
    expect(mail.subject).toBe('標的型メール☀️');
    expect(mail.text.trim()).toBe('お疲れ様です☀️\n相談です🍂');
  });

  it('SoftBank: its F9 and FB rows, which CP932 reads as other characters', async () => {
    const mail = await parseInboundMail(phoneMail('user@softbank.ne.jp', Buffer.from('test'), sjis('困りました', [0xfb, 0x41], [0xf9, 0x41])));
    expect(mail.text.trim()).toBe('困りました😥👦');
  });

  it('UTF-8 from a carrier phone with private-use pictograms; one without an emoji becomes 〓', async () => {
    const word = `=?UTF-8?B?${Buffer.from('至急\u{E63E}').toString('base64')}?=`;
    const mail = await parseInboundMail(phoneMail('keitai@docomo.ne.jp', Buffer.from(word), Buffer.from('画面が\u{E6A6}です'), 'UTF-8'));
    expect(mail.subject).toBe('至急☀️');
    expect(mail.text.trim()).toBe('画面が〓です');
  });

  it('a user-defined character from a sender of no carrier is shown as 〓', async () => {
    const mail = await parseInboundMail(phoneMail('soc@himawari.example.jp', Buffer.from('gaiji'), sjis('髙橋', [0xf0, 0x40], 'です')));
    expect(mail.text.trim()).toBe('髙橋〓です');
  });
});

describe('winmail.dat from Outlook (application/ms-tnef)', () => {
  const outlookMail = (text: string | null, winmail: Buffer) => Buffer.from([
    'From: it@takasaki.example.jp', 'To: kakekomi@helpdesk.test', 'Subject: RE: memo', 'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="_tn_"', '',
    ...(text === null ? [] : ['--_tn_', 'Content-Type: text/plain; charset="utf-8"', '', text, '']),
    '--_tn_', 'Content-Type: application/ms-tnef; name="winmail.dat"', 'Content-Disposition: attachment; filename="winmail.dat"',
    'Content-Transfer-Encoding: base64', '', winmail.toString('base64'), '--_tn_--', '',
  ].join('\r\n'));
  const { attribute, u32 } = tnef;
  const file = (name: Buffer, content: Buffer) => [attribute(2, 0x00069002, Buffer.alloc(14)), attribute(2, 0x00018010, name), attribute(2, 0x0006800f, content)];
  const memo = iconv.encode('被害状況メモ\r\n', 'cp932');
  const zip = Buffer.from('PK\x03\x04\x14\x00\x01\x00', 'latin1');

  it('shows the files inside instead of winmail.dat', async () => {
    const winmail = tnef.stream(attribute(1, 0x00069007, u32(932)), ...file(iconv.encode('被害状況メモ.txt\0', 'cp932'), memo), ...file(Buffer.from('logs.zip\0'), zip));
    const mail = await parseInboundMail(outlookMail('メモを添付します。', winmail));
    expect(mail.attachments.map((a) => [a.filename, a.content])).toEqual([['被害状況メモ.txt', memo], ['logs.zip', zip]]);
    expect(mail.text.trim()).toBe('メモを添付します。');
  });

  it('takes the text from winmail.dat when the mail has none of its own', async () => {
    const winmail = tnef.stream(attribute(1, 0x00069007, u32(932)), attribute(1, 0x0002800c, iconv.encode('本文はTNEFの中です。', 'cp932')));
    const mail = await parseInboundMail(outlookMail(null, winmail));
    expect(mail.text.trim()).toBe('本文はTNEFの中です。');
    expect(mail.attachments).toEqual([]);
  });

  it('keeps a winmail.dat that holds nothing it can read', async () => {
    const winmail = tnef.stream(attribute(1, 0x00089006, Buffer.from([0, 0, 1, 0])));
    const mail = await parseInboundMail(outlookMail('rtf only', winmail));
    expect(mail.attachments.map((a) => a.filename)).toEqual(['winmail.dat']);
  });
});
