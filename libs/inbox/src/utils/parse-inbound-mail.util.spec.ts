import fs from 'fs';
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
