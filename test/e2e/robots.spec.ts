import fs from 'fs';
import { simpleParser } from 'mailparser';
import { DataSource } from 'typeorm';
import { HeldMailRepository } from '@kkd/inbox';
import { buildMail, deliverOverSmtp } from '@kkd/testing';
import { ConsoleClient, EXPERT, MEMBERS, startTestServer, TestServer } from './support/test-server';

const INTAKE = 'kakekomi@helpdesk.test';
const member = MEMBERS[0];

describe('mail from programs: never a consult, never an answer', () => {
  let t: TestServer;
  beforeAll(async () => { t = await startTestServer(); });
  afterAll(async () => { await t.close(); });

  const total = async () => (await (await t.api('/api/tickets')).json()).total;
  const heldReasons = async () => (await t.server.app.get(HeldMailRepository).list(1, 50))[0].map((h) => h.reason);

  it.each([
    ['an RFC 3834 auto-reply', 'auto_reply', { extraHeaders: ['Auto-Submitted: auto-replied'], subject: 'Re: 受付: [KKD#1] 相談' }],
    ['a Japanese out-of-office reply', 'auto_reply', { subject: '【不在】12月1日まで不在にしております' }],
    ['an Exchange automatic reply', 'auto_reply', { extraHeaders: ['X-Auto-Response-Suppress: All'], subject: '自動応答: 相談' }],
    ['list mail', 'bulk', { extraHeaders: ['List-Id: <security-news.example.jp>', 'Precedence: list'], subject: 'セキュリティニュース 第12号' }],
  ] as [string, string, { extraHeaders?: string[]; subject: string }][])('%s is held as %s, opens no consult and gets no acknowledgement', async (_name, reason, mail) => {
    const before = await total();
    const raw = buildMail({ from: member.email, ...mail }).raw;
    expect((await deliverOverSmtp(t.smtpPort, raw, { from: member.email, to: [INTAKE] })).code).toBe(250);
    expect(await total()).toBe(before);
    expect(await heldReasons()).toContain(reason);
    await t.flushOutbox();
    expect(t.outboxFiles()).toHaveLength(0);
  });

  it('marks our acknowledgement bounced when the member\'s server returns it, and shows it on the consult', async () => {
    const mail = buildMail({ from: member.email, subject: '不達になる相談' });
    expect((await deliverOverSmtp(t.smtpPort, mail.raw, { from: member.email, to: [INTAKE] })).code).toBe(250);
    await t.flushOutbox();
    const [ackFile] = t.outboxFiles(member.email);
    const ack = await simpleParser(fs.readFileSync(ackFile));
    const before = await total();

    const boundary = 'dsn-boundary';
    const dsn = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.himawari.example.jp>', `To: ${INTAKE}`, 'Subject: Undelivered Mail Returned to Sender',
      'Message-ID: <dsn-1@mx.himawari.example.jp>', 'MIME-Version: 1.0',
      `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`, '',
      `--${boundary}`, 'Content-Type: text/plain; charset=us-ascii', '', 'This is the mail system: your message could not be delivered.', '',
      `--${boundary}`, 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.himawari.example.jp', '',
      `Final-Recipient: rfc822; ${member.email}`, 'Action: failed', 'Status: 5.1.1', '',
      `--${boundary}`, 'Content-Type: text/rfc822-headers', '', `Message-ID: ${ack.messageId}`, `Subject: ${ack.headers.get('subject')}`, '',
      `--${boundary}--`, '',
    ].join('\r\n');
    expect((await deliverOverSmtp(t.smtpPort, dsn, { from: '', to: [INTAKE] })).code).toBe(250);
    expect(await total()).toBe(before);
    expect(await heldReasons()).toContain('bounce');
    const [row] = await t.server.app.get(DataSource).query("SELECT status FROM outbound_mails WHERE kind = 'acknowledgement'");
    expect(row.status).toBe('bounced');

    const client = new ConsoleClient(t.baseUrl);
    await client.login(EXPERT.email, EXPERT.password);
    const number = (await (await t.api('/api/tickets?q=不達になる')).json()).items[0].number;
    expect((await client.get(`/consults/${number}`)).html).toMatch(/受付通知<\/td>[\s\S]*?<span class="outbound-status outbound-status-bounced">不達<\/span>/);
    await t.flushOutbox();
    expect(t.outboxFiles(member.email)).toHaveLength(1); // the bounce was not answered
  });
});
