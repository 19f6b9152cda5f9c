import fs from 'fs';
import path from 'path';
import { deliverOverSmtp } from '@kkd/testing';
import { MEMBERS, startTestServer, TestServer } from './support/test-server';

// The corpus of test/fixtures/mail (real encoders, see generate.js), through real SMTP.
const DIR = path.resolve(__dirname, '../fixtures/mail');
const EXPECTED: Record<string, { subject: string; text: string; attachments?: string[] }> = JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8'));

describe('Japanese mail over SMTP', () => {
  let t: TestServer;
  beforeAll(async () => { t = await startTestServer(); });
  afterAll(async () => { await t.close(); });

  it.each(Object.entries(EXPECTED))('%s arrives as correct Unicode', async (name, expected) => {
    const raw = fs.readFileSync(path.join(DIR, `${name}.eml`));
    expect((await deliverOverSmtp(t.smtpPort, raw, { from: MEMBERS[0].email, to: ['kakekomi@helpdesk.test'] })).code).toBe(250);
    const list = await (await t.api(`/api/tickets?q=${encodeURIComponent(expected.subject)}`)).json();
    expect(list.items.map((i: { subject: string }) => i.subject)).toEqual([expected.subject]);
    const detail = await (await t.api(`/api/tickets/${list.items[0].number}`)).json();
    expect(detail.messages[0].text.trim()).toBe(expected.text);
    expect(detail.messages[0].parseError).toBeNull();
    expect(detail.attachments.map((a: { filename: string }) => a.filename)).toEqual(expected.attachments ?? []);
  });
});
