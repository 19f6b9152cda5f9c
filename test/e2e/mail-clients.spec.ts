import fs from 'fs';
import path from 'path';
import { normalizeSubject } from '@kkd/mail';
import { deliverOverSmtp } from '@kkd/testing';
import { MEMBERS, startTestServer, TestServer } from './support/test-server';

// Mail as the clients Japanese companies use write it (Outlook, Thunderbird, Becky!, iPhone, Gmail,
// phone mailers, webmails, forwarded phishing), test/fixtures/mail/clients/generate.js, through real SMTP.
const DIR = path.resolve(__dirname, '../fixtures/mail/clients');
const EXPECTED: Record<string, { subject: string; text: string; attachments?: { filename: string; size: number }[] }> =
  JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8'));

describe('mail from Japanese mail clients over SMTP', () => {
  let t: TestServer;
  beforeAll(async () => { t = await startTestServer(); });
  afterAll(async () => { await t.close(); });

  // Read as a manager: experts see member names and addresses masked (PRODUCT.md), which is not what is tested here.
  it.each(Object.entries(EXPECTED))('%s shows its subject, text and attachments', async (name, expected) => {
    const raw = fs.readFileSync(path.join(DIR, `${name}.eml`));
    expect((await deliverOverSmtp(t.smtpPort, raw, { from: MEMBERS[0].email, to: ['kakekomi@helpdesk.test'] })).code).toBe(250);
    // The consult is named without "Re:"/"FW:"; two forwards of one phishing mail share a name, so the newest is this one.
    const subject = normalizeSubject(expected.subject);
    const list = await (await t.api(`/api/tickets?q=${encodeURIComponent(subject)}`, { token: t.managerToken })).json();
    const mine = list.items.filter((i: { subject: string }) => i.subject === subject);
    expect(mine.length).toBeGreaterThan(0);
    const number = Math.max(...mine.map((i: { number: number }) => i.number));
    const detail = await (await t.api(`/api/tickets/${number}`, { token: t.managerToken })).json();
    expect(detail.messages).toHaveLength(1);
    expect(detail.messages[0].text.trim()).toBe(expected.text);
    expect(detail.messages[0].parseError).toBeNull();
    expect(detail.attachments.map((a: { filename: string; size: number; encrypted: boolean }) => ({ filename: a.filename, size: a.size, encrypted: a.encrypted })))
      .toEqual((expected.attachments ?? []).map((a) => ({ ...a, encrypted: false })));
  });
});
