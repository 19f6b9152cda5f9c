import fs from 'fs';
import path from 'path';
import { parseInboundMail } from './parse-inbound-mail.util';

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
});
